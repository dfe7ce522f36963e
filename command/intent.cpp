#include "hpops/intent.hpp"

#include "command/parser.hpp"
#include "hpops/command_spec.hpp"

namespace hpops {

std::string Intent::to_text() const {
    std::string out = command;
    for (std::size_t i = 0; i < args.size(); ++i) {
        out += ' ';
        std::string word = hpops::quote_if_needed(args[i]);
        // The parser reads the longest run of bare words that names a command,
        // so a first argument that together with the command names a longer
        // command is quoted to stay an argument.
        if (i == 0 && word == args[0] && !word.empty() && find_command(command + " " + word)) word = '"' + word + '"';
        out += word;
    }
    for (const auto& [key, value] : options) {
        out += ' ';
        out += key;
        out += '=';
        out += hpops::quote_if_needed(value);
    }
    return out;
}

}  // namespace hpops
