#include "handlers/training_view.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>

#include "common/text.hpp"

namespace hpops::handlers {
namespace {

const std::string ellipsis = "…";

bool starts_code_point(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

std::string trim_spaces(std::string s) {
    s.erase(0, s.find_first_not_of(' '));
    s.erase(s.find_last_not_of(' ') + 1);
    return s;
}

}  // namespace

ExperimentNames experiment_names(const std::vector<Experiment>& experiments) {
    ExperimentNames out;
    for (const auto& e : experiments) out.emplace(e.id, e.name);
    return out;
}

std::string experiment_label(const ExperimentNames& names, const std::string& id) {
    auto it = names.find(id);
    if (it != names.end() && !it->second.empty()) return it->second;
    return id.empty() ? "—" : id;
}

Status samples_colour(double samples_per_second) {
    if (!std::isfinite(samples_per_second)) return Status::unknown;
    if (samples_per_second >= 2.0) return Status::ok;
    if (samples_per_second >= 1.0) return Status::warn;
    return Status::bad;
}

Status replica_colour(int replicas) {
    if (replicas >= 4) return Status::bad;
    if (replicas >= 2) return Status::warn;
    return Status::ok;
}

std::string instance_family(std::string_view instance_type) {
    std::string type = lower_ascii(instance_type);
    if (type.starts_with("ml.")) type.erase(0, 3);
    return type.substr(0, type.find('.'));
}

// Seed 001 paints g5 green, p4d blue and p3 orange. Reply has no blue, and p4d
// is the top tier rather than a concern, so it shares green with g5. Families
// the seed does not name are unknown: its catch-all orange would flag p5 or g6
// as a warning.
Status instance_family_colour(std::string_view instance_type) {
    const std::string family = instance_family(instance_type);
    if (family == "g5" || family == "p4d") return Status::ok;
    if (family == "p3") return Status::warn;
    return Status::unknown;
}

Status run_status_colour(std::string_view status) {
    const std::string s = lower_ascii(status);
    if (s == "finished") return Status::ok;
    if (s == "failed") return Status::bad;
    if (s == "running" || s == "scheduled" || s == "killed") return Status::warn;
    return Status::unknown;
}

std::vector<Chip> run_chips(const Run& run) {
    std::vector<Chip> chips;
    chips.push_back({run.status.empty() ? "status unknown" : clip(run.status, max_value_chars),
                     run_status_colour(run.status)});
    if (auto samples = metric(run, samples_metric))
        chips.push_back({format_number(*samples) + " samples/s", samples_colour(*samples)});
    if (auto it = run.tags.find("replica_count"); it != run.tags.end()) {
        const auto replicas = replica_count(run);
        chips.push_back({clip(it->second, max_value_chars) + (replicas == 1 ? " replica" : " replicas"),
                         replicas ? replica_colour(*replicas) : Status::unknown});
    }
    if (auto it = run.tags.find("instance_type"); it != run.tags.end())
        chips.push_back({clip(it->second, max_value_chars), instance_family_colour(it->second)});
    return chips;
}

bool is_system_tag(std::string_view key) { return key.starts_with("mlflow."); }

namespace {

bool is_important(std::string_view key) {
    return std::find(important_tags.begin(), important_tags.end(), key) != important_tags.end();
}

}  // namespace

std::vector<std::string> ordered_tag_keys(const std::map<std::string, std::string>& tags) {
    std::vector<std::string> keys;
    for (auto key : important_tags)
        if (tags.count(std::string(key))) keys.emplace_back(key);
    // std::map keeps the rest in name order already.
    for (const auto& [key, value] : tags)
        if (!is_system_tag(key) && !is_important(key)) keys.push_back(key);
    return keys;
}

std::vector<std::string> tag_columns(const std::vector<const Run*>& runs) {
    std::set<std::string_view> seen;
    for (const Run* run : runs)
        for (const auto& [key, value] : run->tags)
            if (!is_system_tag(key)) seen.insert(key);
    std::vector<std::string> keys;
    for (auto key : important_tags)
        if (seen.count(key)) keys.emplace_back(key);
    for (auto key : seen)
        if (!is_important(key)) keys.emplace_back(key);
    return keys;
}

std::optional<double> metric(const Run& run, std::string_view key) {
    auto it = run.metrics.find(std::string(key));
    if (it == run.metrics.end()) return std::nullopt;
    return it->second;
}

std::optional<int> parse_whole_number(std::string_view text) {
    int n = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return n;
}

std::optional<int> replica_count(const Run& run) {
    auto it = run.tags.find("replica_count");
    if (it == run.tags.end()) return std::nullopt;
    return parse_whole_number(it->second);
}

std::string run_label(const Run& run) { return run.name.empty() ? run.id : run.name; }

std::string format_duration(std::int64_t ms) {
    if (ms < 0) return "—";
    const std::int64_t s = ms / 1000, m = s / 60, h = m / 60, d = h / 24;
    char out[48];
    if (s < 60) std::snprintf(out, sizeof out, "%llds", static_cast<long long>(s));
    else if (m < 60) std::snprintf(out, sizeof out, "%lldm %02llds", static_cast<long long>(m), static_cast<long long>(s % 60));
    else if (h < 24) std::snprintf(out, sizeof out, "%lldh %02lldm", static_cast<long long>(h), static_cast<long long>(m % 60));
    else std::snprintf(out, sizeof out, "%lldd %lldh", static_cast<long long>(d), static_cast<long long>(h % 24));
    return out;
}

std::string format_time(std::int64_t epoch_ms) {
    if (epoch_ms <= 0) return "—";
    using namespace std::chrono;
    const sys_time<milliseconds> at{milliseconds{epoch_ms}};
    const auto day = floor<days>(at);
    const year_month_day ymd{day};
    const hh_mm_ss<minutes> time{floor<minutes>(at - day)};
    char out[40];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u %02d:%02d UTC", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()));
    return out;
}

std::string slack_time(std::int64_t epoch_ms) {
    if (epoch_ms <= 0) return "—";
    return "<!date^" + std::to_string(epoch_ms / 1000) + "^{date_num} {time}|" + format_time(epoch_ms) + ">";
}

std::string run_duration(const Run& run, std::int64_t now_ms) {
    if (run.start_time_ms <= 0) return "—";
    if (run.end_time_ms > 0) return format_duration(run.end_time_ms - run.start_time_ms);
    const std::string s = lower_ascii(run.status);
    if (s == "running" || s == "scheduled") return format_duration(now_ms - run.start_time_ms) + " so far";
    return "—";  // ended without an end time (a crashed client): no honest duration
}

std::string format_number(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    char out[48];
    if (std::fabs(value) >= 1000) std::snprintf(out, sizeof out, "%.0f", value);
    else std::snprintf(out, sizeof out, "%.4g", value);
    return out;
}

std::string sparkline(const std::vector<double>& values, std::size_t width) {
    static constexpr const char* glyphs[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    std::vector<double> finite;
    finite.reserve(values.size());
    for (double v : values)
        if (std::isfinite(v)) finite.push_back(v);
    if (finite.empty() || width == 0) return {};
    // Long histories (thousands of logging steps) are averaged into buckets.
    std::vector<double> points;
    if (finite.size() <= width) {
        points = std::move(finite);
    } else {
        points.reserve(width);
        for (std::size_t b = 0; b < width; ++b) {
            const std::size_t from = b * finite.size() / width, to = (b + 1) * finite.size() / width;
            double sum = 0;
            for (std::size_t i = from; i < to; ++i) sum += finite[i];
            points.push_back(sum / static_cast<double>(to - from));
        }
    }
    const auto [lo, hi] = std::minmax_element(points.begin(), points.end());
    const double low = *lo, span = *hi - *lo;
    std::string out;
    out.reserve(points.size() * 3);
    for (double v : points) {
        const long level = span > 0 ? std::lround((v - low) / span * 7.0) : 3;
        out += glyphs[std::clamp(level, 0L, 7L)];
    }
    return out;
}

std::string clip(std::string_view text, std::size_t max_chars) {
    if (max_chars == 0) return {};
    std::string out;
    out.reserve(std::min(text.size(), max_chars * 4));
    std::size_t chars = 0, keep = 0;
    for (char c : text) {
        if (starts_code_point(c)) {
            if (chars == max_chars) {
                out.resize(keep);
                return out + ellipsis;
            }
            // Where to cut if the text turns out one character too long.
            if (chars == max_chars - 1) keep = out.size();
            ++chars;
        }
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7F) ? ' ' : c;
    }
    return out;
}

std::string code_span(std::string_view raw, std::size_t max_chars) {
    std::string value = trim_spaces(clip(raw, max_chars));
    if (value.empty()) return "—";
    // A backtick in the data would close the span early; U+02CB looks the same.
    return "`" + mrkdwn_escape(replace_all(std::move(value), "`", "ˋ")) + "`";
}

std::string bold(std::string_view raw, std::size_t max_chars) {
    std::string value = trim_spaces(clip(raw, max_chars));
    if (value.empty()) return "—";
    return "*" + mrkdwn_escape(replace_all(std::move(value), "*", "∗")) + "*";
}

}  // namespace hpops::handlers
