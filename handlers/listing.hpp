#pragma once
// What every listing command (`alerts`, `jobs`) reads and shows the same way.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hpops::handlers {

inline constexpr std::size_t default_list_limit = 20, max_list_limit = 200;

// "" -> 20; "1".."200" -> that; anything else -> UserError naming `option`.
std::size_t parse_list_limit(std::string_view text, std::string_view option = "limit");

// Now, as the epoch-ms times jobs and audit rows keep.
std::int64_t now_unix_ms();

// "g5.xlarge, g5.2xlarge": names in a table cell.
std::string comma_joined(const std::vector<std::string>& items);

// "2026-12-05 14:18:02": an epoch-ms time in UTC.
std::string utc_time_text(std::int64_t unix_ms);

// A short age between two epoch-ms times: "45s", "12m", "3h5m", "2d4h".
std::string age_text(std::int64_t from_ms, std::int64_t to_ms);

}  // namespace hpops::handlers
