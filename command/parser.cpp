#include "command/parser.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <tuple>
#include <vector>

namespace hpops {

namespace {

constexpr std::size_t npos = std::string::npos;

// A whitespace-separated word after quote removal. `eq` is where the first
// `=` outside quotes sits in `text`: quoting an `=` makes it literal, which is
// what lets to_text() write positionals that contain one.
struct Token {
    std::string text;
    std::size_t eq = npos;
    bool quoted = false;
    std::size_t begin = 0;  // byte range in the source, for suggestions
    std::size_t end = 0;
};

enum class Quote { none, double_, single };

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string resolve_alias(std::string word) {
    for (const auto& a : word_aliases())
        if (a.alias == word) return a.word;
    return word;
}

bool starts_with_at(std::string_view s, std::size_t i, std::string_view what) {
    return s.substr(i, what.size()) == what;
}

// Byte length of a quote character at i (ASCII or the smart quotes Slack
// clients substitute), 0 if there is none.
std::size_t quote_at(std::string_view s, std::size_t i, Quote& kind) {
    if (s[i] == '"') return kind = Quote::double_, 1;
    if (s[i] == '\'') return kind = Quote::single, 1;
    if (starts_with_at(s, i, "\u201C") || starts_with_at(s, i, "\u201D")) return kind = Quote::double_, 3;
    if (starts_with_at(s, i, "\u2018") || starts_with_at(s, i, "\u2019")) return kind = Quote::single, 3;
    return 0;
}

// Byte length of whitespace at i, 0 if none. No-break space counts because
// chat clients insert it when text is pasted.
std::size_t space_at(std::string_view s, std::size_t i) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return 1;
    return starts_with_at(s, i, "\u00A0") ? 2 : 0;
}

std::size_t char_index(std::string_view s, std::size_t byte) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < byte && i < s.size(); ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
    return n + 1;
}

// Checks the text before tokenizing: well-formed UTF-8 (no overlongs,
// surrogates or code points past U+10FFFF) and no control characters.
std::optional<ParseError> check_text(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t len = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
        char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
        bool ok = len != 0 && i + len <= s.size();
        for (std::size_t k = 1; ok && k < len; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            ok = (c & 0xC0) == 0x80;
            cp = (cp << 6) | (c & 0x3F);
        }
        if (ok) {
            static constexpr char32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
            ok = cp >= min_for_len[len] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
        }
        if (!ok)
            return ParseError{"command text is not valid UTF-8 (at byte " + std::to_string(i + 1) + ")", ""};
        const bool control = (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F);
        if (control) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "%04X", static_cast<unsigned>(cp));
            return ParseError{"command text contains a control character (U+" + std::string(hex) + ") at character " +
                                  std::to_string(char_index(s, i)),
                              ""};
        }
        i += len;
    }
    return std::nullopt;
}

// A short excerpt starting at byte `from`, cut on a character boundary.
std::string excerpt(std::string_view s, std::size_t from, std::size_t max_chars = 20) {
    std::size_t i = from, chars = 0;
    while (i < s.size() && chars < max_chars) {
        ++i;
        while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
        ++chars;
    }
    return std::string(s.substr(from, i - from)) + (i < s.size() ? "…" : "");
}

std::variant<std::vector<Token>, ParseError> tokenize(std::string_view s) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (true) {
        while (i < s.size() && space_at(s, i)) i += space_at(s, i);
        if (i >= s.size()) break;
        Token t;
        t.begin = i;
        while (i < s.size() && !space_at(s, i)) {
            Quote kind = Quote::none;
            std::size_t qlen = quote_at(s, i, kind);
            // A single quote mid-word is an apostrophe ("bob's"), except right
            // after `=` where it opens a value: name='my model'.
            const bool at_value_start = i == t.begin || (t.eq != npos && t.eq + 1 == t.text.size() && s[i - 1] == '=');
            if (qlen && kind == Quote::single && !at_value_start) qlen = 0;
            if (!qlen) {
                if (s[i] == '=' && t.eq == npos) t.eq = t.text.size();
                t.text += s[i++];
                continue;
            }
            const std::size_t open = i;
            i += qlen;
            t.quoted = true;
            bool closed = false;
            while (i < s.size()) {
                Quote inner = Quote::none;
                if (kind == Quote::double_ && s[i] == '\\' && i + 1 < s.size()) {
                    std::size_t elen = quote_at(s, i + 1, inner);
                    if (s[i + 1] == '\\') elen = 1;
                    if (elen && (s[i + 1] == '\\' || inner == Quote::double_)) {
                        t.text.append(s.substr(i + 1, elen));
                        i += 1 + elen;
                        continue;
                    }
                }
                if (std::size_t clen = quote_at(s, i, inner); clen && inner == kind) {
                    i += clen;
                    closed = true;
                    break;
                }
                t.text += s[i++];
            }
            if (!closed)
                return ParseError{"unclosed quote starting at character " + std::to_string(char_index(s, open)) +
                                      ": `" + excerpt(s, open) + "`",
                                  ""};
        }
        t.end = i;
        tokens.push_back(std::move(t));
    }
    return tokens;
}

