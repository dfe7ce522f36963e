#include "bot/slack/form_decode.hpp"

namespace hpops::bot {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Only called on text decode_form() has checked: every '%' has two hex digits.
std::string unescape(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%') {
            out.push_back(static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace

bool FormFields::key_is(const Pair& pair, std::string_view decoded_name) const {
    if (!pair.key_escaped) return raw_key(pair) == decoded_name;
    return unescape(raw_key(pair)) == decoded_name;
}

std::optional<std::string> FormFields::find(std::string_view name) const {
    for (const Pair& pair : pairs_)
        if (key_is(pair, name)) return unescape(raw_value(pair));
    return std::nullopt;
}

std::optional<FormFields> decode_form(std::string_view body) {
    FormFields form;
    form.body_ = body;
    form.pairs_.reserve(16);
    // One pass: split at '&' and the first '=', check every escape, note which
    // keys need unescaping. (Separate find() calls per delimiter and escape
    // were a memchr call each, most of this function's time.)
    const std::string_view all = form.body_;
    constexpr auto none = static_cast<std::size_t>(-1);
    std::size_t start = 0, eq = none;
    bool key_escaped = false;
    for (std::size_t i = 0; i <= all.size(); ++i) {
        if (i == all.size() || all[i] == '&') {
            if (i > start) {
                if (form.pairs_.size() == FormFields::max_fields) return std::nullopt;
                const std::size_t key_end = eq == none ? i : eq, value_at = eq == none ? i : eq + 1;
                form.pairs_.push_back({static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(key_end - start),
                                       static_cast<std::uint32_t>(value_at), static_cast<std::uint32_t>(i - value_at),
                                       key_escaped});
            }
            start = i + 1, eq = none, key_escaped = false;
        } else if (all[i] == '%') {
            if (i + 2 >= all.size() || hex_value(all[i + 1]) < 0 || hex_value(all[i + 2]) < 0) return std::nullopt;
            key_escaped |= eq == none;
            i += 2;
        } else if (all[i] == '+') {
            key_escaped |= eq == none;
        } else if (all[i] == '=' && eq == none) {
            eq = i;
        }
    }
    // A repeated field is ambiguous: refuse it. Quadratic, but over at most max_fields keys.
    for (std::size_t i = 0; i < form.pairs_.size(); ++i) {
        const FormFields::Pair& pair = form.pairs_[i];
        const std::string decoded = pair.key_escaped ? unescape(form.raw_key(pair)) : std::string{};
        const std::string_view key = pair.key_escaped ? std::string_view(decoded) : form.raw_key(pair);
        for (std::size_t j = i + 1; j < form.pairs_.size(); ++j)
            if (form.key_is(form.pairs_[j], key)) return std::nullopt;
    }
    return form;
}

std::string form_encode_component(std::string_view text) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out += {'%', digits[c >> 4], digits[c & 15]};
        }
    }
    return out;
}

}  // namespace hpops::bot
