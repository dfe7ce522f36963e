#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hpops::bot {

// Slack's v0 request signing: HMAC-SHA256 over "v0:{timestamp}:{raw body}".
std::string slack_signature(std::string_view signing_secret, std::string_view timestamp, std::string_view body);

struct SignatureCheck {
    bool ok = false;
    std::string reason;  // for the 401 body and the log; never contains secrets
    std::int64_t timestamp = 0;  // when ok: the signed X-Slack-Request-Timestamp
};

// Verifies X-Slack-Signature and X-Slack-Request-Timestamp. `now` is passed in
// so tests can replay Slack's published example.
SignatureCheck verify_slack_signature(std::string_view signing_secret, std::string_view timestamp_header,
                                      std::string_view signature_header, std::string_view body,
                                      std::chrono::system_clock::time_point now, std::chrono::seconds tolerance);

// The id hpops gives a Slack request in its logs, audit rows and error
// replies: 16 hex digits of its signature, which names the request exactly
// and tells nothing of the secret. Empty for a header not of the v0 form.
std::string slack_request_id(std::string_view signature_header);

}  // namespace hpops::bot
