#include "common/config_walker.hpp"
#include "common/text_similarity.hpp"
#include "hpops/role.hpp"

#include <algorithm>
#include <charconv>
#include <tuple>
#include <set>
#include <utility>

namespace hpops {
namespace {

std::string format_duration(std::chrono::milliseconds d) {
    const auto ms = d.count();
    if (ms != 0 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
    if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
    if (ms != 0 && ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
    return std::to_string(ms) + "ms";
}

std::string format_size(std::uint64_t bytes) {
    if (bytes != 0 && bytes % (1ull << 30) == 0) return std::to_string(bytes >> 30) + "GiB";
    if (bytes != 0 && bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + "MiB";
    if (bytes != 0 && bytes % (1ull << 10) == 0) return std::to_string(bytes >> 10) + "KiB";
    return std::to_string(bytes) + " bytes";
}

std::string format_number(double value) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc{} ? std::string(buffer, end) : std::string("?");
}

// What a node holds, for "expected X, found Y".
std::string kind_of(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Null: return "nothing";
    default: return "a value";
    }
}

std::string quoted(std::string_view text) {
    constexpr std::size_t max_shown = 40;
    if (text.size() > max_shown) return "`" + std::string(text.substr(0, max_shown)) + "…`";
    return "`" + std::string(text) + "`";
}

}  // namespace

YamlWalker::YamlWalker(std::string source, EnvLookup env) : source_(std::move(source)), env_(std::move(env)) {}

void YamlWalker::problem(const YAML::Mark& at, const std::string& message) {
    // YAML marks are 0-based; editors and compilers count from 1.
    const int line = at.is_null() ? 1 : at.line + 1;
    const int column = at.is_null() ? 1 : at.column + 1;
    problems_.push_back({line, column, source_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message});
}

std::vector<std::string> YamlWalker::problems() const {
    std::vector<Problem> sorted = problems_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Problem& a, const Problem& b) {
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    std::vector<std::string> out;
    for (Problem& p : sorted) out.push_back(std::move(p.text));
    return out;
}

ConfigField YamlWalker::root(const YAML::Node& document) const {
    return ConfigField{"", document, document.IsDefined() ? document.Mark() : YAML::Mark::null_mark()};
}

ConfigField YamlWalker::child(const ConfigField& parent, std::string_view key) const {
    const std::string path = parent.path.empty() ? std::string(key) : parent.path + "." + std::string(key);
    if (parent.present() && parent.value.IsMap()) {
        for (auto it = parent.value.begin(); it != parent.value.end(); ++it) {
            if (!it->first.IsScalar() || it->first.Scalar() != key) continue;
            // An empty value's mark points at the next token; the key is
            // where the reader will look.
            const YAML::Mark mark = it->second.IsNull() ? it->first.Mark() : it->second.Mark();
            return ConfigField{path, it->second, mark};
        }
    }
    return ConfigField{path, YAML::Node(YAML::NodeType::Undefined), parent.mark};
}

bool YamlWalker::section(const ConfigField& field, const std::vector<std::string_view>& known) {
    if (!field.present() || field.value.IsNull()) return false;
    if (!field.value.IsMap()) {
        problem(field, "expected a mapping with keys " + join_names(known) + ", found " + kind_of(field.value));
        return false;
    }
    std::set<std::string> seen;
    const std::string prefix = field.path.empty() ? "" : field.path + ".";
    for (auto it = field.value.begin(); it != field.value.end(); ++it) {
        if (!it->first.IsScalar()) {
            problem(it->first.Mark(), field.path + ": keys must be plain names, found " + kind_of(it->first));
            continue;
        }
        const std::string& key = it->first.Scalar();
        bool is_known = false;
        for (const std::string_view k : known) is_known = is_known || k == key;
        if (!is_known) {
            std::string message = "unknown key `" + prefix + key + "` (expected one of: " + join_names(known) + ")";
            if (const std::string guess = closest_match(key, known); !guess.empty())
                message += "; did you mean `" + guess + "`?";
            problem(it->first.Mark(), message);
        } else if (!seen.insert(key).second) {
            problem(it->first.Mark(), "key `" + prefix + key + "` appears more than once");
        }
    }
    return true;
}

void YamlWalker::for_each_entry(const ConfigField& field,
                                const std::function<void(const std::string& key, const ConfigField& value)>& visit) {
    if (!field.present() || field.value.IsNull()) return;
    if (!field.value.IsMap()) {
        problem(field, "expected a mapping of keys to values, found " + kind_of(field.value));
        return;
    }
    std::set<std::string> seen;
    for (auto it = field.value.begin(); it != field.value.end(); ++it) {
        if (!it->first.IsScalar() || it->first.Scalar().empty()) {
            problem(it->first.Mark(), field.path + ": expected a name as the key, found " + kind_of(it->first));
            continue;
        }
        const std::string& key = it->first.Scalar();
        if (!seen.insert(key).second) {
            problem(it->first.Mark(), field.path + ": `" + key + "` appears more than once");
            continue;
        }
        const YAML::Mark mark = it->second.IsNull() ? it->first.Mark() : it->second.Mark();
        visit(key, ConfigField{field.path + "." + key, it->second, mark});
    }
}

void YamlWalker::wrong(const ConfigField& field, std::string_view expected, const std::string& found_text, Echo echo) {
    problem(field, "expected " + std::string(expected) + ", found " +
                       (echo == Echo::redact ? std::string("a value that is not shown (secret)") : quoted(found_text)));
}

std::optional<std::string> YamlWalker::scalar(const ConfigField& field, std::string_view expected, Echo echo) {
    if (!field.value.IsScalar()) {
        problem(field, "expected " + std::string(expected) + ", found " + kind_of(field.value));
        return std::nullopt;
    }
    EnvExpansion expanded = expand_env(field.value.Scalar(), env_);
    if (!expanded.syntax_error.empty()) {
        problem(field, echo == Echo::redact ? std::string("malformed ${...} reference") : expanded.syntax_error);
        return std::nullopt;
    }
    for (const std::string& name : expanded.missing)
        problem(field, "${" + name + "} is not set and has no default (write ${" + name + ":-value} for one)");
    if (!expanded.missing.empty()) return std::nullopt;
    return std::move(expanded.value);
}

std::optional<std::string> YamlWalker::read_string(const ConfigField& field, Echo echo) {
    if (!field.present()) return std::nullopt;
    // `key:` with nothing after it reads as an empty string, as in env files.
    if (field.value.IsNull()) return std::string();
    return scalar(field, "a string", echo);
}

std::optional<std::int64_t> YamlWalker::read_int(const ConfigField& field, std::int64_t lo, std::int64_t hi) {
    if (!field.present()) return std::nullopt;
    const std::string expected = "an integer in " + std::to_string(lo) + ".." + std::to_string(hi);
    const auto text = scalar(field, expected, Echo::value);
    if (!text) return std::nullopt;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (text->empty() || ec != std::errc{} || end != text->data() + text->size() || value < lo || value > hi) {
        wrong(field, expected, *text, Echo::value);
        return std::nullopt;
    }
    return value;
}

std::optional<double> YamlWalker::read_number(const ConfigField& field, double lo, double hi) {
    if (!field.present()) return std::nullopt;
    const std::string expected = "a number in " + format_number(lo) + ".." + format_number(hi);
    const auto text = scalar(field, expected, Echo::value);
    if (!text) return std::nullopt;
    double value = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    // The negated comparison also rejects NaN.
    if (text->empty() || ec != std::errc{} || end != text->data() + text->size() || !(value >= lo && value <= hi)) {
        wrong(field, expected, *text, Echo::value);
        return std::nullopt;
    }
    return value;
}

std::optional<std::chrono::milliseconds> YamlWalker::read_duration(const ConfigField& field, std::chrono::milliseconds lo,
                                                                   std::chrono::milliseconds hi) {
    if (!field.present()) return std::nullopt;
    const auto text = scalar(field, "a duration such as 10s, 500ms or 2m", Echo::value);
    if (!text) return std::nullopt;
    const auto value = parse_duration(*text);
    if (!value) {
        wrong(field, "a duration such as 10s, 500ms or 2m", *text, Echo::value);
    } else if (*value < lo || *value > hi) {
        wrong(field, "a duration in " + format_duration(lo) + ".." + format_duration(hi), *text, Echo::value);
    } else {
        return value;
    }
    return std::nullopt;
}

std::optional<std::uint64_t> YamlWalker::read_size(const ConfigField& field, std::uint64_t lo, std::uint64_t hi) {
    if (!field.present()) return std::nullopt;
    const auto text = scalar(field, "a size such as 1MiB, 512KiB or a number of bytes", Echo::value);
    if (!text) return std::nullopt;
    const auto value = parse_size(*text);
    if (!value) {
        wrong(field, "a size such as 1MiB, 512KiB or a number of bytes", *text, Echo::value);
    } else if (*value < lo || *value > hi) {
        wrong(field, "a size in " + format_size(lo) + ".." + format_size(hi), *text, Echo::value);
    } else {
        return value;
    }
    return std::nullopt;
}

std::optional<std::string> YamlWalker::read_choice(const ConfigField& field, const std::vector<std::string_view>& choices) {
    if (!field.present()) return std::nullopt;
    const std::string expected = "one of " + join_names(choices);
    const auto text = scalar(field, expected, Echo::value);
    if (!text) return std::nullopt;
    for (const std::string_view choice : choices)
        if (*text == choice) return text;
    std::string message = "expected " + expected + ", found " + quoted(*text);
    if (const std::string guess = closest_match(*text, choices); !guess.empty())
        message += "; did you mean `" + guess + "`?";
    problem(field, message);
    return std::nullopt;
}

std::optional<Role> YamlWalker::read_role(const ConfigField& field) {
    const auto name = read_choice(field, {"none", "viewer", "operator", "admin"});
    return name ? parse_role(*name) : std::nullopt;
}

std::vector<std::string> YamlWalker::read_string_list(const ConfigField& field, std::string_view expected) {
    std::vector<std::string> out;
    if (!field.present()) return out;
    if (!field.value.IsSequence()) {
        problem(field, "expected " + std::string(expected));
        return out;
    }
    for (std::size_t i = 0; i < field.value.size(); ++i)
        if (auto v = read_string({field.path + "[" + std::to_string(i) + "]", field.value[i], field.value[i].Mark()}))
            out.push_back(std::move(*v));
    return out;
}

}  // namespace hpops
