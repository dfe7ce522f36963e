#pragma once
#include <boost/asio/awaitable.hpp>
#include <map>
#include <mutex>
#include <string>

#include "hpops/http_client.hpp"

namespace hpops::bot {

// What the SNS receiver fetches from AWS: signing certificates (cached by
// URL) and subscription confirmations. Only URLs that pass is_sns_url
// (sns_url.hpp) are ever fetched.
class SnsClient {
public:
    explicit SnsClient(HttpClient& http) : http_(http) {}

    // PEM text; throws UpstreamError when it cannot be fetched.
    boost::asio::awaitable<std::string> certificate(std::string url);
    boost::asio::awaitable<void> confirm_subscription(std::string subscribe_url);
    std::size_t certificate_fetches() const { return fetches_; }

    // Tests only, and only from C++ (no config key or environment variable
    // reaches it in `hpops`): sends what would go to https://sns.<region>.
    // amazonaws.com to `base` instead, so a test's own signing certificate
    // and confirmation endpoint can stand in for AWS's.
    void redirect_for_tests(std::string base) { test_base_ = std::move(base); }

private:
    std::string target(const std::string& url) const;

    HttpClient& http_;
    std::mutex mutex_;
    std::map<std::string, std::string> certificates_;
    std::size_t fetches_ = 0;
    std::string test_base_;
};

}  // namespace hpops::bot
