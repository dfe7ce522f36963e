#pragma once
// What the config tests share: the example file, and the problems a document has.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bot/config_loader.hpp"

namespace hpops::bot {

using Env = std::map<std::string, std::string>;

inline const Env kSecretEnv{{"SLACK_SIGNING_SECRET", "from-env-secret"}};

inline std::string example_path() { return std::string(HPOPS_SOURCE_DIR) + "/deploy/examples/local.yaml"; }

inline std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The problems a document has; fails the test when it loads.
inline std::vector<std::string> problems_of(const std::string& yaml, const Env& env = kSecretEnv, LoadOptions options = {}) {
    try {
        load_config_text(yaml, "t.yaml", &env, options);
    } catch (const ConfigError& e) {
        return e.problems();
    }
    ADD_FAILURE() << "expected problems in:\n" << yaml;
    return {};
}

inline std::string joined(const std::vector<std::string>& problems) {
    std::string out;
    for (const auto& p : problems) out += p + "\n";
    return out;
}

}  // namespace hpops::bot
