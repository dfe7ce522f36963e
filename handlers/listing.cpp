#include "handlers/listing.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>

#include "hpops/errors.hpp"

namespace hpops::handlers {

std::size_t parse_list_limit(std::string_view text, std::string_view option) {
    if (text.empty()) return default_list_limit;
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size() || n < 1 || n > max_list_limit)
        throw UserError("`" + std::string(option) + "` must be a whole number from 1 to " + std::to_string(max_list_limit) +
                        ".");
    return n;
}

std::string comma_joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

std::string utc_time_text(std::int64_t unix_ms) {
    const std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
    return text;
}

std::string age_text(std::int64_t from_ms, std::int64_t to_ms) {
    const std::int64_t s = std::max<std::int64_t>(0, (to_ms - from_ms) / 1000);
    if (s >= 86400) return std::to_string(s / 86400) + "d" + std::to_string(s / 3600 % 24) + "h";
    if (s >= 3600) return std::to_string(s / 3600) + "h" + std::to_string(s / 60 % 60) + "m";
    if (s >= 60) return std::to_string(s / 60) + "m";
    return std::to_string(s) + "s";
}

}  // namespace hpops::handlers

namespace hpops::handlers {

std::int64_t now_unix_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace hpops::handlers
