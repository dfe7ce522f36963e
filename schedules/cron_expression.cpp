#include "schedules/cron_expression.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "hpops/errors.hpp"

namespace hpops::schedules {
namespace {

using namespace std::chrono_literals;

struct FieldRule {
    const char* name;
    int low, high;
    std::array<const char*, 12> names = {};  // month and day-of-week names, valued from name_base
    int name_base = 0;
};

constexpr FieldRule minute_rule{"minute", 0, 59, {}};
constexpr FieldRule hour_rule{"hour", 0, 23, {}};
constexpr FieldRule day_rule{"day-of-month", 1, 31, {}};
constexpr FieldRule month_rule{"month", 1, 12,
                               {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}, 1};
constexpr FieldRule weekday_rule{"day-of-week", 0, 7, {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}};

[[noreturn]] void refuse(const FieldRule& rule, const std::string& why) {
    throw UserError(std::string(rule.name) + ": " + why);
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string range_text(const FieldRule& rule) { return std::to_string(rule.low) + "-" + std::to_string(rule.high); }

int number(const FieldRule& rule, std::string_view text) {
    const std::string name = upper(text);
    for (int i = 0; i < 12 && rule.names[i]; ++i)
        if (name == rule.names[i]) return i + rule.name_base;
    if (text.empty()) refuse(rule, "an empty value");
    if (!all_digits(text))
        refuse(rule, "`" + std::string(text.substr(0, 20)) + "` is not a number" +
                         (rule.names[0] ? std::string(" or a name (") + rule.names[0] + ", " + rule.names[1] + ", ...)" : ""));
    const int value = text.size() > 4 ? rule.high + 1 : std::stoi(std::string(text));
    if (value < rule.low || value > rule.high)
        refuse(rule, std::string(text.substr(0, 20)) + " is not in " + range_text(rule));
    return value;
}

int step_of(const FieldRule& rule, std::string_view text) {
    if (!all_digits(text)) refuse(rule, "the step `" + std::string(text.substr(0, 20)) + "` is not a number");
    if (text.size() > 4) refuse(rule, "the step " + std::string(text.substr(0, 20)) + " is longer than the field");
    const int step = std::stoi(std::string(text));
    if (step == 0) refuse(rule, "a step of 0");
    return step;
}

// One comma-separated term: the values it names, in order.
std::vector<int> term_values(const FieldRule& rule, std::string_view term) {
    std::vector<int> values;
    if (const auto slash = term.find('/'); slash != std::string_view::npos) {
        const std::string_view base = term.substr(0, slash), step_text = term.substr(slash + 1);
        const int step = step_of(rule, step_text);
        std::vector<int> stepped = term_values(rule, base);
        // `10/20` is 10 to the field's end, every 20 (Debian's cron reads it so).
        if (stepped.size() == 1 && base.find('-') == std::string_view::npos) {
            stepped.clear();
            for (int v = number(rule, base); v <= rule.high; ++v) stepped.push_back(v);
        }
        for (std::size_t i = 0; i < stepped.size(); i += static_cast<std::size_t>(step)) values.push_back(stepped[i]);
        return values;
    }
    if (term == "*") {
        for (int v = rule.low; v <= rule.high; ++v) values.push_back(v);
        return values;
    }
    if (const auto dash = term.find('-'); dash != std::string_view::npos) {
        const int from = number(rule, term.substr(0, dash)), to = number(rule, term.substr(dash + 1));
        if (to < from) refuse(rule, "the range " + std::string(term) + " runs backwards");
        for (int v = from; v <= to; ++v) values.push_back(v);
        return values;
    }
    values.push_back(number(rule, term));
    return values;
}

template <std::size_t N>
std::bitset<N> field(const FieldRule& rule, std::string_view text) {
    std::bitset<N> set;
    std::size_t start = 0;
    while (true) {
        const auto comma = text.find(',', start);
        const std::string_view term = text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
        for (int v : term_values(rule, term)) set.set(static_cast<std::size_t>(v) % N);  // 7 is Sunday, 0
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return set;
}

std::vector<std::string> split_fields(std::string_view text) {
    std::vector<std::string> fields;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
        const std::size_t start = i;
        while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
        if (i > start) fields.emplace_back(text.substr(start, i - start));
    }
    return fields;
}

std::string_view nickname(std::string_view text) {
    if (text == "@HOURLY") return "0 * * * *";
    if (text == "@DAILY" || text == "@MIDNIGHT") return "0 0 * * *";
    if (text == "@WEEKLY") return "0 0 * * 0";
    if (text == "@MONTHLY") return "0 0 1 * *";
    if (text == "@YEARLY" || text == "@ANNUALLY") return "0 0 1 1 *";
    return {};
}

constexpr std::array<unsigned, 13> longest_month{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

}  // namespace

CronExpression parse_cron(std::string_view text) {
    if (text.size() > 200) throw UserError("a cron expression is five short fields; this one is " +
                                           std::to_string(text.size()) + " characters");
    std::string written(text);
    if (written.starts_with('@')) {
        const std::string_view expanded = nickname(upper(written));
        if (expanded.empty())
            throw UserError("`" + std::string(text.substr(0, 20)) +
                            "` is not one of @hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually");
        written = expanded;
    }
    const std::vector<std::string> parts = split_fields(written);
    if (parts.size() != 5)
        throw UserError("a cron expression has 5 fields (minute hour day-of-month month day-of-week); this one has " +
                        std::to_string(parts.size()));
    CronExpression cron;
    cron.text = std::string(text);
    cron.minutes = field<60>(minute_rule, parts[0]);
    cron.hours = field<24>(hour_rule, parts[1]);
    cron.days = field<32>(day_rule, parts[2]);
    cron.months = field<13>(month_rule, parts[3]);
    cron.weekdays = field<7>(weekday_rule, parts[4]);
    cron.days_and = parts[2].starts_with('*') || parts[4].starts_with('*');
    cron.set_times = !parts[0].starts_with('*') && !parts[1].starts_with('*');
    if (cron.days_and) {
        // `0 0 31 2 *` would never fire: refused, as Debian's cron never runs it.
        unsigned first_day = 1;
        while (!cron.days[first_day]) ++first_day;
        unsigned longest = 0;
        for (unsigned m = 1; m <= 12; ++m)
            if (cron.months[m]) longest = std::max(longest, longest_month[m]);
        if (first_day > longest)
            throw UserError("day-of-month: " + std::to_string(first_day) + " never comes in the months named");
    }
    return cron;
}

bool CronExpression::matches_day(date::year_month_day day) const {
    const bool dom = days[static_cast<unsigned>(day.day())];
    const bool dow = weekdays[date::weekday(day).c_encoding()];
    if (!months[static_cast<unsigned>(day.month())]) return false;
    return days_and ? dom && dow : dom || dow;
}

std::optional<date::local_seconds> CronExpression::next_match(date::local_seconds from) const {
    using date::local_days, date::year_month_day;
    date::local_time<std::chrono::minutes> t = date::ceil<std::chrono::minutes>(from);
    const date::year last_year = year_month_day(date::floor<date::days>(t)).year() + date::years(50);
    while (true) {
        const local_days day = date::floor<date::days>(t);
        const year_month_day ymd(day);
        if (ymd.year() > last_year) return std::nullopt;
        if (!months[static_cast<unsigned>(ymd.month())]) {
            t = local_days((ymd.year() / ymd.month() / 1) + date::months(1));
            continue;
        }
        if (!matches_day(ymd)) {
            t = day + date::days(1);
            continue;
        }
        const date::hh_mm_ss<std::chrono::minutes> clock(t - day);
        auto hour = static_cast<std::size_t>(clock.hours().count());
        auto minute = static_cast<std::size_t>(clock.minutes().count());
        while (hour < 24 && !hours[hour]) ++hour, minute = 0;
        if (hour == 24) {
            t = day + date::days(1);
            continue;
        }
        while (minute < 60 && !minutes[minute]) ++minute;
        if (minute == 60) {
            t = day + std::chrono::hours(hour + 1);
            continue;
        }
        return day + std::chrono::hours(hour) + std::chrono::minutes(minute);
    }
}

}  // namespace hpops::schedules
