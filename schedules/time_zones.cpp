#include "schedules/time_zones.hpp"

#include <date/tz.h>
#include <stdexcept>
#include <vector>

#include "common/text_similarity.hpp"
#include "hpops/errors.hpp"

namespace hpops::schedules {

const date::time_zone& find_zone(std::string_view name) {
    const date::tzdb& db = date::get_tzdb();
    if (name.size() <= 64) {
        try {
            if (const auto* zone = date::locate_zone(name)) return *zone;
        } catch (const std::runtime_error&) {  // "not found in timezone database"
        }
    }
    std::vector<std::string_view> names;
    for (const auto& zone : db.zones) names.push_back(zone.name());
    std::string message = "`" + std::string(name.substr(0, 40)) + "` is not a time zone";
    if (const std::string near = closest_match(name, names); !near.empty()) message += "; did you mean `" + near + "`?";
    else message += "; use an IANA name such as Europe/Berlin, America/New_York or UTC";
    throw UserError(message);
}

}  // namespace hpops::schedules
