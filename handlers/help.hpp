#pragma once
#include <span>
#include <string>

#include "hpops/command_spec.hpp"
#include "hpops/handler.hpp"

namespace hpops::handlers {

// "/hp scale nodegroup <name> [min=N] …": what a user types, for help and errors.
std::string help_usage_line(const CommandSpec& spec);

// Pure builders over command_table(), so help cannot drift from what the
// parser accepts; tests call them without a server.
Reply help_index();
Reply help_for(const CommandSpec& spec);

// `help` with no words is the index; otherwise the command the words name
// (aliases honoured, trailing arguments ignored). Throws UserError with a
// "did you mean" when the words name no command.
Reply help_reply(std::span<const std::string> words);

// `/hp help [command…]`.
class Help final : public Handler {
public:
    std::string_view command() const override { return "help"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
    bool answers_at_once() const override { return true; }
};

}  // namespace hpops::handlers
