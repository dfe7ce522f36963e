#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hpops::bot {

// An application/x-www-form-urlencoded body, as Slack sends slash commands
// and interactions. Decoding checks every escape and refuses a repeated key,
// but unescapes a value only when it is asked for: a slash command carries a
// dozen fields and hpops reads half of them (bench/README.md).
class FormFields {
public:
    // The decoded value of `name`, or nullopt when the body has no such field.
    std::optional<std::string> find(std::string_view name) const;
    // The decoded value, or "" when absent (Slack omits empty fields at times).
    std::string value_or_empty(std::string_view name) const { return find(name).value_or(std::string{}); }
    std::size_t size() const { return pairs_.size(); }

    // More fields than any Slack request has; bounds the repeated-key check.
    static constexpr std::size_t max_fields = 128;

private:
    friend std::optional<FormFields> decode_form(std::string_view body);
    // Offsets into body_ rather than views, so moving the object keeps them valid.
    struct Pair {
        std::uint32_t key_at, key_size, value_at, value_size;
        bool key_escaped;  // decided once: most keys have no escapes and compare as they are
    };
    std::string_view raw_key(const Pair& pair) const { return std::string_view(body_).substr(pair.key_at, pair.key_size); }
    std::string_view raw_value(const Pair& pair) const {
        return std::string_view(body_).substr(pair.value_at, pair.value_size);
    }
    bool key_is(const Pair& pair, std::string_view decoded_name) const;

    std::string body_;  // still escaped
    std::vector<Pair> pairs_;
};

// nullopt when the body is malformed: a bad %-escape, a repeated key, more
// than FormFields::max_fields fields.
std::optional<FormFields> decode_form(std::string_view body);
std::string form_encode_component(std::string_view text);

}  // namespace hpops::bot
