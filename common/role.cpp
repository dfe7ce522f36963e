#include "hpops/role.hpp"

#include <array>
#include <cctype>

namespace hpops {

namespace {

struct RoleName {
    Role role;
    std::string_view name;
};

constexpr std::array<RoleName, 4> role_names{{
    {Role::none, "none"},
    {Role::viewer, "viewer"},
    {Role::operator_, "operator"},
    {Role::admin, "admin"},
}};

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

}  // namespace

std::string_view to_string(Role role) {
    for (const auto& entry : role_names)
        if (entry.role == role) return entry.name;
    // Only reachable through a cast of an out-of-range integer.
    return "none";
}

std::optional<Role> parse_role(std::string_view text) {
    for (const auto& entry : role_names)
        if (iequals(entry.name, text)) return entry.role;
    return std::nullopt;
}

}  // namespace hpops
