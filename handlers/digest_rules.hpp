#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hpops/config.hpp"
#include "hpops/digest_schedules.hpp"
#include "hpops/store.hpp"

namespace hpops::handlers {

// The config file's schedules, then the store's (a store schedule of a
// config one's name is hidden by it).
std::vector<DigestSchedule> all_digest_schedules(const Config& config, Store& store);

// The sections a digest can have, in the order it shows them.
const std::vector<std::string_view>& digest_section_names();

// "fleet,alerts" as section names; a UserError naming an unknown one (with
// did-you-mean). Empty text: all.
std::vector<std::string> parse_digest_sections(std::string_view text);

// Why a schedule cannot be, naming its name, cron, time zone, sections or
// how often it fires against `min_interval`; empty when it can.
std::string digest_schedule_problem(const DigestSchedule& schedule, std::chrono::milliseconds min_interval);

// The closest two firings of `cron` in `timezone` come over the next year
// (nullopt: it fires less than twice).
std::optional<std::chrono::seconds> closest_firings(const std::string& cron, const std::string& timezone);

}  // namespace hpops::handlers
