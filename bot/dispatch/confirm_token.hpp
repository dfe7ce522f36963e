#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace hpops::bot {

// What a Confirm button promises: exactly this command, for this person, in
// this channel, until this time.
struct ConfirmClaim {
    std::string command_text;  // Intent::to_text()
    std::string actor_id;      // who asked; empty = anyone permitted may confirm
    std::string channel;
    std::int64_t expires_unix = 0;
    std::string nonce;         // makes each token single-use
};

// "<base64url(json)>.<base64url(hmac)>"
std::string sign_confirm_token(const ConfirmClaim& claim, std::string_view key);

struct TokenCheck {
    std::optional<ConfirmClaim> claim;
    std::string reason;  // why it was refused
};
TokenCheck verify_confirm_token(std::string_view token, std::string_view key, std::chrono::system_clock::time_point now);

}  // namespace hpops::bot
