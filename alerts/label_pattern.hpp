#pragma once
// The `match_re` patterns of routes and actions, compiled with RE2: matching
// is linear in the label value and needs no recursion, so a label value of
// any size cannot overflow the stack (std::regex recursed per character, and
// a 60 KB value crashed the server). Alertmanager compiles its matchers with
// Go's regexp, which is RE2's syntax and semantics, so a pattern means here
// what it means there.
#include <memory>
#include <string>
#include <string_view>

#include <re2/re2.h>

namespace hpops::alerts {

// Fully anchored, as Alertmanager anchors matchers (^(?:pattern)$).
class LabelPattern {
public:
    // Throws std::invalid_argument with RE2's reason when `pattern` does not
    // compile (config validation reports it with the line).
    explicit LabelPattern(const std::string& pattern);
    bool matches(std::string_view value) const;

private:
    std::shared_ptr<const re2::RE2> re_;  // RE2 is neither copyable nor movable; routes are copied
};

}  // namespace hpops::alerts
