#pragma once
#include <chrono>
// AWS SNS HTTP(S) deliveries: the JSON envelope, the documented string to
// sign per message type, and the signature check. Pure functions (the URLs
// they may be fetched from: sns_url.hpp).
#include <optional>
#include <string>
#include <string_view>

namespace hpops::alerts {

struct SnsMessage {
    std::string type;  // Notification, SubscriptionConfirmation, UnsubscribeConfirmation
    std::string message_id;
    std::string token;
    std::string topic_arn;
    std::optional<std::string> subject;
    std::string message;
    std::string subscribe_url;
    std::string timestamp;
    std::string signature_version;  // "1": SHA1withRSA, "2": SHA256withRSA
    std::string signature;          // base64
    std::string signing_cert_url;
};

struct ParsedSns {
    SnsMessage message;
    std::string error;  // non-empty: refused with 400
};

ParsedSns parse_sns_message(std::string_view body);

// "Key\nvalue\n" for each signed field, in the order AWS documents for the type.
std::string sns_string_to_sign(const SnsMessage& m);

// Checks the signature over the string to sign with the certificate's key.
// Returns an empty string when valid, else why not.
std::string verify_sns_signature(const SnsMessage& m, std::string_view certificate_pem);

// Why a message signed at `m.timestamp` is too old (older than `max_age`) or
// from too far ahead (over five minutes of clock skew) to act on; empty when
// it is fine. A captured, validly signed notification replayed later would
// otherwise turn a resolved CloudWatch alarm back into a firing one.
std::string sns_message_age_problem(const SnsMessage& m, std::chrono::system_clock::time_point now,
                                    std::chrono::seconds max_age);

}  // namespace hpops::alerts
