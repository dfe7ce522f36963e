#pragma once
#include <iosfwd>
#include <string>

#include "hpops/config.hpp"

namespace hpops::bot {

enum class OutputFormat { text, slack };

struct TerminalRunOptions {
    bool yes = false;  // proceed past a confirmation
    OutputFormat format = OutputFormat::text;
};

// `hpops run`: one command through the same dispatcher chat uses, as the local
// admin (whoever holds the credentials at this terminal). Returns the exit
// code: 0 done, 3 stopped at a confirmation (re-run with --yes).
int run_in_terminal(ConfigPtr config, const std::string& text, const TerminalRunOptions& options, std::ostream& out);

}  // namespace hpops::bot
