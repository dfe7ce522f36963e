#include "bot/filters/slack_signature.hpp"

#include <charconv>
#include <cstdlib>

#include "bot/crypto.hpp"

namespace hpops::bot {

std::string slack_signature(std::string_view signing_secret, std::string_view timestamp, std::string_view body) {
    std::string base;
    base.reserve(4 + timestamp.size() + body.size());
    base.append("v0:").append(timestamp).append(":").append(body);
    return "v0=" + to_hex(hmac_sha256(signing_secret, base));
}

SignatureCheck verify_slack_signature(std::string_view signing_secret, std::string_view timestamp_header,
                                      std::string_view signature_header, std::string_view body,
                                      std::chrono::system_clock::time_point now, std::chrono::seconds tolerance) {
    if (signing_secret.empty()) return {false, "signing secret not configured"};
    if (timestamp_header.empty()) return {false, "missing X-Slack-Request-Timestamp"};
    if (signature_header.empty()) return {false, "missing X-Slack-Signature"};
    long long ts = 0;
    auto [end, ec] = std::from_chars(timestamp_header.data(), timestamp_header.data() + timestamp_header.size(), ts);
    if (ec != std::errc{} || end != timestamp_header.data() + timestamp_header.size())
        return {false, "malformed X-Slack-Request-Timestamp"};
    const long long now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    // Slack's guidance: a timestamp more than five minutes off is a possible replay.
    if (std::llabs(now_s - ts) > tolerance.count()) return {false, "stale request timestamp"};
    if (signature_header.substr(0, 3) != "v0=") return {false, "unsupported signature version"};
    if (!constant_time_equal(slack_signature(signing_secret, timestamp_header, body), signature_header))
        return {false, "signature mismatch"};
    return {true, {}, ts};
}

}  // namespace hpops::bot
