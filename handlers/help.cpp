#include "handlers/help.hpp"

#include <algorithm>

#include "command/parser.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {

namespace {

// Slack rejects header blocks over 150 characters; longer usages go in the text.
constexpr std::size_t max_heading_chars = 150;

std::string first_word(const std::string& name) { return name.substr(0, name.find(' ')); }

// " _(operator, asks to confirm)_" for the index; empty for plain read-only commands.
std::string index_marks(const CommandSpec& spec) {
    std::string marks;
    if (spec.role != Role::viewer) marks = std::string(to_string(spec.role));
    if (spec.always_confirm) marks += (marks.empty() ? "" : ", ") + std::string("asks to confirm");
    return marks.empty() ? "" : " _(" + marks + ")_";
}

std::string alias_note(const CommandSpec& spec) {
    std::string note;
    for (const auto& alias : word_aliases()) {
        const std::string padded = " " + spec.name + " ";
        if (padded.find(" " + alias.word + " ") == std::string::npos) continue;
        note += (note.empty() ? "" : ", ") + ("`" + alias.alias + "` for `" + alias.word + "`");
    }
    return note.empty() ? "" : "Aliases: " + note + ". ";
}

}  // namespace

std::string help_usage_line(const CommandSpec& spec) { return "/hp " + spec.usage(); }

Reply build_help_index();

Reply help_index() {
    // The command table is fixed for the life of the process, and `/hp help`
    // is the most common command: build its reply once (bench/README.md).
    static const Reply index = build_help_index();
    return index;
}

Reply build_help_index() {
    Reply reply;
    reply.constant_key = "help";
    reply.summary = "hpops commands";
    reply.heading("hpops commands");
    // Groups keep the table's order; a group is every command sharing a first word.
    std::vector<std::string> groups;
    for (const auto& spec : command_table()) {
        const std::string group = first_word(spec.name);
        if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
    }
    for (const auto& group : groups) {
        std::string text;
        for (const auto& spec : command_table()) {
            if (first_word(spec.name) != group) continue;
            if (!text.empty()) text += '\n';
            text += "`" + help_usage_line(spec) + "`\n" + spec.summary + index_marks(spec);
        }
        reply.text(std::move(text));
    }
    reply.context("Type `/hp help <command>` for details.");
    return reply;
}

Reply help_for(const CommandSpec& spec) {
    const std::string usage = help_usage_line(spec);
    Reply reply;
    reply.constant_key = "help " + spec.name;
    reply.summary = usage;
    const bool usage_fits = usage.size() <= max_heading_chars;
    reply.heading(usage_fits ? usage : "/hp " + spec.name);

    std::string about;
    if (!usage_fits) about += "`" + usage + "`\n";
    about += spec.summary + ".";
    if (!spec.details.empty()) about += "\n" + spec.details;
    reply.text(std::move(about));

    std::string options;
    for (const auto& option : spec.options) options += "\n• `" + option.key + "`: " + option.description;
    reply.text(options.empty() ? "Takes no options." : "*Options*" + options);

    reply.fields({
        {"Role needed", std::string(to_string(spec.role))},
        {"Asks for confirmation", spec.always_confirm ? "Yes, always" : "No"},
        {"Changes things", spec.mutating ? "Yes; audited" : "No; read-only"},
    });
    reply.context(alias_note(spec) + "Type `/hp help` for all commands.");
    return reply;
}

Reply help_reply(std::span<const std::string> words) {
    if (words.empty()) return help_index();
    if (const auto match = hpops::match_command(words); match.spec) return help_for(*match.spec);

    std::string asked;
    for (const auto& word : words) asked += (asked.empty() ? "" : " ") + word;
    const auto guess = hpops::closest_command(words);
    throw UserError("There is no command `" + asked + "`; type `/hp help` for the list.",
                    guess.spec ? "help " + guess.spec->name : "");
}

boost::asio::awaitable<Reply> Help::handle(const Intent& intent, CommandContext&) { co_return help_reply(intent.args); }

}  // namespace hpops::handlers