bool is_word(const Token& t) { return !t.quoted && t.eq == npos; }

bool accepts(const CommandSpec& spec, std::string_view key) {
    // A key ending in '.' is a family: "param." accepts param.VpcCidr=... .
    return std::any_of(spec.options.begin(), spec.options.end(), [&](const OptionSpec& o) {
        if (!o.key.ends_with('.')) return o.key == key;
        return key.size() > o.key.size() && key.starts_with(o.key);
    });
}

ParseError too_long(const std::string& what, std::size_t size, std::size_t limit) {
    return {what + " is too long (" + std::to_string(size) + " bytes; the limit is " + std::to_string(limit) + ")", ""};
}

std::size_t tolerance(std::string_view word) { return std::max<std::size_t>(1, word.size() / 3); }

std::vector<std::string> split_words(std::string_view name) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= name.size()) {
        std::size_t j = name.find(' ', i);
        if (j == npos) j = name.size();
        out.emplace_back(name.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

std::size_t max_positionals(const CommandSpec& spec) {
    return spec.variadic ? static_cast<std::size_t>(-1) : spec.positionals.size();
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += sep;
        out += p;
    }
    return out;
}

// "name" followed by the user's own tokens from `from` on, so the suggestion
// keeps their quoting; `replace` swaps a token's text, an empty text drops it.
std::string rebuild(std::string_view name, std::string_view src, const std::vector<Token>& tokens, std::size_t from,
                    const std::map<std::size_t, std::string>& replace = {}) {
    std::string out(name);
    for (std::size_t k = from; k < tokens.size(); ++k) {
        const auto it = replace.find(k);
        if (it != replace.end() && it->second.empty()) continue;
        out += ' ';
        out += it != replace.end() ? std::string_view(it->second)
                                   : src.substr(tokens[k].begin, tokens[k].end - tokens[k].begin);
    }
    return out;
}

std::string closest_option(const CommandSpec& spec, std::string_view key) {
    std::string best;
    std::size_t best_d = npos;
    for (const auto& o : spec.options) {
        if (o.key.ends_with('.')) continue;  // a family ("param.") has no one spelling to offer
        const std::size_t d = edit_distance(key, o.key);
        if (d <= tolerance(o.key) && d < best_d) best = o.key, best_d = d;
    }
    return best;
}

ParseError unknown_command(std::string_view src, const std::vector<Token>& tokens, const std::vector<std::string>& words) {
    if (words.empty())
        return {"a command must come first, not `" + tokens[0].text + "`; type `/hp help` for the list", ""};
    // Words after the leading run that are positionals, not options.
    std::size_t trailing = 0;
    for (std::size_t k = words.size(); k < tokens.size(); ++k) trailing += tokens[k].eq == npos ? 1 : 0;
    const CommandMatch guess = closest_command(words, trailing);
    std::string suggestion = guess.spec ? rebuild(guess.spec->name, src, tokens, guess.words) : "";

    const std::string first = resolve_alias(lower(words[0]));
    std::vector<std::string> subcommands;
    for (const auto& spec : command_table()) {
        const auto w = split_words(spec.name);
        if (w.size() > 1 && w[0] == first) subcommands.push_back("`" + w[1] + "`");
    }
    if (!subcommands.empty()) {
        // "nodegroup foo": the family is right and "foo" is likely a name, so
        // only a close second word earns a guess, never a blind one.
        const bool family_guess = guess.words == 2 && guess.spec->name.starts_with(first + " ");
        if (words.size() > 1 && !family_guess) suggestion.clear();
        const std::string list = join(subcommands, ", ");
        if (words.size() == 1) return {"`" + lower(words[0]) + "` needs one more word: " + list, suggestion};
        return {"unknown command `" + lower(words[0]) + " " + lower(words[1]) + "`; `" + lower(words[0]) +
                    "` takes " + list,
                suggestion};
    }
    return {"unknown command `" + lower(words[0]) + "`; type `/hp help` for the list", suggestion};
}

// "training shwo r1" matched `training` with a stray word: was that word a
// mistyped subcommand of the same family?
const CommandSpec* closest_subcommand(const CommandSpec& matched, const std::vector<std::string>& words,
                                      std::size_t used) {
    if (words.size() <= used) return nullptr;
    const std::string next = lower(words[used]);
    const CommandSpec* best = nullptr;
    std::size_t best_d = npos;
    for (const auto& spec : command_table()) {
        const auto w = split_words(spec.name);
        if (w.size() != used + 1 || !spec.name.starts_with(matched.name + " ")) continue;
        const std::size_t d = edit_distance(next, w.back());
        if (d <= tolerance(w.back()) && d < best_d) best = &spec, best_d = d;
    }
    return best;
}

}  // namespace

