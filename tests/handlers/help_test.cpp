#include "handlers/help.hpp"

#include <gtest/gtest.h>

#include "hpops/progress.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <set>

#include "command/parser.hpp"
#include "hpops/errors.hpp"
#include "hpops/store.hpp"
#include "tests/support/null_store.hpp"
#include "tests/support/reply_blocks_of.hpp"

namespace {

using hpops::testing::NullStore;
using hpops::testing::reply_words;
using hpops::CommandSpec;
using hpops::Reply;
using hpops::handlers::help_reply;

std::vector<std::string> texts(const Reply& reply) {
    std::vector<std::string> out;
    for (const auto& block : reply.blocks)
        if (const auto* text = std::get_if<hpops::Text>(&block)) out.push_back(text->markdown);
    return out;
}

std::string heading(const Reply& reply) {
    if (reply.blocks.empty()) return {};
    const auto* h = std::get_if<hpops::Heading>(&reply.blocks.front());
    return h ? h->text : std::string();
}

// The footnote: the last block, which must be a Context line.
std::string footer(const Reply& reply) {
    if (reply.blocks.empty()) return "<no blocks>";
    const auto* context = std::get_if<hpops::Context>(&reply.blocks.back());
    return context ? context->text : "<last block is not a Context>";
}

std::string field(const Reply& reply, const std::string& label) {
    for (const auto& block : reply.blocks)
        if (const auto* fields = std::get_if<hpops::Fields>(&block))
            for (const auto& f : fields->items)
                if (f.label == label) return f.value;
    return "<missing>";
}

std::vector<std::string> words_of(const std::string& name) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= name.size()) {
        std::size_t j = name.find(' ', i);
        if (j == std::string::npos) j = name.size();
        out.push_back(name.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

TEST(HelpIndex, ListsEveryCommandGroupedByFirstWord) {
    const Reply reply = help_reply({});
    EXPECT_EQ(heading(reply), "hpops commands");
    EXPECT_EQ(reply.visibility, hpops::Visibility::caller);
    EXPECT_EQ(footer(reply), "Type `/hp help <command>` for details.");

    std::set<std::string> groups;
    for (const auto& spec : hpops::command_table()) groups.insert(words_of(spec.name)[0]);
    const auto blocks = texts(reply);
    ASSERT_EQ(blocks.size(), groups.size());

    for (const auto& spec : hpops::command_table()) {
        SCOPED_TRACE(spec.name);
        const std::string usage = "`" + hpops::handlers::help_usage_line(spec) + "`";
        // Exactly one block lists it, and that block is its group's.
        int found = 0;
        for (const auto& block : blocks) {
            const auto at = block.find(usage);
            if (at == std::string::npos) continue;
            ++found;
            const std::string rest = block.substr(at + usage.size());
            const std::string line = rest.substr(1, rest.find('\n', 1) - 1);
            EXPECT_TRUE(line.starts_with(spec.summary)) << line;
            if (spec.role != hpops::Role::viewer) {
                EXPECT_NE(line.find(std::string(hpops::to_string(spec.role))), std::string::npos) << line;
            } else {
                EXPECT_EQ(line.find("_("), std::string::npos) << "viewer commands carry no role mark: " << line;
            }
            if (spec.always_confirm) { EXPECT_NE(line.find("asks to confirm"), std::string::npos) << line; }
        }
        EXPECT_EQ(found, 1);
    }
    // Slack rejects section text over 3,000 characters.
    for (const auto& block : blocks) EXPECT_LE(block.size(), 3000u);
}

TEST(HelpCommand, ExplainsEveryCommandInTheTable) {
    for (const auto& spec : hpops::command_table()) {
        SCOPED_TRACE(spec.name);
        const Reply reply = help_reply(words_of(spec.name));
        const std::string usage = hpops::handlers::help_usage_line(spec);
        EXPECT_EQ(reply.summary, usage);
        EXPECT_LE(heading(reply).size(), 150u);
        if (usage.size() <= 150) {
            EXPECT_EQ(heading(reply), usage);
        } else {
            EXPECT_NE(reply_words(reply).find("`" + usage + "`"), std::string::npos);
        }

        const std::string text = reply_words(reply);
        EXPECT_NE(text.find(spec.summary), std::string::npos);
        if (!spec.details.empty()) { EXPECT_NE(text.find(spec.details), std::string::npos); }
        for (const auto& option : spec.options)
            EXPECT_NE(text.find("`" + option.key + "`: " + option.description), std::string::npos) << option.key;
        if (spec.options.empty()) { EXPECT_NE(text.find("Takes no options."), std::string::npos); }

        EXPECT_EQ(field(reply, "Role needed"), std::string(hpops::to_string(spec.role)));
        EXPECT_EQ(field(reply, "Asks for confirmation"), spec.always_confirm ? "Yes, always" : "No");
        EXPECT_EQ(field(reply, "Changes things"), spec.mutating ? "Yes; audited" : "No; read-only");
        EXPECT_NE(footer(reply).find("/hp help"), std::string::npos);
    }
}

TEST(HelpCommand, HonoursAliasesCaseAndTrailingArguments) {
    const Reply canonical = help_reply(std::vector<std::string>{"scale", "nodegroup"});
    EXPECT_EQ(heading(canonical), "/hp scale nodegroup <name> [min=N] [max=N] [desired=N] [cluster=NAME] [dry-run=yes]");
    EXPECT_NE(footer(canonical).find("`ng` for `nodegroup`"), std::string::npos) << footer(canonical);
    EXPECT_EQ(heading(help_reply(std::vector<std::string>{"Scale", "NG"})), heading(canonical));
    EXPECT_EQ(heading(help_reply(std::vector<std::string>{"scale", "ng", "spot-ng", "desired=3"})), heading(canonical));
    EXPECT_EQ(field(help_reply(std::vector<std::string>{"ig", "add"}), "Role needed"), "operator");
}

TEST(HelpCommand, UnknownCommandThrowsUserErrorWithSuggestion) {
    try {
        help_reply(std::vector<std::string>{"scael", "ng"});
        FAIL() << "expected UserError";
    } catch (const hpops::UserError& error) {
        EXPECT_NE(std::string(error.what()).find("`scael ng`"), std::string::npos) << error.what();
        EXPECT_EQ(error.suggestion(), "help scale nodegroup");
    }
    try {
        help_reply(std::vector<std::string>{"xyzzy"});
        FAIL() << "expected UserError";
    } catch (const hpops::UserError& error) {
        EXPECT_EQ(error.suggestion(), "");
    }
}

class HelpHandler : public ::testing::Test {
protected:
    Reply run(const hpops::Intent& intent) {
        boost::asio::io_context io;
        auto future = boost::asio::co_spawn(io, help_.handle(intent, context_), boost::asio::use_future);
        io.run();
        return future.get();
    }

    hpops::handlers::Help help_;
    hpops::Config config_;
    NullStore store_;
    hpops::BotInfo bot_{"test", std::chrono::system_clock::now()};
    hpops::Clients clients_;
    hpops::NoProgress progress_;
    hpops::CommandContext context_{"terminal", {"U1", "ada", hpops::Role::viewer}, "C1", "req-1", config_, store_, bot_,
                                   clients_, progress_, {}};
};

TEST_F(HelpHandler, AnswersParsedHelpCommands) {
    EXPECT_EQ(help_.command(), "help");
    ASSERT_NE(hpops::find_command(help_.command()), nullptr);

    auto parsed = hpops::parse_command("/hp help scale ng");
    ASSERT_TRUE(std::holds_alternative<hpops::Intent>(parsed));
    EXPECT_EQ(heading(run(std::get<hpops::Intent>(parsed))), heading(help_reply(std::vector<std::string>{"scale", "nodegroup"})));

    EXPECT_EQ(heading(run(std::get<hpops::Intent>(hpops::parse_command("")))), "hpops commands");
}

TEST_F(HelpHandler, UnknownTopicPropagatesUserError) {
    const hpops::Intent intent{"help", {"clustr", "stauts"}, {}, false};
    try {
        run(intent);
        FAIL() << "expected UserError";
    } catch (const hpops::UserError& error) {
        EXPECT_EQ(error.suggestion(), "help cluster status");
    }
}

}  // namespace
