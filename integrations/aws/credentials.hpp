#pragma once
#include <chrono>
#include <optional>
#include <string>

namespace hpops::integrations::aws {

struct AwsCredentials {
    std::string access_key_id;
    std::string secret_access_key;  // never log
    std::string session_token;      // empty for long-term keys
    std::optional<std::chrono::system_clock::time_point> expiration;
};

}  // namespace hpops::integrations::aws
