#include "handlers/status_chips.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace hpops::handlers {

Status status_colour(std::string_view aws_status) {
    std::string s(aws_status);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    if (s == "active" || s == "inservice" || s == "successful" || s == "running") return Status::ok;
    if (s.find("fail") != std::string::npos || s == "degraded" || s == "cancelled" || s == "outofservice")
        return Status::bad;
    if (s.empty()) return Status::unknown;
    return Status::warn;  // creating, updating, deleting, pending, ...
}

}  // namespace hpops::handlers
