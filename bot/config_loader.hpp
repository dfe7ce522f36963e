#pragma once
// Loads the YAML configuration into an immutable hpops::Config, validated in
// full at start-up. Schema and an annotated example: deploy/examples/local.yaml.
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "hpops/config.hpp"

namespace hpops::bot {

// Every problem found, each "FILE:LINE:COL: message" (1-based). Messages
// never contain secret values.
class ConfigError : public std::runtime_error {
public:
    explicit ConfigError(std::vector<std::string> problems);
    const std::vector<std::string>& problems() const { return problems_; }

private:
    std::vector<std::string> problems_;
};

struct LoadOptions {
    // `hpops run` may start without a signing secret (e.g. terminal-only use);
    // everything else treats an empty secret as a mistake.
    bool require_slack_secret = true;
};

// Reads and validates `path`; throws ConfigError listing all problems.
ConfigPtr load_config(const std::string& path, const LoadOptions& options = {});

// Same, from text. `env` stands in for the process environment (tests);
// nullptr means the real one.
ConfigPtr load_config_text(std::string_view yaml, const std::string& source_name,
                           const std::map<std::string, std::string>* env = nullptr,
                           const LoadOptions& options = {});

// Problems in `path` (empty when valid), for `hpops check-config FILE`.
std::vector<std::string> check_config(const std::string& path, const LoadOptions& options = {});

}  // namespace hpops::bot
