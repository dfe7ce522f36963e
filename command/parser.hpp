#pragma once
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "common/text_similarity.hpp"
#include "hpops/command_spec.hpp"
#include "hpops/intent.hpp"

namespace hpops {

// Limits on untrusted command text; each breach is a ParseError, never a crash.
inline constexpr std::size_t max_command_bytes = 4000;
inline constexpr std::size_t max_value_bytes = 256;

// Turns chat command text ("/hp scale ng spot-ng desired=3") into an Intent
// for the command table, or a ParseError with a copyable "did you mean".
// Empty text is `help`. Values are checked only for form; handlers check meaning.
std::variant<Intent, ParseError> parse_command(std::string_view text);

// A command found from leading words, and how many words it used.
struct CommandMatch {
    const CommandSpec* spec = nullptr;
    std::size_t words = 0;
};

// The longest prefix of `words` (case-insensitive, aliases resolved) that
// names a command; spec is null when none does.
CommandMatch match_command(std::span<const std::string> words);

// The command the user most likely meant by mistyped `words`, or a null spec
// when nothing is reasonably close. `trailing_positionals` counts positional
// arguments after the words, so a command that can take them is preferred.
CommandMatch closest_command(std::span<const std::string> words, std::size_t trailing_positionals = 0);


// `word` as the tokenizer reads it back as one literal token: unchanged when
// plain, else in double quotes with `"`, `\` and smart double quotes escaped.
std::string quote_if_needed(std::string_view word);

}  // namespace hpops
