#include "bot/slack/block_kit_renderer.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/block_kit_rules.hpp"

namespace hpops::bot {
namespace {

using nlohmann::json;
using testing::block_kit_violations;

std::size_t chars(const std::string& s) { return testing::block_kit_detail::chars(s); }

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += s + "\n";
    return out;
}

void expect_valid(const json& page) {
    const auto violations = block_kit_violations(page);
    EXPECT_TRUE(violations.empty()) << joined(violations);
}

std::vector<std::string> section_texts(const json& page) {
    std::vector<std::string> out;
    for (const auto& b : page["blocks"])
        if (b["type"] == "section" && b.contains("text")) out.push_back(b["text"]["text"].get<std::string>());
    return out;
}

Reply every_block_reply() {
    Reply r;
    r.summary = "2 node groups";
    r.heading("Node groups")
        .text("*2* groups in <https://console.aws.amazon.com|us-east-1>")
        .fields({{"Region", "us-east-1"}, {"Cluster", "prod"}})
        .table({{"NAME", "STATUS", "NODES"}, {{"spot-ng", "ACTIVE", "3"}, {"gpu-ng", "DEGRADED", "12"}}})
        .chips({{"ACTIVE", Status::ok}, {"SCALING", Status::warn}, {"FAILED", Status::bad}, {"?", Status::unknown}})
        .actions({{"Confirm", "hpops.confirm", "token-1", ButtonStyle::primary},
                  {"Delete", "hpops.delete", "token-2", ButtonStyle::danger},
                  {"Cancel", "hpops.cancel", "", ButtonStyle::normal}})
        .context("requested by <@U1|ann>")
        .divider();
    return r;
}

TEST(BlockKitRenderer, MapsEveryBlockTypeToItsSlackBlock) {
    const auto pages = render_block_kit(every_block_reply());
    ASSERT_EQ(pages.size(), 1u);
    const json& page = pages[0];
    expect_valid(page);
    EXPECT_EQ(page["text"], "2 node groups");
    EXPECT_EQ(page["response_type"], "ephemeral");
    EXPECT_FALSE(page.contains("replace_original"));

    const json& b = page["blocks"];
    ASSERT_EQ(b.size(), 8u);
    EXPECT_EQ(b[0], json::parse(R"({"type":"header","text":{"type":"plain_text","text":"Node groups","emoji":true}})"));
    EXPECT_EQ(b[1]["text"], json::parse(R"({"type":"mrkdwn","text":"*2* groups in <https://console.aws.amazon.com|us-east-1>"})"));
    EXPECT_EQ(b[2]["fields"], json::parse(R"([{"type":"mrkdwn","text":"*Region*\nus-east-1"},{"type":"mrkdwn","text":"*Cluster*\nprod"}])"));
    EXPECT_EQ(b[3]["text"]["text"],
              "```\nNAME     STATUS    NODES\n-------  --------  -----\nspot-ng  ACTIVE    3\ngpu-ng   DEGRADED  12\n```");
    EXPECT_EQ(b[4]["type"], "context");
    EXPECT_EQ(b[4]["elements"], json::parse(R"([{"type":"mrkdwn","text":"🟢 ACTIVE"},{"type":"mrkdwn","text":"🟡 SCALING"},
        {"type":"mrkdwn","text":"🔴 FAILED"},{"type":"mrkdwn","text":"⚪ ?"}])"));
    EXPECT_EQ(b[5]["type"], "actions");
    EXPECT_TRUE(b[5]["block_id"].is_string());
    const json& buttons = b[5]["elements"];
    ASSERT_EQ(buttons.size(), 3u);
    EXPECT_EQ(buttons[0], json::parse(R"({"type":"button","text":{"type":"plain_text","text":"Confirm","emoji":true},
        "action_id":"hpops.confirm","value":"token-1","style":"primary"})"));
    EXPECT_EQ(buttons[1]["style"], "danger");
    EXPECT_FALSE(buttons[2].contains("style"));
    EXPECT_FALSE(buttons[2].contains("value"));
    // A mention's display name is for renderers without user ids; Slack gets the id alone.
    EXPECT_EQ(b[6], json::parse(R"({"type":"context","elements":[{"type":"mrkdwn","text":"requested by <@U1>"}]})"));
    EXPECT_EQ(b[7], json::parse(R"({"type":"divider"})"));
}

// Handlers say what a line means (Mark); Slack shows it as an emoji.
TEST(BlockKitRenderer, DrawsMarksAsEmojiAndMarkedLinesAsOneSection) {
    Reply r;
    r.heading("3 alerts", Mark::firing)
        .text("Scaled *gpu-ng*.", Mark::done)
        .text("plain")
        .lines({{"*GPUHot* `critical`", Mark::critical}, {"*DiskFull*", Mark::resolved}, {"", Mark::minor}})
        .text("by " + mention("U1", "ann"));
    const json blocks = render_block_kit(r).at(0)["blocks"];
    ASSERT_EQ(blocks.size(), 5u);
    EXPECT_EQ(blocks[0]["text"]["text"], ":rotating_light: 3 alerts");
    EXPECT_EQ(blocks[1]["text"]["text"], ":white_check_mark: Scaled *gpu-ng*.");
    EXPECT_EQ(blocks[2]["text"]["text"], "plain");
    EXPECT_EQ(blocks[3]["text"]["text"], ":red_circle: *GPUHot* `critical`\n:white_check_mark: *DiskFull*");
    EXPECT_EQ(blocks[4]["text"]["text"], "by <@U1>");
    EXPECT_TRUE(block_kit_violations(render_block_kit(r).at(0)).empty());
}

TEST(BlockKitRenderer, DrawsProgressAsABarInAContextLine) {
    Reply r;
    r.progress("replicas <ready>", 1, 4).progress("", 5, 5);
    const json blocks = render_block_kit(r).at(0)["blocks"];
    ASSERT_EQ(blocks.size(), 2u);
    EXPECT_EQ(blocks[0], json::parse(R"({"type":"context","elements":[{"type":"mrkdwn",
                                         "text":"▰▰▱▱▱▱▱▱▱▱ 1/4 replicas &lt;ready&gt;"}]})"));
    EXPECT_EQ(blocks[1]["elements"][0]["text"], "▰▰▰▰▰▰▰▰▰▰ 5/5");
}

TEST(BlockKitRenderer, TruncatesA500CharacterHeadingTo150) {
    Reply r;
    r.heading(std::string(500, 'h'));
    const json page = render_block_kit(r).at(0);
    expect_valid(page);
    const std::string text = page["blocks"][0]["text"]["text"];
    EXPECT_EQ(chars(text), 150u);
    EXPECT_EQ(text, std::string(149, 'h') + "…");

    // Multi-byte characters are counted as characters and never split.
    std::string accents;
    for (int i = 0; i < 500; ++i) accents += "é";
    r.blocks = {Heading{accents}};
    const std::string cut = render_block_kit(r).at(0)["blocks"][0]["text"]["text"];
    EXPECT_EQ(chars(cut), 150u);
    EXPECT_NO_THROW((void)json(cut).dump());
}

TEST(BlockKitRenderer, SplitsTenThousandCharacterTextAtLineBoundaries) {
    std::string text;
    for (int i = 0; chars(text) < 10000; ++i) text += "line " + std::to_string(i) + " of a long report about node groups\n";
    text.pop_back();
    const auto page = render_block_kit(message_reply(text)).at(0);
    expect_valid(page);
    const auto sections = section_texts(page);
    ASSERT_GE(sections.size(), 4u);
    std::string rejoined;
    for (const auto& s : sections) {
        EXPECT_LE(chars(s), 3000u);
        EXPECT_TRUE(s.rfind("line ", 0) == 0) << "a section should start at a line: " << s.substr(0, 40);
        rejoined += (rejoined.empty() ? "" : "\n") + s;
    }
    EXPECT_EQ(rejoined, text);
}

TEST(BlockKitRenderer, HardSplitsOneHugeLineWithoutLosingCharacters) {
    const std::string text(10000, 'x');
    const auto sections = section_texts(render_block_kit(message_reply(text)).at(0));
    ASSERT_EQ(sections.size(), 4u);
    std::string rejoined;
    for (const auto& s : sections) rejoined += s;
    EXPECT_EQ(rejoined, text);
}

TEST(BlockKitRenderer, KeepsCodeFencesBalancedAcrossSplitSections) {
    std::string text = "Logs:\n```\n";
    for (int i = 0; i < 300; ++i) text += "2024-05-01T00:00:00Z node ready " + std::to_string(i) + "\n";
    text += "```\ndone";
    const auto page = render_block_kit(message_reply(text)).at(0);
    expect_valid(page);
    const auto sections = section_texts(page);
    ASSERT_GE(sections.size(), 3u);
    for (const auto& s : sections) {
        std::size_t fences = 0;
        for (auto p = s.find("```"); p != std::string::npos; p = s.find("```", p + 3)) ++fences;
        EXPECT_EQ(fences % 2, 0u) << s.substr(0, 60);
    }
}

TEST(BlockKitRenderer, SplitsFieldsIntoSectionsOfTenAndClipsLongValues) {
    std::vector<Field> fields;
    for (int i = 0; i < 11; ++i) fields.push_back({"k" + std::to_string(i), "v"});
    fields.push_back({"big", std::string(5000, 'v')});
    Reply r;
    r.fields(fields);
    const json page = render_block_kit(r).at(0);
    expect_valid(page);
    ASSERT_EQ(page["blocks"].size(), 2u);
    EXPECT_EQ(page["blocks"][0]["fields"].size(), 10u);
    EXPECT_EQ(page["blocks"][1]["fields"].size(), 2u);
    const std::string big = page["blocks"][1]["fields"][1]["text"];
    EXPECT_EQ(chars(big), 2000u);
    EXPECT_EQ(big.rfind("*big*\n", 0), 0u);
    EXPECT_EQ(big.substr(big.size() - 3), "…");
}

TEST(BlockKitRenderer, TruncatesWideTableCellsToFortyCharacters) {
    Reply r;
    r.table({{"NAME"}, {{std::string(60, 'x')}}});
    const std::string text = render_block_kit(r).at(0)["blocks"][0]["text"]["text"];
    EXPECT_EQ(text, "```\nNAME\n" + std::string(40, '-') + "\n" + std::string(39, 'x') + "…\n```");
}

TEST(BlockKitRenderer, PagesAThousandRowTableWithinSlackLimits) {
    Reply r;
    r.summary = "1000 instances";
    r.replace_original = true;
    Table t{{"INSTANCE", "GROUP", "TYPE", "STATUS", "NOTE", "DETAIL"}, {}};
    for (int i = 0; i < 1000; ++i) {
        const std::string id = "i-" + std::string(30, '0') + std::to_string(1000 + i);
        t.rows.push_back({id, "worker-group-" + std::to_string(i % 7), "ml.p5.48xlarge", i % 13 ? "Running" : "Pending",
                          std::string(60, 'n'), std::string(60, 'd')});
    }
    r.heading("Instances").table(t).context("source: SageMaker");
    // A row line is 161 characters; beside the repeated header (297 with the
    // fences) 16 rows fit a section: 63 table sections + heading + context =
    // 65 blocks = 49 (+ note) on page 1 and 16 on page 2.
    const auto pages = render_block_kit(r);
    ASSERT_EQ(pages.size(), 2u);
    EXPECT_EQ(pages[1]["blocks"].size(), 16u);

    std::size_t next_row = 0;
    for (std::size_t p = 0; p < pages.size(); ++p) {
        const json& page = pages[p];
        SCOPED_TRACE("page " + std::to_string(p + 1));
        expect_valid(page);
        EXPECT_EQ(page.contains("replace_original"), p == 0) << "only the first page replaces the original";
        EXPECT_EQ(page["text"].get<std::string>().rfind("1000 instances", 0), 0u);
        const json& blocks = page["blocks"];
        const std::string of = "(page " + std::to_string(p + 1) + " of " + std::to_string(pages.size()) + ")";
        if (p + 1 < pages.size()) {
            EXPECT_EQ(blocks.size(), 50u);
            EXPECT_EQ(blocks.back()["type"], "context");
            EXPECT_NE(blocks.back()["elements"][0]["text"].get<std::string>().find("continued in the next message " + of),
                      std::string::npos);
        } else {
            EXPECT_EQ(blocks.back()["elements"][0]["text"], "source: SageMaker");
        }
        for (const auto& s : section_texts(page)) {
            ASSERT_EQ(s.rfind("```\nINSTANCE", 0), 0u) << "every chunk repeats the header";
            for (auto pos = s.find("\ni-"); pos != std::string::npos; pos = s.find("\ni-", pos + 1)) {
                const std::string expected = "\ni-" + std::string(30, '0') + std::to_string(1000 + next_row) + " ";
                ASSERT_EQ(s.substr(pos, expected.size()), expected) << "rows stay in order, none lost";
                ++next_row;
            }
        }
    }
    EXPECT_EQ(next_row, 1000u);
}

TEST(BlockKitRenderer, CapsAtTenPagesAndCountsWhatIsLeftOut) {
    Reply r;
    for (int i = 0; i < 700; ++i) r.context("note " + std::to_string(i));
    const auto pages = render_block_kit(r);
    ASSERT_EQ(pages.size(), 10u);
    for (const auto& page : pages) {
        expect_valid(page);
        EXPECT_EQ(page["blocks"].size(), 50u);
    }
    EXPECT_EQ(pages[0]["blocks"][0]["elements"][0]["text"], "note 0");
    EXPECT_EQ(pages[9]["blocks"][48]["elements"][0]["text"], "note 489");
    EXPECT_EQ(pages[9]["blocks"][49]["elements"][0]["text"], "_… 210 more blocks not shown_");
    EXPECT_EQ(pages[3]["blocks"][49]["elements"][0]["text"], "_continued in the next message (page 4 of 10)_");
}

TEST(BlockKitRenderer, FiftyBlocksStayOnOnePageAndFiftyOneMakeTwo) {
    Reply r;
    for (int i = 0; i < 50; ++i) r.divider();
    EXPECT_EQ(render_block_kit(r).size(), 1u);
    r.divider();
    const auto pages = render_block_kit(r);
    ASSERT_EQ(pages.size(), 2u);
    EXPECT_EQ(pages[0]["blocks"].size(), 50u);
    EXPECT_EQ(pages[1]["blocks"].size(), 2u);
}

TEST(BlockKitRenderer, HugeHostileInputStillYieldsValidPages) {
    Reply r;
    r.summary = std::string(50000, '&');
    r.heading(std::string(1000, '<'));
    Table wide;
    for (int c = 0; c < 100; ++c) wide.columns.push_back("C" + std::to_string(c));
    for (int i = 0; i < 500; ++i) wide.rows.push_back(std::vector<std::string>(100, std::string(50, '&')));
    r.table(wide).text(std::string(200000, '>'));
    std::vector<Field> fields(200, Field{std::string(3000, '<'), std::string(3000, '>')});
    std::vector<Chip> chips(300, Chip{std::string(4000, '&'), Status::warn});
    std::vector<Button> buttons(100, Button{std::string(200, '&'), "hpops.x", "v"});
    for (std::size_t i = 0; i < buttons.size(); ++i) buttons[i].action_id += std::to_string(i);
    r.fields(fields).chips(chips).actions(buttons).context(std::string(9000, 'c'));

    std::vector<json> pages;
    ASSERT_NO_THROW(pages = render_block_kit(r));
    EXPECT_EQ(pages.size(), 10u);
    for (const auto& page : pages) expect_valid(page);
    EXPECT_NE(pages.back()["blocks"].back()["elements"][0]["text"].get<std::string>().find("more blocks not shown"),
              std::string::npos);
}

TEST(BlockKitRenderer, SplitsThirtyButtonsIntoTwoActionsBlocks) {
    std::vector<Button> buttons;
    for (int i = 0; i < 30; ++i) buttons.push_back({"Scale group " + std::to_string(i), "hpops.scale." + std::to_string(i), "v"});
    buttons[0].label = std::string(100, 'L');
    Reply r;
    r.actions(buttons);
    const json page = render_block_kit(r).at(0);
    expect_valid(page);
    const json& b = page["blocks"];
    ASSERT_EQ(b.size(), 2u);
    EXPECT_EQ(b[0]["elements"].size(), 25u);
    EXPECT_EQ(b[1]["elements"].size(), 5u);
    EXPECT_NE(b[0]["block_id"], b[1]["block_id"]);
    EXPECT_EQ(b[1]["elements"][4]["action_id"], "hpops.scale.29");
    EXPECT_EQ(chars(b[0]["elements"][0]["text"]["text"]), 75u);
}

TEST(BlockKitRenderer, RejectsAnOversizedButtonValueAsAProgrammingError) {
    Reply r;
    r.actions({{"Confirm", "hpops.confirm", std::string(2000, 't')}});
    EXPECT_NO_THROW(render_block_kit(r));
    r.blocks = {Actions{{{"Confirm", "hpops.confirm", std::string(2001, 't')}}}};
    EXPECT_THROW(render_block_kit(r), std::logic_error);
}

TEST(BlockKitRenderer, EscapesDataButPassesHandlerMrkdwnThrough) {
    Reply r;
    r.heading("<prod> & <dev>")
        .fields({{"Rule", "x > 3 & y < 2"}})
        .table({{"EXPR"}, {{"a<b>&c"}}})
        .chips({{"<none>", Status::bad}})
        .text("see <https://example.com|docs> &amp; more")
        .context("*bold* <@U1>");
    const json page = render_block_kit(r).at(0);
    expect_valid(page);
    const json& b = page["blocks"];
    EXPECT_EQ(b[0]["text"]["text"], "&lt;prod&gt; &amp; &lt;dev&gt;");
    EXPECT_EQ(b[1]["fields"][0]["text"], "*Rule*\nx &gt; 3 &amp; y &lt; 2");
    EXPECT_NE(b[2]["text"]["text"].get<std::string>().find("\na&lt;b&gt;&amp;c\n"), std::string::npos);
    EXPECT_EQ(b[3]["elements"][0]["text"], "🔴 &lt;none&gt;");
    EXPECT_EQ(b[4]["text"]["text"], "see <https://example.com|docs> &amp; more");
    EXPECT_EQ(b[5]["elements"][0]["text"], "*bold* <@U1>");
}

TEST(BlockKitRenderer, VisibilityBecomesResponseType) {
    Reply r = message_reply("hi", Visibility::channel);
    EXPECT_EQ(render_block_kit(r).at(0)["response_type"], "in_channel");
    r.visibility = Visibility::caller;
    r.replace_original = true;
    const json page = render_block_kit(r).at(0);
    EXPECT_EQ(page["response_type"], "ephemeral");
    EXPECT_EQ(page["replace_original"], true);
}

TEST(BlockKitRenderer, FallbackTextIsNeverEmptyAndAtMost3000) {
    Reply r;
    r.heading("A & B");
    EXPECT_EQ(render_block_kit(r).at(0)["text"], "A &amp; B");
    r.summary = std::string(5000, 's');
    EXPECT_EQ(chars(render_block_kit(r).at(0)["text"]), 3000u);

    const json empty = render_block_kit(Reply{}).at(0);
    expect_valid(empty);
    EXPECT_FALSE(empty["text"].get<std::string>().empty());
    EXPECT_EQ(empty["blocks"].size(), 1u);
}

TEST(BlockKitRenderer, SingleMessageSaysHowManyMoreFollow) {
    const json one = render_block_kit_single(every_block_reply());
    EXPECT_EQ(one, render_block_kit(every_block_reply()).at(0));

    Reply r;
    for (int i = 0; i < 120; ++i) r.context("note " + std::to_string(i));
    ASSERT_EQ(render_block_kit(r).size(), 3u);
    const json first = render_block_kit_single(r);
    expect_valid(first);
    EXPECT_EQ(first["blocks"].size(), 50u);
    EXPECT_EQ(first["blocks"].back()["elements"][0]["text"], "_… 2 more messages follow (page 1 of 3)_");
}


// The validator must be able to fail, or every test above proves nothing.
TEST(BlockKitRules, AcceptsAValidMessage) {
    const json ok = json::parse(R"({"text":"hi","response_type":"in_channel","blocks":[
        {"type":"header","text":{"type":"plain_text","text":"Title"}},
        {"type":"section","text":{"type":"mrkdwn","text":"*x*"}},
        {"type":"section","fields":[{"type":"mrkdwn","text":"a"}]},
        {"type":"context","elements":[{"type":"mrkdwn","text":"c"}]},
        {"type":"actions","block_id":"a1","elements":[{"type":"button","text":{"type":"plain_text","text":"Go"},
            "action_id":"go","value":"1","style":"primary"}]},
        {"type":"divider"},
        {"type":"image","image_url":"https://x/y.png","alt_text":"y"}]})");
    EXPECT_TRUE(block_kit_violations(ok).empty()) << joined(block_kit_violations(ok));
    json accents = {{"blocks", {{{"type", "header"}, {"text", {{"type", "plain_text"}, {"text", ""}}}}}}};
    for (int i = 0; i < 150; ++i) accents["blocks"][0]["text"]["text"] = accents["blocks"][0]["text"]["text"].get<std::string>() + "é";
    EXPECT_TRUE(block_kit_violations(accents).empty()) << "limits count characters, not bytes";
}

