#include "bot/form_decode.hpp"

namespace hpops::bot {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool has_escapes(std::string_view in) { return in.find_first_of("%+") != std::string_view::npos; }

// Every '%' is followed by two hex digits.
bool escapes_valid(std::string_view in) {
    for (auto at = in.find('%'); at != std::string_view::npos; at = in.find('%', at + 3))
        if (at + 2 >= in.size() || hex_value(in[at + 1]) < 0 || hex_value(in[at + 2]) < 0) return false;
    return true;
}

// Only called on text escapes_valid() accepted.
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
    if (!escapes_valid(body)) return std::nullopt;
    FormFields form;
    form.body_ = body;
    form.pairs_.reserve(16);
    const std::string_view all = form.body_;
    for (std::size_t at = 0; at < all.size();) {
        auto amp = all.find('&', at);
        if (amp == std::string_view::npos) amp = all.size();
        const std::string_view pair = all.substr(at, amp - at);
        if (!pair.empty()) {
            if (form.pairs_.size() == FormFields::max_fields) return std::nullopt;
            const auto eq = pair.find('=');
            const auto key_size = static_cast<std::uint32_t>(eq == std::string_view::npos ? pair.size() : eq);
            const auto value_at = static_cast<std::uint32_t>(eq == std::string_view::npos ? amp : at + eq + 1);
            form.pairs_.push_back({static_cast<std::uint32_t>(at), key_size, value_at,
                                   static_cast<std::uint32_t>(amp - value_at), has_escapes(pair.substr(0, key_size))});
        }
        at = amp + 1;
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
