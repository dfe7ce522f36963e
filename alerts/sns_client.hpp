#pragma once
#include <boost/asio/awaitable.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "alerts/sns_certificate.hpp"
#include "hpops/http_client.hpp"

namespace hpops::alerts {

// A signing certificate that is not AWS's SNS certificate for the topic:
// the receiver answers 403 (an UpstreamError, a fetch failure, is a 503).
struct UntrustedSigningCertificate : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// What the SNS receiver fetches from AWS: signing certificates (verified,
// then cached by URL) and subscription confirmations. Only URLs that pass
// is_sns_url (sns_url.hpp) are ever fetched.
class SnsClient {
public:
    explicit SnsClient(HttpClient& http) : http_(http), trust_(SnsTrust::system_roots()) {}

    // The PEM at `url`, once it chains to a trusted root and is issued to the
    // name SNS signs `topic`'s messages with; throws UntrustedSigningCertificate
    // when it is not, UpstreamError when it cannot be fetched.
    boost::asio::awaitable<std::string> certificate(std::string url, SnsTopic topic);
    boost::asio::awaitable<void> confirm_subscription(std::string subscribe_url);
    std::size_t certificate_fetches() const { return fetches_; }

    // Tests only, and only from C++ (no config key or environment variable
    // reaches it in `hpops`): sends what would go to https://sns.<region>.
    // amazonaws.com to `base` instead, and trusts only `trust`'s roots, so a
    // test's own CA, signing certificate and confirmation endpoint can stand
    // in for AWS's.
    void redirect_for_tests(std::string base, std::shared_ptr<const SnsTrust> trust) {
        test_base_ = std::move(base);
        trust_ = std::move(trust);
    }

private:
    std::string target(const std::string& url) const;
    boost::asio::awaitable<std::string> fetch(std::string url, std::string what);

    HttpClient& http_;
    std::shared_ptr<const SnsTrust> trust_;
    std::mutex mutex_;
    std::map<std::string, std::string> certificates_;  // verified only
    std::map<std::string, std::string> issuers_;       // intermediates fetched from Amazon Trust Services
    std::size_t fetches_ = 0;
    std::string test_base_;
};

}  // namespace hpops::alerts
