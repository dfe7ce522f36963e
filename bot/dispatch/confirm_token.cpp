#include "bot/dispatch/confirm_token.hpp"

#include <nlohmann/json.hpp>

#include "common/crypto.hpp"

namespace hpops::bot {

ConfirmClaim make_claim(std::string command_text, std::string actor_id, std::string channel, std::chrono::seconds ttl) {
    ConfirmClaim claim;
    claim.command_text = std::move(command_text);
    claim.actor_id = std::move(actor_id);
    claim.channel = std::move(channel);
    claim.expires_unix =
        std::chrono::duration_cast<std::chrono::seconds>((std::chrono::system_clock::now() + ttl).time_since_epoch())
            .count();
    claim.nonce = base64url_encode(random_bytes(12));  // makes each token single-use
    return claim;
}

std::string sign_confirm_token(const ConfirmClaim& claim, std::string_view key) {
    nlohmann::json body{{"c", claim.command_text}, {"u", claim.actor_id}, {"ch", claim.channel},
                        {"exp", claim.expires_unix}, {"n", claim.nonce}};
    if (claim.approver) body["ap"] = std::string(to_string(*claim.approver));
    std::string payload = base64url_encode(body.dump());
    return payload + "." + base64url_encode(hmac_sha256(key, payload));
}

TokenCheck verify_confirm_token(std::string_view token, std::string_view key, std::chrono::system_clock::time_point now) {
    auto dot = token.find('.');
    if (dot == std::string_view::npos) return {std::nullopt, "malformed confirmation token"};
    std::string_view payload = token.substr(0, dot);
    auto mac = base64url_decode(token.substr(dot + 1));
    if (!mac || !constant_time_equal(*mac, hmac_sha256(key, payload)))
        return {std::nullopt, "confirmation token signature is not valid"};
    auto json_text = base64url_decode(payload);
    if (!json_text) return {std::nullopt, "malformed confirmation token"};
    auto body = nlohmann::json::parse(*json_text, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return {std::nullopt, "malformed confirmation token"};
    ConfirmClaim claim;
    try {
        claim.command_text = body.at("c").get<std::string>();
        claim.actor_id = body.at("u").get<std::string>();
        claim.channel = body.at("ch").get<std::string>();
        claim.expires_unix = body.at("exp").get<std::int64_t>();
        claim.nonce = body.at("n").get<std::string>();
        if (body.contains("ap")) {
            claim.approver = parse_role(body.at("ap").get<std::string>());
            if (!claim.approver) return {std::nullopt, "malformed confirmation token"};
        }
    } catch (const nlohmann::json::exception&) {
        return {std::nullopt, "malformed confirmation token"};
    }
    const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    if (now_s > claim.expires_unix)
        return {std::nullopt, "this confirmation has expired; run the command again", std::move(claim)};
    return {std::move(claim), {}};
}

}  // namespace hpops::bot
