#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "hpops/role.hpp"

namespace hpops::bot {

// What a Confirm button promises: exactly this command, for this person, in
// this channel, until this time.
struct ConfirmClaim {
    std::string command_text;  // Intent::to_text()
    std::string actor_id;      // who asked; empty = anyone permitted may confirm
    std::string channel;
    std::int64_t expires_unix = 0;
    std::string nonce;         // makes each token single-use
    // Set: a two-person approval's request, answered by Approve or Reject by
    // someone other than actor_id with at least this role; never by Confirm.
    std::optional<Role> approver;
};

// A claim of `command_text` for `actor_id` in `channel`, valid for `ttl`, with a fresh nonce.
ConfirmClaim make_claim(std::string command_text, std::string actor_id, std::string channel, std::chrono::seconds ttl);

// Slack caps a button value at 2,000 characters.
constexpr std::size_t max_button_value = 2000;

// "<base64url(json)>.<base64url(hmac)>"
std::string sign_confirm_token(const ConfirmClaim& claim, std::string_view key);

struct TokenCheck {
    std::optional<ConfirmClaim> claim;
    std::string reason;  // why it was refused
    // A token whose signature holds but whose time ran out: what it claimed,
    // so an expired approval can be named and audited.
    std::optional<ConfirmClaim> expired;
};
TokenCheck verify_confirm_token(std::string_view token, std::string_view key, std::chrono::system_clock::time_point now);

}  // namespace hpops::bot
