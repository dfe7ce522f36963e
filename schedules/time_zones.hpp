#pragma once
#include <string_view>

namespace date {
class time_zone;
}

namespace hpops::schedules {

// The zone of an IANA name (Europe/Berlin, America/New_York, UTC) from the
// system's zone database, or a UserError naming the closest ones.
const date::time_zone& find_zone(std::string_view name);

}  // namespace hpops::schedules
