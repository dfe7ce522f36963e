#include "command/parser.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace {

using hpops::Intent;
using hpops::ParseError;
using hpops::parse_command;

Intent parse_ok(std::string_view text) {
    auto result = parse_command(text);
    if (auto* error = std::get_if<ParseError>(&result)) {
        ADD_FAILURE() << "parse of [" << text << "] failed: " << error->message;
        return {};
    }
    return std::get<Intent>(result);
}

ParseError parse_error(std::string_view text) {
    auto result = parse_command(text);
    if (auto* intent = std::get_if<Intent>(&result)) {
        ADD_FAILURE() << "parse of [" << text << "] succeeded as " << intent->to_text();
        return {};
    }
    return std::get<ParseError>(result);
}

Intent make(std::string command, std::vector<std::string> args = {}, std::map<std::string, std::string> options = {}) {
    return Intent{std::move(command), std::move(args), std::move(options), false};
}

TEST(ParserBasics, EmptyTextAndBarePrefixAreHelp) {
    for (const char* text : {"", "   ", "\n\t", "/hp", "hp", "  /HP  "}) EXPECT_EQ(parse_ok(text), make("help")) << text;
}

TEST(ParserBasics, DropsLeadingHpWord) {
    EXPECT_EQ(parse_ok("/hp status"), make("status"));
    EXPECT_EQ(parse_ok("hp status"), make("status"));
    EXPECT_EQ(parse_ok("HP Status"), make("status"));
    // Only as the first word: here it is an argument.
    EXPECT_EQ(parse_ok("deploy hp"), make("deploy", {"hp"}));
}

TEST(ParserBasics, CommandArgumentsAndOptions) {
    EXPECT_EQ(parse_ok("scale nodegroup spot-ng desired=3 min=1"),
              make("scale nodegroup", {"spot-ng"}, {{"desired", "3"}, {"min", "1"}}));
    // Options may come before positionals.
    EXPECT_EQ(parse_ok("scale nodegroup max=9 spot-ng"), make("scale nodegroup", {"spot-ng"}, {{"max", "9"}}));
    // A value may itself contain `=`: only the first one splits.
    EXPECT_EQ(parse_ok("nodegroup create gpu-ng instance-type=g5.xlarge labels=team=ml,tier=gpu"),
              make("nodegroup create", {"gpu-ng"}, {{"instance-type", "g5.xlarge"}, {"labels", "team=ml,tier=gpu"}}));
}

TEST(ParserBasics, CommandWordsAndKeysAreCaseInsensitiveValuesAreNot) {
    EXPECT_EQ(parse_ok("SCALE NodeGroup Spot-NG DESIRED=Three"),
              make("scale nodegroup", {"Spot-NG"}, {{"desired", "Three"}}));
}

TEST(ParserBasics, LongestPrefixNamesTheCommand) {
    EXPECT_EQ(parse_ok("training"), make("training"));
    EXPECT_EQ(parse_ok("training show run-1"), make("training show", {"run-1"}));
    EXPECT_EQ(parse_ok("cluster status"), make("cluster status"));
    EXPECT_EQ(parse_ok("cluster status prod"), make("cluster status", {"prod"}));
    EXPECT_EQ(parse_ok("training compare a b c d"), make("training compare", {"a", "b", "c", "d"}));
    EXPECT_EQ(parse_ok("help scale nodegroup"), make("help", {"scale", "nodegroup"}));
}

TEST(ParserAliases, ShortWordsResolve) {
    EXPECT_EQ(parse_ok("scale ng spot-ng desired=3"), make("scale nodegroup", {"spot-ng"}, {{"desired", "3"}}));
    EXPECT_EQ(parse_ok("scale ig workers count=4"), make("scale instancegroup", {"workers"}, {{"count", "4"}}));
    EXPECT_EQ(parse_ok("ng delete old-ng"), make("nodegroup delete", {"old-ng"}));
    EXPECT_EQ(parse_ok("IG add trn instance-type=ml.g5.12xlarge count=2"),
              make("instancegroup add", {"trn"}, {{"count", "2"}, {"instance-type", "ml.g5.12xlarge"}}));
    EXPECT_EQ(parse_ok("ngs"), make("nodegroups"));
    // Aliases apply to command words only, never to arguments.
    EXPECT_EQ(parse_ok("deploy ng"), make("deploy", {"ng"}));
}

