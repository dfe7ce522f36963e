#include "integrations/aws/sigv4.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>

#include "common/crypto.hpp"

namespace hpops::integrations::aws {

namespace {

using hpops::hmac_sha256;
using hpops::sha256;
using hpops::to_hex;

std::string derive_signing_key(std::string_view secret, std::string_view date, std::string_view region,
                               std::string_view service) {
    std::string seed = "AWS4";
    seed.append(secret);
    auto key = hmac_sha256(seed, date);
    // The seed is the secret in clear; do not leave it in freed heap memory.
    OPENSSL_cleanse(seed.data(), seed.size());
    key = hmac_sha256(key, region);
    key = hmac_sha256(key, service);
    return hmac_sha256(key, "aws4_request");
}

const std::string* find_header(const HeaderList& headers, std::string_view name) {
    for (const auto& [key, value] : headers)
        if (iequals(key, name)) return &value;
    return nullptr;
}

void erase_header(HeaderList& headers, std::string_view name) {
    std::erase_if(headers, [&](const auto& header) { return iequals(header.first, name); });
}

void check_inputs(const AwsCredentials& creds, const SigningParams& params) {
    // Programming or configuration errors: the credential chain and the clients
    // are expected to have filled these in before anything is signed.
    if (creds.access_key_id.empty() || creds.secret_access_key.empty())
        throw std::invalid_argument("SigV4: credentials without an access key id or secret");
    if (params.region.empty() || params.service.empty())
        throw std::invalid_argument("SigV4: signing needs a region and a service");
}

// botocore's rule: a hash the caller already put in x-amz-content-sha256
// (UNSIGNED-PAYLOAD, STREAMING-...) is the one signed.
std::string payload_hash(const HttpRequest& request, const SigningParams& params) {
    if (const auto* given = find_header(request.headers, "x-amz-content-sha256")) return *given;
    if (params.unsigned_payload) return std::string(unsigned_payload);
    return to_hex(sha256(request.body));
}

SigningDetails sign_canonical(std::string_view method, std::string_view path, const QueryParams& query,
                              const HeaderList& headers, std::string_view payload, const AwsCredentials& creds,
                              const SigningParams& params, std::string_view date_time) {
    auto canonical = canonical_request(method, path, query, headers, payload, params.normalize_path,
                                       params.double_encode_path);
    const auto date = date_time.substr(0, 8);
    SigningDetails details;
    details.string_to_sign =
        string_to_sign(date_time, credential_scope(date, params.region, params.service), canonical.text);
    details.signature = to_hex(hmac_sha256(
        signing_key(creds.secret_access_key, date, params.region, params.service), details.string_to_sign));
    details.canonical_request = std::move(canonical.text);
    details.signed_headers = std::move(canonical.signed_headers);
    return details;
}

bool is_auth_parameter(std::string_view name) {
    static constexpr std::array<std::string_view, 7> names = {
        "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
        "X-Amz-SignedHeaders", "X-Amz-Security-Token", "X-Amz-Signature",
    };
    return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::string amz_date(std::chrono::system_clock::time_point when) {
    using namespace std::chrono;
    const auto secs = floor<seconds>(when);
    const auto day = floor<days>(secs);
    const year_month_day ymd{day};
    const hh_mm_ss time{secs - day};
    char text[32];
    std::snprintf(text, sizeof text, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return text;
}

std::string credential_scope(std::string_view date, std::string_view region, std::string_view service) {
    std::string scope;
    scope.append(date).append("/").append(region).append("/").append(service).append("/aws4_request");
    return scope;
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope, std::string_view canonical_request) {
    std::string text(sigv4_algorithm);
    text.append("\n").append(amz_date).append("\n").append(scope).append("\n");
    text.append(to_hex(sha256(canonical_request)));
    return text;
}

std::string SigningKeyCache::get(std::string_view secret, std::string_view date, std::string_view region,
                                 std::string_view service) {
    const auto digest = sha256(secret);
    auto find = [&]() -> Entry* {
        for (auto& entry : entries_)
            if (entry.secret_digest == digest && entry.date == date && entry.region == region &&
                entry.service == service)
                return &entry;
        return nullptr;
    };
    {
        std::lock_guard lock(mutex_);
        if (auto* entry = find()) {
            entry->last_used = ++tick_;
            ++hits_;
            return entry->key;
        }
        ++misses_;
    }
    // Derived outside the lock so concurrent signers never queue behind HMACs.
    auto key = derive_signing_key(secret, date, region, service);
    std::lock_guard lock(mutex_);
    if (auto* entry = find()) return entry->key;  // another thread got there first
    if (entries_.size() >= capacity_) {
        auto oldest = std::min_element(entries_.begin(), entries_.end(),
                                       [](const Entry& a, const Entry& b) { return a.last_used < b.last_used; });
        entries_.erase(oldest);
    }
    entries_.push_back(Entry{digest, std::string(date), std::string(region), std::string(service), key, ++tick_});
    return key;
}

std::uint64_t SigningKeyCache::hits() const {
    std::lock_guard lock(mutex_);
    return hits_;
}

std::uint64_t SigningKeyCache::misses() const {
    std::lock_guard lock(mutex_);
    return misses_;
}

SigningKeyCache& signing_key_cache() {
    static SigningKeyCache cache;
    return cache;
}

std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service) {
    return signing_key_cache().get(secret, date, region, service);
}

SigningDetails sign_request(HttpRequest& request, const AwsCredentials& creds, const SigningParams& params) {
    check_inputs(creds, params);
    // Copied out before request.url is rewritten: UrlParts views into it.
    const auto parts = split_url(request.url);
    const std::string path(parts.path);
    const std::string host = parts.host_header();
    const auto query = parse_query(parts.query);
    if (parts.has_query) {
        std::string url(parts.prefix);
        if (!query.empty()) url.append("?").append(encode_query(query, false));
        request.url = std::move(url);
    }

    for (auto name : {"authorization", "x-amz-date", "x-amz-security-token"}) erase_header(request.headers, name);
    if (!find_header(request.headers, "host")) request.headers.emplace_back("Host", host);
    const auto date_time = amz_date(params.now);
    request.headers.emplace_back("X-Amz-Date", date_time);
    const bool has_token = !creds.session_token.empty();
    if (has_token && !params.omit_session_token)
        request.headers.emplace_back("X-Amz-Security-Token", creds.session_token);
    const auto payload = payload_hash(request, params);
    if (params.sign_body && !find_header(request.headers, "x-amz-content-sha256"))
        request.headers.emplace_back("x-amz-content-sha256", payload);

    auto details = sign_canonical(request.method, path, query, request.headers, payload, creds, params, date_time);

    if (has_token && params.omit_session_token)
        request.headers.emplace_back("X-Amz-Security-Token", creds.session_token);
    std::string authorization(sigv4_algorithm);
    authorization.append(" Credential=").append(creds.access_key_id).append("/");
    authorization.append(credential_scope(std::string_view(date_time).substr(0, 8), params.region, params.service));
    authorization.append(", SignedHeaders=").append(details.signed_headers);
    authorization.append(", Signature=").append(details.signature);
    request.headers.emplace_back("Authorization", std::move(authorization));
    return details;
}

PresignedUrl presign(const HttpRequest& request, const AwsCredentials& creds, const SigningParams& params,
                     std::chrono::seconds expires) {
    check_inputs(creds, params);
    // The limits AWS enforces; failing here names the cause, AWS would not.
    if (expires < std::chrono::seconds(1) || expires > std::chrono::hours(24 * 7))
        throw std::invalid_argument("SigV4: a presigned URL expires after 1 second to 7 days");
    const auto parts = split_url(request.url);
    auto own = parse_query(parts.query);
    // Presigning an already presigned URL replaces its signature, not adds one.
    std::erase_if(own, [](const auto& param) { return is_auth_parameter(param.first); });

    HeaderList headers = request.headers;
    if (!find_header(headers, "host")) headers.emplace_back("Host", parts.host_header());
    const auto date_time = amz_date(params.now);
    const bool has_token = !creds.session_token.empty();
    QueryParams auth = {
        {"X-Amz-Algorithm", std::string(sigv4_algorithm)},
        {"X-Amz-Credential", creds.access_key_id + "/" +
                                 credential_scope(std::string_view(date_time).substr(0, 8), params.region,
                                                  params.service)},
        {"X-Amz-Date", date_time},
        {"X-Amz-Expires", std::to_string(expires.count())},
        {"X-Amz-SignedHeaders", canonical_headers(headers).signed_names},
    };
    if (has_token && !params.omit_session_token) auth.emplace_back("X-Amz-Security-Token", creds.session_token);

    QueryParams signed_query = own;
    signed_query.insert(signed_query.end(), auth.begin(), auth.end());
    auto details = sign_canonical(request.method, parts.path, signed_query, headers, payload_hash(request, params),
                                  creds, params, date_time);

    if (has_token && params.omit_session_token) auth.emplace_back("X-Amz-Security-Token", creds.session_token);
    auth.emplace_back("X-Amz-Signature", details.signature);
    PresignedUrl out;
    out.url.append(parts.prefix).append("?");
    if (!own.empty()) out.url.append(encode_query(own, false)).append("&");
    out.url.append(encode_query(auth, false));
    out.details = std::move(details);
    return out;
}

std::string presign_url(std::string_view method, std::string_view url, const HeaderList& extra_signed_headers,
                        const AwsCredentials& creds, const SigningParams& params, std::chrono::seconds expires) {
    HttpRequest request;
    request.method = std::string(method);
    request.url = std::string(url);
    request.headers = extra_signed_headers;
    return presign(request, creds, params, expires).url;
}

}  // namespace hpops::integrations::aws
