#include "alerts/receiver_auth.hpp"

#include <cctype>

#include "common/crypto.hpp"

namespace hpops::alerts {

namespace {

// "Bearer abc" -> "abc" when the scheme matches (case-insensitive, as RFC 7235).
std::string_view credentials_of(std::string_view header, std::string_view scheme) {
    if (header.size() <= scheme.size() || header[scheme.size()] != ' ') return {};
    for (std::size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(header[i])) != std::tolower(static_cast<unsigned char>(scheme[i])))
            return {};
    std::string_view rest = header.substr(scheme.size() + 1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    return rest;
}

}  // namespace

bool alertmanager_authorized(const AlertsConfig& config, std::string_view authorization) {
    bool ok = false;
    if (!config.alertmanager_token.empty()) {
        const std::string_view given = credentials_of(authorization, "Bearer");
        ok |= !given.empty() && secret_equal(given, config.alertmanager_token);
    }
    if (!config.alertmanager_username.empty()) {
        const std::string expected = config.alertmanager_username + ":" + config.alertmanager_password;
        const std::string_view encoded = credentials_of(authorization, "Basic");
        const auto given = encoded.empty() ? std::nullopt : base64_decode(encoded);
        ok |= given && secret_equal(*given, expected);
    }
    return ok;
}

bool grafana_signature_valid(std::string_view secret, std::string_view timestamp, std::string_view body,
                             std::string_view signature_hex, bool with_timestamp) {
    if (secret.empty() || signature_hex.empty()) return false;
    std::string signed_text;
    if (with_timestamp) {
        if (timestamp.empty()) return false;
        signed_text.reserve(timestamp.size() + 1 + body.size());
        signed_text.append(timestamp).append(":").append(body);
    }
    const std::string expected = to_hex(hmac_sha256(secret, with_timestamp ? std::string_view(signed_text) : body));
    std::string given(signature_hex);
    for (char& c : given) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return constant_time_equal(given, expected);
}

}  // namespace hpops::alerts
