#pragma once
#include <span>
#include <string>
#include <vector>

#include "hpops/role.hpp"

namespace hpops {

struct OptionSpec {
    std::string key;          // lower-case, e.g. "desired"
    std::string description;  // for help
};

// One row of the command table. The parser, the help handler and the
// dispatcher's permission and confirmation checks all read this one table,
// so help text cannot drift from what is accepted.
struct CommandSpec {
    std::string name;                     // canonical words, e.g. "scale nodegroup"
    std::vector<std::string> positionals; // argument names, e.g. {"name"}
    std::size_t required_positionals = 0; // the first N positionals are required
    bool variadic = false;                // the last positional repeats ("training compare RUN RUN...")
    std::vector<OptionSpec> options;      // accepted key=value options
    std::string summary;                  // one line for the help index
    std::string details;                  // longer help for `help <command>`; may be empty
    Role role = Role::viewer;             // least role that may run it
    bool mutating = false;                // audited; denied by default
    bool always_confirm = false;          // destructive or expensive: Confirm / Cancel first
    // With always_confirm: the handler asks (ConfirmationNeeded) once it has
    // looked, so the question can name what will change (a launch's cost, a
    // stack's resources); the dispatcher then does not ask first.
    bool handler_confirms = false;
    std::string ack;                      // acknowledgement shown while slow work runs, e.g. "Scaling {0}…"

    // "scale nodegroup <name> [min=N] [max=N] [desired=N]"
    std::string usage() const;
};

// Word aliases applied to command words before lookup ("ng" -> "nodegroup").
struct WordAlias {
    std::string alias;
    std::string word;
};

// The full command grammar of hpops.
std::span<const CommandSpec> command_table();
std::span<const WordAlias> word_aliases();
const CommandSpec* find_command(std::string_view name);

}  // namespace hpops
