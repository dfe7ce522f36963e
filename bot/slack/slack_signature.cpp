#include "bot/slack/slack_signature.hpp"

#include <charconv>
#include <cstdlib>

#include <array>
#include <optional>

#include "common/crypto.hpp"
#include "common/hmac_sha256_key.hpp"

namespace hpops::bot {
namespace {

// The secret's HMAC pads, hashed once per thread rather than once per request.
const HmacSha256Key& key_for(std::string_view signing_secret) {
    thread_local std::string secret;
    thread_local std::optional<HmacSha256Key> key;
    if (!key || secret != signing_secret) {
        key.emplace(signing_secret);
        secret = signing_secret;
    }
    return *key;
}

// "v0=" and 64 lower-case hex digits, on the stack.
using SignatureText = std::array<char, 3 + 64>;

SignatureText signature_text(std::string_view signing_secret, std::string_view timestamp, std::string_view body) {
    static constexpr char digits[] = "0123456789abcdef";
    const auto digest = key_for(signing_secret).sign({"v0:", timestamp, ":", body});
    SignatureText text{'v', '0', '='};
    for (std::size_t i = 0; i < digest.size(); ++i) {
        text[3 + 2 * i] = digits[digest[i] >> 4];
        text[4 + 2 * i] = digits[digest[i] & 0xf];
    }
    return text;
}

}  // namespace

std::string slack_signature(std::string_view signing_secret, std::string_view timestamp, std::string_view body) {
    const SignatureText text = signature_text(signing_secret, timestamp, body);
    return std::string(text.data(), text.size());
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
    const SignatureText expected = signature_text(signing_secret, timestamp_header, body);
    if (!constant_time_equal(std::string_view(expected.data(), expected.size()), signature_header))
        return {false, "signature mismatch"};
    return {true, {}, ts};
}

std::string slack_request_id(std::string_view signature_header) {
    if (!signature_header.starts_with("v0=") || signature_header.size() < 3 + 16) return {};
    const std::string_view id = signature_header.substr(3, 16);
    for (const char c : id)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return {};
    return std::string(id);
}

}  // namespace hpops::bot
