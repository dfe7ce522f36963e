#pragma once
#include <map>
#include <string>
#include <vector>

namespace hpops {

// A parsed command: what the user asked for, independent of the chat platform.
struct Intent {
    std::string command;                         // canonical key from the command table, e.g. "scale nodegroup"
    std::vector<std::string> args;               // positional arguments, in order
    std::map<std::string, std::string> options;  // key=value options, keys lower-case
    bool confirmed = false;                      // set only after a verified confirmation
    std::string approved_by;                     // set only after a verified second person's approval

    // The intent written back as command text ("scale nodegroup spot-ng desired=3"),
    // quoting values that need it. Parsing this text yields the same intent.
    std::string to_text() const;

    friend bool operator==(const Intent&, const Intent&) = default;
};

// The value of a key=value option, or empty when it was not given.
inline std::string option_or_empty(const std::map<std::string, std::string>& options, const std::string& key) {
    auto it = options.find(key);
    return it == options.end() ? std::string{} : it->second;
}

struct ParseError {
    std::string message;     // what is wrong, for the user
    std::string suggestion;  // "did you mean" command text; empty when there is none
};

}  // namespace hpops
