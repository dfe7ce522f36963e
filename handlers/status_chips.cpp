#include "handlers/status_chips.hpp"

#include <string>

#include "common/text.hpp"

namespace hpops::handlers {

Status status_colour(std::string_view aws_status) {
    const std::string s = lower_ascii(aws_status);
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
