#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace hpops::bot {

// application/x-www-form-urlencoded, as Slack sends slash commands and interactions.
// nullopt when the body is malformed (bad %-escape, a repeated key).
using FormFields = std::map<std::string, std::string, std::less<>>;
std::optional<FormFields> decode_form(std::string_view body);
std::string form_encode_component(std::string_view text);

}  // namespace hpops::bot
