#include "common/timestamps.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace hpops {
namespace {

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

int to_int(std::string_view digits) {
    int value = 0;
    for (char c : digits) value = value * 10 + (c - '0');
    return value;
}

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size() || !all_digits(s.substr(at, n))) return false;
    out = to_int(s.substr(at, n));
    return true;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_aws_timestamp(std::string_view s) {
    using namespace std::chrono;
    auto digits = [&](std::size_t pos, std::size_t count) -> std::optional<int> {
        if (pos + count > s.size() || !all_digits(s.substr(pos, count))) return std::nullopt;
        return to_int(s.substr(pos, count));
    };
    auto at = [&](std::size_t pos, std::string_view allowed) {
        return pos < s.size() && allowed.find(s[pos]) != std::string_view::npos;
    };
    const auto y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2), h = digits(11, 2), mi = digits(14, 2), sec = digits(17, 2);
    if (!y || !mo || !d || !h || !mi || !sec || !at(4, "-") || !at(7, "-") || !at(10, "Tt ") || !at(13, ":") || !at(16, ":"))
        return std::nullopt;
    std::size_t pos = 19;
    nanoseconds fraction{0};
    if (at(pos, ".")) {
        const std::size_t start = ++pos;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
        if (pos == start) return std::nullopt;
        std::string nanos(s.substr(start, std::min<std::size_t>(pos - start, 9)));
        nanos.resize(9, '0');
        fraction = nanoseconds(std::stoll(nanos));
    }
    minutes offset{0};
    if (at(pos, "Zz")) {
        ++pos;
    } else if (at(pos, "+-")) {
        const auto oh = digits(pos + 1, 2), om = digits(pos + 4, 2);
        if (!oh || !om || !at(pos + 3, ":")) return std::nullopt;
        offset = (s[pos] == '-' ? -1 : 1) * (hours(*oh) + minutes(*om));
        pos += 6;
    } else {
        return std::nullopt;
    }
    const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
    // The upper year bound keeps the nanosecond clock from overflowing.
    if (pos != s.size() || !date.ok() || *y < 1970 || *y > 2200 || *h > 23 || *mi > 59 || *sec > 60) return std::nullopt;
    const auto utc = sys_days{date} + hours{*h} + minutes{*mi} + seconds{*sec} + fraction - offset;
    return time_point_cast<system_clock::duration>(utc);
}

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view s) {
    int y, mo, d, h, mi, sec;
    if (s.size() < 20 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
        !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, h) || s[13] != ':' ||
        !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, sec))
        return std::nullopt;
    if (y <= 1) return std::nullopt;  // Go's zero time: unset
    std::size_t at = 19;
    std::chrono::nanoseconds fraction{0};
    if (at < s.size() && s[at] == '.') {
        long long value = 0, scale = 1'000'000'000;
        ++at;
        while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
            if (scale > 1) {
                scale /= 10;
                value += (s[at] - '0') * scale;
            }
            ++at;
        }
        fraction = std::chrono::nanoseconds(value);
    }
    std::chrono::minutes offset{0};
    if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
        ++at;
    } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
        // "+02:00", and "+0000" as CloudWatch writes StateChangeTime.
        const bool colon = at + 3 < s.size() && s[at + 3] == ':';
        int oh, om;
        if (!digits(s, at + 1, 2, oh) || !digits(s, at + (colon ? 4 : 3), 2, om)) return std::nullopt;
        offset = std::chrono::minutes((oh * 60 + om) * (s[at] == '-' ? -1 : 1));
        at += colon ? 6 : 5;
    } else {
        return std::nullopt;
    }
    if (at != s.size()) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)),
                                          std::chrono::day(static_cast<unsigned>(d))};
    if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
    const std::chrono::sys_seconds t = std::chrono::sys_days(ymd) + std::chrono::hours(h) +
                                       std::chrono::minutes(mi) + std::chrono::seconds(sec) - offset;
    // system_clock counts nanoseconds in 64 bits: 1677-09-21 to 2262-04-11.
    // A sender's "9999-12-31" (Go's far future) is clamped, not overflowed,
    // and to a range where `now - t` cannot overflow either (the SNS fuzz
    // target found that at the clock's own limits): 1970 to 2200.
    using clock = std::chrono::system_clock;
    constexpr std::chrono::sys_seconds earliest = std::chrono::sys_days(std::chrono::year(1970) / 1 / 1);
    constexpr std::chrono::sys_seconds latest = std::chrono::sys_days(std::chrono::year(2200) / 1 / 1);
    if (t <= earliest) return clock::time_point(earliest);
    if (t >= latest) return clock::time_point(latest);
    return std::chrono::time_point_cast<clock::duration>(t + fraction);
}

}  // namespace hpops
