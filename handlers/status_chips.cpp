#include "handlers/status_chips.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace hpops::handlers {

Status status_colour(std::string_view aws_status) {
    std::string s(aws_status);
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    if (s == "active" || s == "inservice" || s == "successful" || s == "running") return Status::ok;
    // CloudFormation's: a stack that was made or changed as asked, or one rolled back.
    if (s == "create_complete" || s == "update_complete" || s == "import_complete") return Status::ok;
    if (s.find("fail") != std::string::npos || s.find("rollback") != std::string::npos || s == "degraded" ||
        s == "cancelled" || s == "outofservice")
        return Status::bad;
    if (s.empty()) return Status::unknown;
    return Status::warn;  // creating, updating, deleting, pending, ...
}

}  // namespace hpops::handlers
