#include "bot/dispatch/authorizer.hpp"

#include <algorithm>

namespace hpops::bot {

Role effective_role(const AccessConfig& access, std::string_view user_id, std::string_view channel_id) {
    Role role = access.default_role;
    if (auto it = access.users.find(std::string(user_id)); it != access.users.end()) role = std::max(role, it->second);
    if (auto it = access.channels.find(std::string(channel_id)); it != access.channels.end())
        role = std::max(role, it->second);
    return role;
}

}  // namespace hpops::bot
