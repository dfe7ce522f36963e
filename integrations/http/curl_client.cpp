#include "integrations/http/curl_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cctype>
#include <charconv>
#include <random>

#include "hpops/errors.hpp"

namespace hpops {

std::string HttpResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (std::equal(key.begin(), key.end(), name.begin(), name.end(),
                       [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); }))
            return value;
    return {};
}

}  // namespace hpops

namespace hpops::integrations {
namespace asio = boost::asio;

namespace {

struct GlobalInit {
    GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

struct EasyHandle {
    CURL* handle = curl_easy_init();
    ~EasyHandle() { curl_easy_cleanup(handle); }
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(user);
    std::string_view line(data, size * count);
    auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        std::string name(line.substr(0, colon));
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
        headers->emplace_back(std::move(name), std::string(value));
    } else if (line.starts_with("HTTP/")) {
        headers->clear();  // a new response (after 100-continue or a redirect) starts over
    }
    return size * count;
}

void set_blob(CURL* curl, CURLoption option, const std::string& pem) {
    curl_blob blob{const_cast<char*>(pem.data()), pem.size(), CURL_BLOB_COPY};
    curl_easy_setopt(curl, option, &blob);
}

// Per-request TLS material; libcurl keeps connections made with other
// material apart, so reuse across servers stays safe.
void set_tls(CURL* curl, const TlsOptions& tls) {
    if (!tls.ca_pem.empty()) set_blob(curl, CURLOPT_CAINFO_BLOB, tls.ca_pem);
    if (!tls.client_cert_pem.empty() && !tls.client_key_pem.empty()) {
        set_blob(curl, CURLOPT_SSLCERT_BLOB, tls.client_cert_pem);
        set_blob(curl, CURLOPT_SSLKEY_BLOB, tls.client_key_pem);
        curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
        curl_easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM");
    }
    if (tls.insecure_skip_verify) {
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
}

// Blocking; runs on a worker thread.
HttpResponse perform_once(const HttpRequest& request) {
    static GlobalInit init;
    thread_local EasyHandle easy;
    CURL* curl = easy.handle;
    curl_easy_reset(curl);  // keeps the connection cache
    HttpResponse response;
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) headers = curl_slist_append(headers, (name + ": " + value).c_str());
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, std::min<long>(5000, static_cast<long>(request.timeout.count())));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    if (request.tls) set_tls(curl, *request.tls);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) {
        std::string host = request.url.substr(0, request.url.find('/', request.url.find("//") + 2));
        throw UpstreamError("http", curl_easy_strerror(rc), std::string(*error ? error : curl_easy_strerror(rc)) + " (" + host + ")");
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

}  // namespace

bool failed_before_sending(const UpstreamError& error) {
    if (error.service() != "http") return false;
    for (CURLcode code : {CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY,
                          CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_UNSUPPORTED_PROTOCOL,
                          CURLE_URL_MALFORMAT})
        if (error.code() == curl_easy_strerror(code)) return true;
    return false;
}

bool is_retryable_status(long status) { return status == 429 || (status >= 500 && status <= 599 && status != 501); }

std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int attempt, std::string_view retry_after) {
    long long seconds = 0;
    auto [end, ec] = std::from_chars(retry_after.data(), retry_after.data() + retry_after.size(), seconds);
    if (!retry_after.empty() && ec == std::errc{} && end == retry_after.data() + retry_after.size() && seconds >= 0)
        return std::min<std::chrono::milliseconds>(std::chrono::seconds(seconds), std::chrono::seconds(60));
    // Exponential backoff with full jitter, as the AWS SDKs' standard mode does.
    const auto ceiling = std::min<long long>(policy.max_delay.count(), policy.base_delay.count() << std::min(attempt - 1, 20));
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return std::chrono::milliseconds(std::uniform_int_distribution<long long>(0, std::max<long long>(ceiling, 1))(rng));
}

CurlClient::CurlClient(std::size_t workers) : pool_(workers) {}

CurlClient::~CurlClient() { pool_.join(); }

asio::awaitable<HttpResponse> CurlClient::send(HttpRequest request, RetryPolicy retry) {
    auto executor = co_await asio::this_coro::executor;
    for (int attempt = 1;; ++attempt) {
        std::string retry_after;
        try {
            HttpResponse response = co_await asio::co_spawn(
                pool_, [&request]() -> asio::awaitable<HttpResponse> { co_return perform_once(request); },
                asio::use_awaitable);
            if (!is_retryable_status(response.status) || attempt >= retry.max_attempts) co_return response;
            retry_after = response.header("retry-after");
        } catch (const UpstreamError&) {
            if (attempt >= retry.max_attempts) throw;
        }
        asio::steady_timer timer(executor, retry_delay(retry, attempt, retry_after));
        co_await timer.async_wait(asio::use_awaitable);
    }
}

}  // namespace hpops::integrations
