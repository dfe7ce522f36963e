#pragma once
#include <string_view>

#include "hpops/config.hpp"
#include "hpops/role.hpp"

namespace hpops::bot {

// The effective role is the highest of the default role, the user's binding and
// the channel's binding: a channel binding lets everyone in an ops channel act,
// a user binding follows the person everywhere.
Role effective_role(const AccessConfig& access, std::string_view user_id, std::string_view channel_id);

}  // namespace hpops::bot
