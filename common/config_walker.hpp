#pragma once
// Walks a YAML document against the config schema, collecting every problem
// (with its line) instead of stopping at the first, so one run of
// `hpops check-config` shows everything that needs fixing.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/config_values.hpp"
#include "hpops/role.hpp"

namespace hpops {

// One key's value together with where to point at it. (Not `Field`: that name is
// the reply's, in the same namespace; two types of one name break the ODR.)
struct ConfigField {
    std::string path;  // dotted: "server.threads"
    YAML::Node value;  // undefined when the key is absent
    YAML::Mark mark;   // the value's; the key's when the value is empty

    bool present() const { return value.IsDefined(); }
};

// Secrets are never echoed: a wrong value shows its kind, not its text.
enum class Echo { value, redact };

class YamlWalker {
public:
    YamlWalker(std::string source, EnvLookup env);

    void problem(const YAML::Mark& at, const std::string& message);
    void problem(const ConfigField& at, const std::string& message) {
        problem(at.mark, (at.path.empty() ? std::string("top level") : at.path) + ": " + message);
    }
    // Ordered by line and column, like a compiler's diagnostics.
    std::vector<std::string> problems() const;
    bool has_problems() const { return !problems_.empty(); }

    ConfigField root(const YAML::Node& document) const;
    ConfigField child(const ConfigField& parent, std::string_view key) const;

    // True when `field` is a mapping to read further; absent or empty means
    // "all defaults" and is not a problem. Reports unknown and repeated keys.
    bool section(const ConfigField& field, const std::vector<std::string_view>& known);
    // A mapping with free-form keys (user ids, instance types): calls `visit` for each entry.
    void for_each_entry(const ConfigField& field, const std::function<void(const std::string& key, const ConfigField& value)>& visit);

    // Each read_* returns nullopt when the key is absent (keep the default)
    // or its value is wrong (a problem has been recorded).
    std::optional<std::string> read_string(const ConfigField& field, Echo echo = Echo::value);
    std::optional<std::int64_t> read_int(const ConfigField& field, std::int64_t lo, std::int64_t hi);
    std::optional<double> read_number(const ConfigField& field, double lo, double hi);
    std::optional<std::chrono::milliseconds> read_duration(const ConfigField& field, std::chrono::milliseconds lo,
                                                           std::chrono::milliseconds hi);
    std::optional<std::uint64_t> read_size(const ConfigField& field, std::uint64_t lo, std::uint64_t hi);
    std::optional<std::string> read_choice(const ConfigField& field, const std::vector<std::string_view>& choices);
    std::optional<Role> read_role(const ConfigField& field);
    // A list of strings ("[fleet, alerts]"); `expected` names it in the problem
    // when the value is not a list. Empty when absent.
    std::vector<std::string> read_string_list(const ConfigField& field, std::string_view expected = "a list");

private:
    // The scalar text after ${ENV} expansion; records a problem otherwise.
    std::optional<std::string> scalar(const ConfigField& field, std::string_view expected, Echo echo);
    void wrong(const ConfigField& field, std::string_view expected, const std::string& found_text, Echo echo);

    std::string source_;
    EnvLookup env_;
    struct Problem {
        int line;
        int column;
        std::string text;
    };
    std::vector<Problem> problems_;
};

}  // namespace hpops
