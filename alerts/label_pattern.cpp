#include "alerts/label_pattern.hpp"

#include <stdexcept>

namespace hpops::alerts {
namespace {

// Route patterns are short; 1 MiB bounds what one pattern may compile to
// (RE2's default is 8 MiB). When the lazy DFA's share of it runs out RE2
// falls back to its NFA, which is slower but still linear.
constexpr int64_t max_pattern_memory = 1 << 20;

RE2::Options pattern_options() {
    RE2::Options options;
    options.set_max_mem(max_pattern_memory);
    options.set_log_errors(false);  // reported with the config line instead
    options.set_never_capture(true);
    return options;
}

}  // namespace

LabelPattern::LabelPattern(const std::string& pattern)
    : re_(std::make_shared<const re2::RE2>(pattern, pattern_options())) {
    if (!re_->ok()) throw std::invalid_argument("`" + pattern + "` is not a regular expression: " + re_->error());
}

bool LabelPattern::matches(std::string_view value) const { return RE2::FullMatch(value, *re_); }

}  // namespace hpops::alerts