CommandMatch match_command(std::span<const std::string> words) {
    // Words in the longest command name; the table is fixed for the process.
    static const std::size_t longest = [] {
        std::size_t words = 1;
        for (const auto& spec : command_table())
            words = std::max<std::size_t>(words, std::count(spec.name.begin(), spec.name.end(), ' ') + 1);
        return words;
    }();
    for (std::size_t k = std::min(words.size(), longest); k > 0; --k) {
        std::string name;
        for (std::size_t j = 0; j < k; ++j) name += (j ? " " : "") + resolve_alias(lower(words[j]));
        if (const CommandSpec* spec = find_command(name)) return {spec, k};
    }
    return {};
}

CommandMatch closest_command(std::span<const std::string> words, std::size_t trailing_positionals) {
    if (words.empty()) return {};
    std::vector<std::string> resolved;
    for (const auto& w : words) resolved.push_back(resolve_alias(lower(w)));

    // Lower is better: distance, then whether the leftover words fit as
    // arguments, then more words explained, then read-only first, then table order.
    using Rank = std::tuple<std::size_t, bool, long, bool, std::size_t>;
    std::optional<Rank> best_rank;
    CommandMatch best;
    const auto table = command_table();
    for (std::size_t index = 0; index < table.size(); ++index) {
        const CommandSpec& spec = table[index];
        const auto name_words = split_words(spec.name);
        auto consider = [&](std::size_t cost, std::size_t consumed) {
            const std::size_t left = resolved.size() - consumed + trailing_positionals;
            const Rank rank{cost, left > max_positionals(spec), -static_cast<long>(consumed), spec.mutating, index};
            if (!best_rank || rank < *best_rank) best_rank = rank, best = {&spec, consumed};
        };
        // Every word of the command against the user's words in turn.
        if (resolved.size() >= name_words.size()) {
            std::size_t cost = 0;
            bool close = true;
            for (std::size_t j = 0; j < name_words.size() && close; ++j) {
                const std::size_t d = edit_distance(resolved[j], name_words[j]);
                close = d <= tolerance(name_words[j]);
                cost += d;
            }
            if (close) consider(cost, name_words.size());
        }
        // Only the first word, for "scael x": the rest of the command is a guess.
        if (name_words.size() > 1) {
            const std::size_t d = edit_distance(resolved[0], name_words[0]);
            if (d <= tolerance(name_words[0])) consider(d + 1, 1);
        }
    }
    return best;
}

std::string quote_if_needed(std::string_view word) {
    bool needs = word.empty();
    for (std::size_t i = 0; i < word.size() && !needs; ++i) {
        Quote kind = Quote::none;
        needs = word[i] == '=' || space_at(word, i) || quote_at(word, i, kind);
    }
    if (!needs) return std::string(word);
    std::string out = "\"";
    for (std::size_t i = 0; i < word.size(); ++i) {
        Quote kind = Quote::none;
        const std::size_t qlen = quote_at(word, i, kind);
        if (word[i] == '\\' || (qlen && kind == Quote::double_)) out += '\\';
        out += word[i];
    }
    return out + "\"";
}

