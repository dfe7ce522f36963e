#pragma once
// What makes a configuration unsafe to serve beyond this machine: a Slack
// signing secret anyone can read (the example's default) or guess (short),
// a short confirmation key, or the example's sample admin. Anyone who knows
// the signing secret can forge a signed `nodegroup delete` and its Confirm.
#include <string>
#include <vector>

#include "hpops/config.hpp"

namespace hpops::bot {

// The public example values hpops itself ships (deploy/examples/local.yaml).
inline constexpr const char* example_signing_secret = "local-dev-signing-secret";
inline constexpr const char* example_admin_user = "U0LOCALADMIN";
// Slack's signing secrets are 32 hexadecimal characters.
inline constexpr std::size_t min_secret_length = 32;

bool is_loopback_host(const std::string& host);

// Each problem as "key: why", never with a secret's value. Empty when the
// server listens on loopback only: local experiments may use the example.
std::vector<std::string> public_exposure_problems(const Config& config);

}  // namespace hpops::bot
