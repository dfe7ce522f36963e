#include "alerts/sns_client.hpp"

#include "hpops/errors.hpp"

namespace hpops::alerts {

namespace {
constexpr std::size_t max_cached_certificates = 16;  // AWS rotates them rarely; a bound keeps forgeries from growing it
}  // namespace

std::string SnsClient::target(const std::string& url) const {
    if (test_base_.empty()) return url;
    const auto path = url.find('/', std::string_view("https://").size());
    return test_base_ + (path == std::string::npos ? "/" : url.substr(path));
}

boost::asio::awaitable<std::string> SnsClient::fetch(std::string url, std::string what) {
    HttpRequest request;
    request.url = std::move(url);
    request.timeout = std::chrono::seconds(5);
    auto send = http_.send(std::move(request), RetryPolicy{2, std::chrono::milliseconds(200), std::chrono::seconds(1)});
    HttpResponse response = co_await std::move(send);
    if (response.status != 200)
        throw UpstreamError("sns", "http_" + std::to_string(response.status), what, "",
                            static_cast<int>(response.status));
    co_return std::move(response.body);
}

boost::asio::awaitable<std::string> SnsClient::certificate(std::string url, SnsTopic topic) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = certificates_.find(url); it != certificates_.end()) co_return it->second;
    }
    auto download = fetch(target(url), "signing certificate " + url);
    std::string pem = co_await std::move(download);
    const auto names = sns_certificate_names(topic);
    std::string why = trust_->verify(pem, names);
    // The file may hold the leaf alone: its issuer is published by Amazon
    // Trust Services, and the system trusts only roots.
    if (!why.empty()) {
        if (auto issuer_url = amazon_issuer_url(pem)) {
            std::string issuer;
            {
                std::lock_guard lock(mutex_);
                if (auto it = issuers_.find(*issuer_url); it != issuers_.end()) issuer = it->second;
            }
            if (issuer.empty()) {
                auto get = fetch(target(*issuer_url), "issuer of the signing certificate " + *issuer_url);
                issuer = co_await std::move(get);
            }
            why = trust_->verify(pem, names, issuer);
            if (why.empty()) {
                std::lock_guard lock(mutex_);
                if (issuers_.size() >= max_cached_certificates) issuers_.clear();
                issuers_[*issuer_url] = issuer;
            }
        }
    }
    if (!why.empty()) throw UntrustedSigningCertificate(url + ": " + why);
    std::lock_guard lock(mutex_);
    ++fetches_;
    if (certificates_.size() >= max_cached_certificates) certificates_.clear();
    certificates_[url] = pem;
    co_return pem;
}

boost::asio::awaitable<void> SnsClient::confirm_subscription(std::string subscribe_url) {
    HttpRequest request;
    request.url = target(subscribe_url);
    request.timeout = std::chrono::seconds(5);
    auto send = http_.send(std::move(request), RetryPolicy{});
    HttpResponse response = co_await std::move(send);
    if (response.status != 200)
        throw UpstreamError("sns", "http_" + std::to_string(response.status), "ConfirmSubscription: " +
                            response.body.substr(0, 200), "", static_cast<int>(response.status));
}

}  // namespace hpops::alerts
