#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace hpops {

// "Did you mean" for commands, options and config keys, all from one measure.

// Optimal-string-alignment (Damerau-Levenshtein) distance, ignoring ASCII case.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The choice closest to `word`, or empty when none is a plausible typo.
std::string closest_match(std::string_view word, const std::vector<std::string_view>& choices);

}  // namespace hpops