json one_block(json block) { return {{"text", "t"}, {"blocks", json::array({std::move(block)})}}; }
json plain(std::string s) { return {{"type", "plain_text"}, {"text", std::move(s)}}; }
json md(std::string s) { return {{"type", "mrkdwn"}, {"text", std::move(s)}}; }
json button_with(const char* key, json value) {
    json b = {{"type", "button"}, {"text", plain("Go")}, {"action_id", "go"}};
    b[key] = std::move(value);
    return one_block({{"type", "actions"}, {"elements", {b}}});
}

TEST(BlockKitRules, CatchesDeliberatelyBrokenMessages) {
    json many = {{"text", "t"}, {"blocks", json::array()}};
    for (int i = 0; i < 51; ++i) many["blocks"].push_back({{"type", "divider"}});
    json eleven_fields = json::array(), eleven_elements = json::array(), many_buttons = json::array();
    for (int i = 0; i < 11; ++i) eleven_fields.push_back(md("f")), eleven_elements.push_back(md("e"));
    for (int i = 0; i < 26; ++i)
        many_buttons.push_back({{"type", "button"}, {"text", plain("b")}, {"action_id", "a" + std::to_string(i)}});

    const std::vector<std::pair<std::string, json>> broken = {
        {"51 blocks", many},
        {"unknown block type", one_block({{"type", "carousel"}})},
        {"section without text or fields", one_block({{"type", "section"}})},
        {"section text over 3000", one_block({{"type", "section"}, {"text", md(std::string(3001, 'x'))}})},
        {"empty section text", one_block({{"type", "section"}, {"text", md("")}})},
        {"unknown text object type", one_block({{"type", "section"}, {"text", {{"type", "markdown"}, {"text", "x"}}}})},
        {"header in mrkdwn", one_block({{"type", "header"}, {"text", md("x")}})},
        {"header over 150", one_block({{"type", "header"}, {"text", plain(std::string(151, 'x'))}})},
        {"11 fields", one_block({{"type", "section"}, {"fields", eleven_fields}})},
        {"field over 2000", one_block({{"type", "section"}, {"fields", {md(std::string(2001, 'x'))}}})},
        {"11 context elements", one_block({{"type", "context"}, {"elements", eleven_elements}})},
        {"26 buttons", one_block({{"type", "actions"}, {"elements", many_buttons}})},
        {"button text in mrkdwn", button_with("text", md("Go"))},
        {"button text over 75", button_with("text", plain(std::string(76, 'x')))},
        {"action_id over 255", button_with("action_id", std::string(256, 'a'))},
        {"value over 2000", button_with("value", std::string(2001, 'v'))},
        {"style secondary", button_with("style", "secondary")},
        {"block_id over 255", one_block({{"type", "divider"}, {"block_id", std::string(256, 'b')}})},
        {"duplicate block_id",
         {{"text", "t"}, {"blocks", {{{"type", "divider"}, {"block_id", "d"}}, {{"type", "divider"}, {"block_id", "d"}}}}}},
        {"top-level text over 40000", {{"text", std::string(40001, 't')}}},
        {"bad response_type", {{"text", "t"}, {"response_type", "public"}}},
        {"no text and no blocks", json::object()},
    };
    for (const auto& [name, message] : broken)
        EXPECT_FALSE(block_kit_violations(message).empty()) << name << " should be rejected";

    const auto why = block_kit_violations(one_block({{"type", "header"}, {"text", plain(std::string(151, 'x'))}}));
    ASSERT_EQ(why.size(), 1u);
    EXPECT_EQ(why[0], "blocks[0].text.text: is 151 characters, limit 150");
}

}  // namespace
}  // namespace hpops::bot
