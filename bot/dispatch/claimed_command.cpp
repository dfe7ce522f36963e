#include "bot/dispatch/claimed_command.hpp"

#include "command/parser.hpp"

namespace hpops::bot {

const CommandSpec* find_command_of(const std::string& command_text) {
    auto parsed = parse_command(command_text);
    const auto* intent = std::get_if<Intent>(&parsed);
    return intent ? find_command(intent->command) : nullptr;
}

std::optional<Intent> intent_of(const ConfirmClaim& claim) {
    auto parsed = parse_command(claim.command_text);
    if (auto* intent = std::get_if<Intent>(&parsed)) return std::move(*intent);
    return std::nullopt;
}

}  // namespace hpops::bot
