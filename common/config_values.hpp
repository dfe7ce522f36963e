#pragma once
// Scalar parsers for the configuration file: durations, sizes, host:port,
// ${ENV} expansion and "did you mean" suggestions. Pure functions, no YAML,
// so they are tested and reused (CLI flags) without a document.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hpops/environment.hpp"
#include "hpops/role.hpp"

namespace hpops {

// "10s", "500ms", "2m", "1h", "1m30s", "35d"; a bare "0" is zero. Integers only: a
// fraction is written in the next smaller unit ("1500ms"). Nullopt on bad
// syntax or overflow.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// Bytes: "1048576", "512KiB", "1MiB", "1 MB" (binary KiB/MiB/GiB, decimal
// kB/KB/MB/GB, "B"). Nullopt on bad syntax or overflow.
std::optional<std::uint64_t> parse_size(std::string_view text);

struct HostPort {
    std::string host;  // without IPv6 brackets: "::1"
    std::uint16_t port = 0;
};

// "HOST:PORT" with PORT in 1..65535; IPv6 hosts in brackets ("[::1]:8080").
// On failure returns nullopt and sets `why` to a reason fit for a message.
std::optional<HostPort> parse_host_port(std::string_view text, std::string& why);

// Returns the variable's value, or nullopt when it is unset.
using hpops::EnvLookup;


struct EnvExpansion {
    std::string value;
    std::vector<std::string> missing;  // ${NAME} unset and without a default
    std::string syntax_error;          // empty when the text is well formed
};

// Replaces ${NAME} and ${NAME:-default} (the default also applies when NAME
// is set but empty, as in the shell). "$${" stands for a literal "${".
EnvExpansion expand_env(std::string_view text, const EnvLookup& env);



// "a, b, c" for messages.
std::string join_names(const std::vector<std::string_view>& names);

}  // namespace hpops
