#pragma once
// AWS Signature Version 4: an Authorization header for API calls, or a
// presigned URL (the EKS bearer token is a presigned STS GetCallerIdentity).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "hpops/http_client.hpp"
#include "integrations/aws/credentials.hpp"
#include "integrations/aws/sigv4_canonical.hpp"

namespace hpops::integrations::aws {

inline constexpr std::string_view sigv4_algorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view unsigned_payload = "UNSIGNED-PAYLOAD";

struct SigningParams {
    std::string region;
    std::string service;
    std::chrono::system_clock::time_point now;
    bool normalize_path = true;      // false for S3, whose keys may hold "." and "//"
    bool double_encode_path = true;  // false for S3, which signs the path encoded once
    bool sign_body = false;          // add x-amz-content-sha256, as S3 requires
    bool unsigned_payload = false;   // sign "UNSIGNED-PAYLOAD" instead of the body hash (S3 presign)
    // Send the session token but leave it out of the signature, for the few
    // endpoints (IoT) that add it after signing; the AWS test suite covers it.
    bool omit_session_token = false;
};

// What a signing produced; no secret in it, so it may be logged at debug level
// to explain a SignatureDoesNotMatch.
struct SigningDetails {
    std::string canonical_request;
    std::string string_to_sign;
    std::string signed_headers;
    std::string signature;
};

// Rewrites the query of request.url into its encoded form (same parameters,
// same order: a '+' becomes %2B, so what is sent is what was signed), then adds
// Host if missing, X-Amz-Date, X-Amz-Security-Token when there is a session
// token, x-amz-content-sha256 when params.sign_body, and Authorization. Any of
// these from an earlier signing are replaced, so a retry can sign again.
// A request carrying x-amz-content-sha256 already is signed with that hash.
SigningDetails sign_request(HttpRequest& request, const AwsCredentials& creds, const SigningParams& params);

struct PresignedUrl {
    std::string url;
    SigningDetails details;
};
// Query-string authentication. The request's headers are signed along with
// host (e.g. x-k8s-aws-id for an EKS token) and must be sent with the URL; its
// body is hashed unless params.unsigned_payload. The URL keeps the request's
// own parameters first, then X-Amz-Algorithm, -Credential, -Date, -Expires,
// -SignedHeaders, -Security-Token and -Signature, in botocore's order.
// expires must be 1 s to 7 days (std::invalid_argument otherwise).
PresignedUrl presign(const HttpRequest& request, const AwsCredentials& creds, const SigningParams& params,
                     std::chrono::seconds expires);
std::string presign_url(std::string_view method, std::string_view url, const HeaderList& extra_signed_headers,
                        const AwsCredentials& creds, const SigningParams& params, std::chrono::seconds expires);

// The intermediate steps, for tests and for explaining a mismatch.
std::string amz_date(std::chrono::system_clock::time_point when);  // "20150830T123600Z"
std::string credential_scope(std::string_view date, std::string_view region, std::string_view service);
std::string string_to_sign(std::string_view amz_date, std::string_view scope, std::string_view canonical_request);
// Raw 32 bytes of HMAC("AWS4"+secret, date) → region → service → "aws4_request";
// served from a process-wide SigningKeyCache.
std::string signing_key(std::string_view secret, std::string_view date, std::string_view region,
                        std::string_view service);

// Every AWS call signs, but the key only changes daily or when credentials
// rotate: derive it once per (secret, date, region, service). Small and
// thread-safe; the least recently used entry goes when full. Entries are keyed
// by a digest of the secret so rotated secrets are not kept verbatim.
class SigningKeyCache {
public:
    explicit SigningKeyCache(std::size_t capacity = 16) : capacity_(capacity == 0 ? 1 : capacity) {}
    std::string get(std::string_view secret, std::string_view date, std::string_view region,
                    std::string_view service);
    std::uint64_t hits() const;
    std::uint64_t misses() const;

private:
    struct Entry {
        std::string secret_digest, date, region, service, key;
        std::uint64_t last_used = 0;
    };
    mutable std::mutex mutex_;
    std::vector<Entry> entries_;
    std::size_t capacity_;
    std::uint64_t tick_ = 0, hits_ = 0, misses_ = 0;
};
// The process-wide cache behind signing_key, e.g. for hit counts in /metrics.
SigningKeyCache& signing_key_cache();

}  // namespace hpops::integrations::aws
