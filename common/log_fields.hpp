#pragma once
// The fields a log line carries beside its message, so a cluster's log search
// can follow one command from its HTTP request through its job to its audit
// row. Both log formats show them (common/log_format.hpp).
#include <spdlog/spdlog.h>

#include <cstdint>
#include <string_view>
#include <utility>

namespace hpops::log {

// Empty (or 0) means unknown: such a field is left out of the line.
struct Fields {
    std::string_view request_id;          // ours, the one the audit row keeps
    std::string_view actor;               // the chat user's id
    std::string_view command;             // the command table's name, "scale nodegroup"
    std::int64_t job_id = 0;
    std::string_view backend_request_id;  // AWS, Kubernetes or MLflow's request id
};

// The fields of the lines this thread logs while it lives; an inner scope
// adds to an outer one. Coroutines change threads across co_await, so a scope
// must never be held across one: open it around the logging call, as the
// functions below do. Needs a synchronous logger (the default one is).
class FieldScope {
public:
    explicit FieldScope(const Fields& fields);
    ~FieldScope();
    FieldScope(const FieldScope&) = delete;
    FieldScope& operator=(const FieldScope&) = delete;

private:
    Fields fields_;
    const Fields* outer_;
};

// The fields in scope on this thread; all empty outside any scope.
const Fields& current_fields();

// spdlog's calls, with fields.
template <class... Args>
void at(spdlog::level::level_enum level, const Fields& fields, spdlog::format_string_t<Args...> format,
        Args&&... args) {
    FieldScope scope(fields);
    spdlog::log(level, format, std::forward<Args>(args)...);
}
template <class... Args>
void debug(const Fields& fields, spdlog::format_string_t<Args...> format, Args&&... args) {
    at(spdlog::level::debug, fields, format, std::forward<Args>(args)...);
}
template <class... Args>
void info(const Fields& fields, spdlog::format_string_t<Args...> format, Args&&... args) {
    at(spdlog::level::info, fields, format, std::forward<Args>(args)...);
}
template <class... Args>
void warn(const Fields& fields, spdlog::format_string_t<Args...> format, Args&&... args) {
    at(spdlog::level::warn, fields, format, std::forward<Args>(args)...);
}
template <class... Args>
void error(const Fields& fields, spdlog::format_string_t<Args...> format, Args&&... args) {
    at(spdlog::level::err, fields, format, std::forward<Args>(args)...);
}

}  // namespace hpops::log
