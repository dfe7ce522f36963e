#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace hpops {

// Ordered: a higher role includes every permission of the lower ones.
enum class Role { none = 0, viewer = 1, operator_ = 2, admin = 3 };

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

}  // namespace hpops
