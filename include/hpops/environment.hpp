#pragma once
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>

namespace hpops {

// Reads an environment variable; nullopt when unset. Injected wherever the
// environment matters (config, AWS credentials, endpoints) so tests pass their own.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

inline EnvLookup process_environment() {
    return [](const std::string& name) -> std::optional<std::string> {
        if (const char* value = std::getenv(name.c_str())) return std::string(value);
        return std::nullopt;
    };
}

}  // namespace hpops
