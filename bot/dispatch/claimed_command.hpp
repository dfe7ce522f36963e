#pragma once
// The command a confirmation's or approval's token names, read again from
// its text when the button is pressed.
#include <optional>
#include <string>

#include "bot/dispatch/confirm_token.hpp"
#include "hpops/command_spec.hpp"
#include "hpops/intent.hpp"

namespace hpops::bot {

// The command table row the text names, if it parses.
const CommandSpec* find_command_of(const std::string& command_text);
// The intent, if the text still parses (a newer hpops may have changed the table).
std::optional<Intent> intent_of(const ConfirmClaim& claim);

}  // namespace hpops::bot
