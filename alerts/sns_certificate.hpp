#pragma once
// Whether a downloaded SNS signing certificate is AWS's: it must chain to a
// trusted root and be issued to the name SNS signs with in the topic's region.
// The URL's host alone is not enough (an S3 bucket named "sns" answered on
// sns.s3.amazonaws.com with a valid TLS certificate).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/x509_vfy.h>

#include "alerts/sns_url.hpp"

namespace hpops::alerts {

// The names AWS's SNS signing certificates are issued to for `topic`'s region
// (as the AWS SDK for Java v2's SnsHostProvider expects them): sns.amazonaws.com
// in most regions, sns-signing.<region>.amazonaws.com in the opt-in ones, and
// their own names in China and GovCloud.
std::vector<std::string> sns_certificate_names(const SnsTopic& topic);

// Roots a signing certificate must chain to. Immutable once made; shared by
// every request.
class SnsTrust {
public:
    // The system's trust store (what curl and the TLS fetch trust).
    static std::shared_ptr<const SnsTrust> system_roots();
    // Only the CA certificates in `pem`: for the test-only server; throws
    // std::invalid_argument when `pem` holds none.
    static std::shared_ptr<const SnsTrust> from_pem(std::string_view pem);

    // Empty when `pem`'s first certificate chains to a root (through the
    // others in `pem` and in `intermediates`), is valid now and is issued to
    // one of `names`; else why not.
    std::string verify(std::string_view pem, const std::vector<std::string>& names,
                       std::string_view intermediates = {}) const;

    explicit SnsTrust(X509_STORE* store) : store_(store, &X509_STORE_free) {}

private:
    std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store_;
};

// Where the issuer of `pem`'s first certificate is published (its Authority
// Information Access "CA Issuers" URL), when that is Amazon Trust Services'
// repository (http://*.amazontrust.com/...): SNS's signing certificate file
// may hold the leaf alone, and the system store holds only roots.
std::optional<std::string> amazon_issuer_url(std::string_view pem);

}  // namespace hpops::alerts