std::variant<Intent, ParseError> parse_command(std::string_view src) {
    if (src.size() > max_command_bytes) return too_long("command text", src.size(), max_command_bytes);
    if (auto error = check_text(src)) return *error;
    auto tokenized = tokenize(src);
    if (auto* error = std::get_if<ParseError>(&tokenized)) return *error;
    auto tokens = std::move(std::get<std::vector<Token>>(tokenized));

    // Slack strips the slash command, but the terminal and pasted text keep it.
    if (!tokens.empty() && is_word(tokens[0]) && (lower(tokens[0].text) == "/hp" || lower(tokens[0].text) == "hp"))
        tokens.erase(tokens.begin());
    if (tokens.empty()) return Intent{"help", {}, {}, false};

    std::vector<std::string> words;
    for (const auto& t : tokens) {
        if (!is_word(t)) break;
        words.push_back(t.text);
    }
    const CommandMatch match = match_command(words);
    if (!match.spec) return unknown_command(src, tokens, words);
    const CommandSpec& spec = *match.spec;

    Intent intent;
    intent.command = spec.name;
    std::vector<std::size_t> arg_tokens;  // token index of each positional, for suggestions
    for (std::size_t k = match.words; k < tokens.size(); ++k) {
        const Token& t = tokens[k];
        if (t.eq == npos) {
            if (t.text.size() > max_value_bytes)
                return too_long("argument " + std::to_string(intent.args.size() + 1), t.text.size(), max_value_bytes);
            intent.args.push_back(t.text);
            arg_tokens.push_back(k);
            continue;
        }
        const std::string key = lower(std::string_view(t.text).substr(0, t.eq));
        const std::string value = t.text.substr(t.eq + 1);
        if (key.empty()) return ParseError{"option `" + t.text + "` has no name before `=`", ""};
        if (value.empty()) return ParseError{"option `" + key + "=` has no value", ""};
        if (!accepts(spec, key)) {
            std::vector<std::string> accepted;
            for (const auto& o : spec.options) accepted.push_back("`" + o.key + (o.key.ends_with('.') ? "KEY`" : "`"));
            std::string message = "`" + spec.name + "` has no option `" + key + "`";
            message += accepted.empty() ? "; it takes no options" : "; it accepts " + join(accepted, ", ");
            if (key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") != npos)
                message += " (to pass an argument containing `=`, put it in quotes)";
            const std::string fix = closest_option(spec, key);
            return ParseError{message, fix.empty() ? "" : rebuild(spec.name, src, tokens, match.words,
                                                                  {{k, fix + "=" + quote_if_needed(value)}})};
        }
        if (value.size() > max_value_bytes) return too_long("value of `" + key + "`", value.size(), max_value_bytes);
        if (!intent.options.emplace(key, value).second) return ParseError{"option `" + key + "` is given twice", ""};
    }

    // Only the error paths below need it; built lazily, off the path every request takes.
    auto usage = [&spec] { return "usage: `" + spec.usage() + "`"; };
    if (intent.args.size() < spec.required_positionals) {
        std::vector<std::string> missing;
        for (std::size_t j = intent.args.size(); j < spec.required_positionals; ++j)
            missing.push_back("<" + spec.positionals[j] + ">");
        return ParseError{"`" + spec.name + "` needs " + join(missing, " ") + "; " + usage(), ""};
    }
    if (intent.args.size() > max_positionals(spec)) {
        const std::string& extra = intent.args[spec.positionals.size()];
        std::string message = spec.positionals.empty()
                                  ? "`" + spec.name + "` takes no arguments" + (spec.options.empty() ? "" : ", only options")
                                  : "`" + spec.name + "` takes at most " + std::to_string(spec.positionals.size()) +
                                        (spec.positionals.size() == 1 ? " argument" : " arguments");
        message += "; unexpected `" + extra + "`; " + usage();
        std::string suggestion;
        if (const CommandSpec* sub = closest_subcommand(spec, words, match.words))
            suggestion = rebuild(sub->name, src, tokens, match.words + 1);
        // "desired 3" where "desired=3" was meant.
        for (std::size_t j = 0; j + 1 < intent.args.size() && suggestion.empty(); ++j) {
            const std::string key = lower(intent.args[j]);
            if (!accepts(spec, key) || intent.options.contains(key)) continue;
            message += " (options are written `key=value`)";
            suggestion = rebuild(spec.name, src, tokens, match.words,
                                 {{arg_tokens[j], key + "=" + quote_if_needed(intent.args[j + 1])}, {arg_tokens[j + 1], ""}});
        }
        return ParseError{message, suggestion};
    }
    return intent;
}

}  // namespace hpops
