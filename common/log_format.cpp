#include "common/log_format.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <ctime>
#include <string>
#include <type_traits>

#include "common/log_fields.hpp"

namespace hpops::log {
namespace {

// Calls visit(name, value) for each field that is set, in one fixed order;
// the job id as a number.
template <class Visit>
void for_each_field(const Fields& f, Visit&& visit) {
    if (!f.request_id.empty()) visit("request_id", f.request_id);
    if (!f.actor.empty()) visit("actor", f.actor);
    if (!f.command.empty()) visit("command", f.command);
    if (f.job_id != 0) visit("job_id", f.job_id);
    if (!f.backend_request_id.empty()) visit("backend_request_id", f.backend_request_id);
}

// A JSON string that never throws: invalid UTF-8 becomes U+FFFD.
std::string json_text(const nlohmann::ordered_json& value) {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// RFC 3339 in UTC with milliseconds: 2026-12-05T10:11:12.345Z.
std::string utc_millis(std::chrono::system_clock::time_point time) {
    const auto ms = std::chrono::floor<std::chrono::milliseconds>(time.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char out[96];  // room for any int the compiler can imagine in each field
    std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms - seconds * 1000LL));
    return out;
}

void append(spdlog::memory_buf_t& dest, std::string_view text) { dest.append(text.data(), text.data() + text.size()); }

std::string_view level_name(spdlog::level::level_enum level) {
    const auto name = spdlog::level::to_string_view(level);
    return {name.data(), name.size()};
}

class JsonFormatter final : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        nlohmann::ordered_json line;
        line["time"] = utc_millis(msg.time);
        line["level"] = level_name(msg.level);
        line["message"] = std::string_view(msg.payload.data(), msg.payload.size());
        for_each_field(current_fields(), [&](const char* name, const auto& value) { line[name] = value; });
        append(dest, json_text(line));
        dest.push_back('\n');
    }
    std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

// The %* of the text pattern: " request_id=… job_id=…", a value quoted (as a
// JSON string) when it holds a space, a quote or an equals sign.
class TextFields final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
        for_each_field(current_fields(), [&](const char* name, const auto& value) {
            std::string text;
            if constexpr (std::is_integral_v<std::decay_t<decltype(value)>>) {
                text = std::to_string(value);
            } else {
                text = value;
                if (text.empty() || text.find_first_of(" \t\n\"=") != std::string::npos) text = json_text(text);
            }
            dest.push_back(' ');
            append(dest, name);
            dest.push_back('=');
            append(dest, text);
        });
    }
    std::unique_ptr<spdlog::custom_flag_formatter> clone() const override { return std::make_unique<TextFields>(); }
};

}  // namespace

std::optional<Format> format_from(std::string_view name) {
    if (name == "text") return Format::text;
    if (name == "json") return Format::json;
    return std::nullopt;
}

std::unique_ptr<spdlog::formatter> make_json_formatter() { return std::make_unique<JsonFormatter>(); }

std::unique_ptr<spdlog::formatter> make_text_formatter() {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    // spdlog's default pattern (the logger has no name), then the fields.
    formatter->add_flag<TextFields>('*').set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%^%l%$] %v%*");
    return formatter;
}

void use_format(Format format) {
    spdlog::set_formatter(format == Format::json ? make_json_formatter() : make_text_formatter());
}

}  // namespace hpops::log