TEST(ParserQuotes, DoubleAndSingleQuotesGroupWords) {
    EXPECT_EQ(parse_ok("digest schedule daily \"0 9 * * 1-5\" channel=#ops"),
              make("digest schedule", {"daily", "0 9 * * 1-5"}, {{"channel", "#ops"}}));
    EXPECT_EQ(parse_ok("deploy meta-llama/Llama-3-8B name=\"my model\""),
              make("deploy", {"meta-llama/Llama-3-8B"}, {{"name", "my model"}}));
    EXPECT_EQ(parse_ok("deploy m name='my model'"), make("deploy", {"m"}, {{"name", "my model"}}));
    EXPECT_EQ(parse_ok("digest schedule d '0 9 * * *'"), make("digest schedule", {"d", "0 9 * * *"}));
}

TEST(ParserQuotes, BackslashEscapesInsideDoubleQuotes) {
    EXPECT_EQ(parse_ok(R"(deploy m name="a \"b\" c\\d\e")"), make("deploy", {"m"}, {{"name", R"(a "b" c\d\e)"}}));
    // Outside quotes a backslash is just a character (Windows paths, regexes).
    EXPECT_EQ(parse_ok(R"(deploy C:\models\x)"), make("deploy", {R"(C:\models\x)"}));
}

TEST(ParserQuotes, ApostropheInsideAWordIsLiteral) {
    EXPECT_EQ(parse_ok("deploy bob's-model"), make("deploy", {"bob's-model"}));
    EXPECT_EQ(parse_ok("deploy bob\u2019s-model"), make("deploy", {"bob\u2019s-model"}));
}

TEST(ParserQuotes, SmartQuotesFromChatClients) {
    EXPECT_EQ(parse_ok("digest schedule d \u201C0 9 * * 1-5\u201D"), make("digest schedule", {"d", "0 9 * * 1-5"}));
    EXPECT_EQ(parse_ok("deploy m name=\u2018my model\u2019"), make("deploy", {"m"}, {{"name", "my model"}}));
    // Clients sometimes produce two opening quotes; either kind closes.
    EXPECT_EQ(parse_ok("deploy m name=\u201Cmy model\u201C"), make("deploy", {"m"}, {{"name", "my model"}}));
}

TEST(ParserQuotes, QuotedEqualsIsAPositional) {
    EXPECT_EQ(parse_ok("deploy \"a=b\""), make("deploy", {"a=b"}));
    EXPECT_EQ(parse_ok("deploy \"\""), make("deploy", {""}));
}

TEST(ParserQuotes, QuotedWordsAreNotCommandWords) {
    const ParseError error = parse_error("\"status\"");
    EXPECT_NE(error.message.find("a command must come first"), std::string::npos) << error.message;
}

TEST(ParserQuotes, UnclosedQuoteNamesWhereItStarts) {
    ParseError error = parse_error("deploy x name=\"my model");
    EXPECT_NE(error.message.find("unclosed quote starting at character 15"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("\"my model"), std::string::npos) << error.message;
    // Characters, not bytes: the smart quote is one character.
    error = parse_error("deploy \u00E9 \u201Copen");
    EXPECT_NE(error.message.find("starting at character 10"), std::string::npos) << error.message;
    error = parse_error("deploy m name='x");
    EXPECT_NE(error.message.find("unclosed quote"), std::string::npos) << error.message;
}

TEST(ParserSuggestions, MistypedCommandSuggestsFullText) {
    ParseError error = parse_error("scael ng spot-ng desired=3");
    EXPECT_NE(error.message.find("unknown command `scael`"), std::string::npos) << error.message;
    EXPECT_EQ(error.suggestion, "scale nodegroup spot-ng desired=3");

    EXPECT_EQ(parse_error("stauts").suggestion, "status");
    EXPECT_EQ(parse_error("scale nodegrop x min=1").suggestion, "scale nodegroup x min=1");
    EXPECT_EQ(parse_error("cluster stauts prod").suggestion, "cluster status prod");
    EXPECT_EQ(parse_error("dploy llama name=\"my model\"").suggestion, "deploy llama name=\"my model\"");
    EXPECT_EQ(parse_error("trainig").suggestion, "training");
    // "nodegroup" alone is closest to the listing, not to create/delete.
    EXPECT_EQ(parse_error("nodegroup").suggestion, "nodegroups");
    // With one word only, the first word still finds its family.
    EXPECT_EQ(parse_error("scael spot-ng").suggestion, "scale nodegroup spot-ng");
}

TEST(ParserSuggestions, NothingCloseMeansNoSuggestion) {
    const ParseError error = parse_error("xyzzy plugh");
    EXPECT_NE(error.message.find("unknown command `xyzzy`"), std::string::npos) << error.message;
    EXPECT_EQ(error.suggestion, "");
    EXPECT_EQ(parse_error("a").suggestion, "");
}

TEST(ParserSuggestions, FamilyWordAloneListsSubcommands) {
    const ParseError error = parse_error("cluster");
    EXPECT_NE(error.message.find("`cluster` needs one more word"), std::string::npos) << error.message;
    for (const char* sub : {"`launch`", "`status`", "`logs`", "`delete`"})
        EXPECT_NE(error.message.find(sub), std::string::npos) << error.message;
    // The read-only member is the safer guess.
    EXPECT_EQ(error.suggestion, "cluster status");
    // A right family word and a likely name: listing the subcommands beats a blind guess.
    EXPECT_EQ(parse_error("ng spot-ng").suggestion, "");
    EXPECT_NE(parse_error("ng spot-ng").message.find("`create`, `delete`"), std::string::npos);
    EXPECT_EQ(parse_error("ng delte spot-ng").suggestion, "nodegroup delete spot-ng");
}

TEST(ParserSuggestions, StrayWordAfterACompleteCommand) {
    const ParseError error = parse_error("training shwo run-7");
    EXPECT_NE(error.message.find("`training` takes no arguments"), std::string::npos) << error.message;
    EXPECT_EQ(error.suggestion, "training show run-7");
    // A plural listing with a name is not read as a typo of a subcommand.
    EXPECT_EQ(parse_error("nodegroups prod").suggestion, "");
}

TEST(ParserSuggestions, MistypedOptionKey) {
    ParseError error = parse_error("scale ng spot-ng desird=3");
    EXPECT_NE(error.message.find("no option `desird`"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("`desired`"), std::string::npos) << "lists accepted options: " << error.message;
    EXPECT_EQ(error.suggestion, "scale nodegroup spot-ng desired=3");

    error = parse_error("deploy m instance_type=ml.g5.2xlarge name='a b'");
    EXPECT_EQ(error.suggestion, "deploy m instance-type=ml.g5.2xlarge name='a b'");

    error = parse_error("scale ng x colour=blue");
    EXPECT_EQ(error.suggestion, "");
    EXPECT_NE(error.message.find("`min`, `max`, `desired`"), std::string::npos) << error.message;

    error = parse_error("status verbose=1");
    EXPECT_NE(error.message.find("takes no options"), std::string::npos) << error.message;
}

TEST(ParserOptions, AFamilyOfKeysTakesAnyMemberButNotItsBareName) {
    const auto intent = parse_ok("cluster launch c1 param.VpcCidr=10.1.0.0/16 param.x=1");
    EXPECT_EQ(intent.options.at("param.vpccidr"), "10.1.0.0/16");
    EXPECT_EQ(intent.options.at("param.x"), "1");
    const ParseError bare = parse_error("cluster launch c1 param.=1");
    EXPECT_NE(bare.message.find("`param.KEY`"), std::string::npos) << bare.message;
    EXPECT_EQ(parse_error("cluster launch c1 parm.x=1").suggestion, "") << "no member to suggest";
}

TEST(ParserSuggestions, OptionWrittenWithoutEquals) {
    const ParseError error = parse_error("scale ng spot-ng desired 3");
    EXPECT_NE(error.message.find("key=value"), std::string::npos) << error.message;
    EXPECT_EQ(error.suggestion, "scale nodegroup spot-ng desired=3");
}

TEST(ParserArity, TooFewArgumentsShowsUsage) {
    ParseError error = parse_error("scale ng desired=3");
    EXPECT_NE(error.message.find("needs <name>"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("`scale nodegroup <name> [min=N]"), std::string::npos) << error.message;
    error = parse_error("training compare only-one");
    EXPECT_NE(error.message.find("needs <run>"), std::string::npos) << error.message;
}

TEST(ParserArity, TooManyArguments) {
    ParseError error = parse_error("nodes foo");
    EXPECT_NE(error.message.find("`nodes` takes no arguments"), std::string::npos) << error.message;
    error = parse_error("training show a b");
    EXPECT_NE(error.message.find("at most 1 argument"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("unexpected `b`"), std::string::npos) << error.message;
}

TEST(ParserLimits, DuplicateEmptyAndLongOptions) {
    EXPECT_NE(parse_error("scale ng x min=1 MIN=2").message.find("`min` is given twice"), std::string::npos);
    EXPECT_NE(parse_error("scale ng x =3").message.find("has no name"), std::string::npos);
    EXPECT_NE(parse_error("scale ng x min=").message.find("`min=` has no value"), std::string::npos);
    EXPECT_NE(parse_error("scale ng x min=\"\"").message.find("has no value"), std::string::npos);

    const std::string ok(256, 'a');
    EXPECT_EQ(parse_ok("deploy m name=" + ok).options.at("name"), ok);
    EXPECT_EQ(parse_error("deploy m name=" + ok + "b").message,
              "value of `name` is too long (257 bytes; the limit is 256)");
    EXPECT_NE(parse_error("deploy " + ok + "b").message.find("argument 1 is too long"), std::string::npos);
}

TEST(ParserLimits, TextOverFourThousandBytes) {
    const std::string huge = "deploy " + std::string(100 * 1024, 'x');
    EXPECT_EQ(parse_error(huge).message, "command text is too long (102407 bytes; the limit is 4000)");
    // Exactly at the limit is fine.
    std::string text = "training compare";
    while (text.size() + 4 <= hpops::max_command_bytes) text += " r12";
    text.resize(hpops::max_command_bytes, ' ');
    EXPECT_EQ(parse_ok(text).command, "training compare");
}

TEST(ParserLimits, InvalidUtf8) {
    for (std::string bad : {std::string("status \xff"), std::string("deploy \xc0\xaf"), std::string("deploy \xed\xa0\x80"),
                            std::string("deploy \xe2\x80"), std::string("deploy \xf4\x90\x80\x80"), std::string("\x80")}) {
        EXPECT_NE(parse_error(bad).message.find("not valid UTF-8"), std::string::npos) << bad;
    }
    EXPECT_EQ(parse_ok("deploy mod\u00E8le-\u6A21\u578B-\U0001F680"), make("deploy", {"mod\u00E8le-\u6A21\u578B-\U0001F680"}));
}

TEST(ParserLimits, ControlCharacters) {
    EXPECT_EQ(parse_error("status\x07").message, "command text contains a control character (U+0007) at character 7");
    EXPECT_NE(parse_error("deploy \x1b[31mred").message.find("U+001B"), std::string::npos);
    EXPECT_NE(parse_error(std::string("deploy a\0b", 10)).message.find("U+0000"), std::string::npos);
    EXPECT_NE(parse_error("deploy \x7f").message.find("U+007F"), std::string::npos);
    EXPECT_NE(parse_error("deploy \u0085").message.find("U+0085"), std::string::npos);
    // Tabs and newlines separate words like spaces.
    EXPECT_EQ(parse_ok("scale ng\tx\ndesired=3"), make("scale nodegroup", {"x"}, {{"desired", "3"}}));
}

TEST(ParserRoundTrip, ToTextIsCanonical) {
    EXPECT_EQ(make("scale nodegroup", {"spot-ng"}, {{"min", "1"}, {"desired", "3"}}).to_text(),
              "scale nodegroup spot-ng desired=3 min=1");
    EXPECT_EQ(make("digest schedule", {"d", "0 9 * * 1-5"}, {{"channel", "#ops"}}).to_text(),
              "digest schedule d \"0 9 * * 1-5\" channel=#ops");
    EXPECT_EQ(make("deploy", {"a=b"}, {{"name", R"(say "hi" \o/)"}}).to_text(), R"(deploy "a=b" name="say \"hi\" \\o/")");
    EXPECT_EQ(make("deploy", {""}).to_text(), "deploy \"\"");
}

TEST(ParserRoundTrip, TrickyValuesSurviveToTextAndParse) {
    const std::vector<std::string> values{
        "plain", "two words", "tab\there", "new\nline", "\"quoted\"", "back\\slash", "trailing\\", "a=b", "=",
        "it's", "'single'", "\u201Csmart\u201D", "\u2018smart\u2019", "nb\u00A0sp", "\\\"", "caf\u00E9", "#ops", "/hp",
        "hp", "-", "x\\\u201D"};
    for (const auto& value : values) {
        const Intent intent = make("deploy", {value}, {{"name", value}, {"image", "img:" + value}});
        const std::string text = intent.to_text();
        EXPECT_EQ(parse_ok(text), intent) << "text: " << text;
    }
    // An empty positional is kept; the quoting makes it an argument.
    EXPECT_EQ(parse_ok(make("cluster status", {""}).to_text()), make("cluster status", {""}));
    // Help's arguments are command words; they stay arguments.
    EXPECT_EQ(parse_ok(make("help", {"scale", "ng"}).to_text()), make("help", {"scale", "ng"}));
}

TEST(ParserRoundTrip, RandomInputNeverCrashesAndAcceptedInputRoundTrips) {
    // Random text from an alphabet rich in the parser's special characters.
    const std::vector<std::string> pieces{"scale", "ng", "nodegroup", "deploy", "training", "compare", "help", " ",
                                          " ", "\t", "=", "\"", "'", "\\", "\u201C", "\u201D", "\u2019", "x", "min",
                                          "name", "desired", "3", "\u00A0", "\xff", "\x01", "\xe2\x80", "#", "é"};
    std::mt19937 rng(12345);
    std::size_t accepted = 0;
    for (int round = 0; round < 5000; ++round) {
        std::string text;
        const int n = static_cast<int>(rng() % 12);
        for (int i = 0; i < n; ++i) text += pieces[rng() % pieces.size()];
        auto result = parse_command(text);
        if (auto* intent = std::get_if<Intent>(&result)) {
            ++accepted;
            EXPECT_EQ(parse_ok(intent->to_text()), *intent) << "input: " << text << "\ntext: " << intent->to_text();
        } else {
            EXPECT_FALSE(std::get<ParseError>(result).message.empty());
        }
    }
    EXPECT_GT(accepted, 50u);
}

TEST(ParserDistance, OptimalStringAlignment) {
    using hpops::edit_distance;
    EXPECT_EQ(edit_distance("scael", "scale"), 1u);
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
    EXPECT_EQ(edit_distance("", "abc"), 3u);
    EXPECT_EQ(edit_distance("same", "same"), 0u);
}

}  // namespace
