#include "bot/terminal/plain_text_renderer.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hpops::bot {
namespace {

TEST(PlainTextRenderer, RendersEveryBlockType) {
    Reply r;
    r.summary = "2 node groups";
    r.heading("Node groups")
        .text("*2* groups in <https://console.aws.amazon.com|us-east-1>")
        .fields({{"Region", "us-east-1"}, {"Cluster", "prod"}})
        .table({{"NAME", "STATUS", "NODES"}, {{"spot-ng", "ACTIVE", "3"}, {"gpu-ng", "DEGRADED", "12"}}})
        .chips({{"ACTIVE", Status::ok}, {"SCALING", Status::warn}, {"FAILED", Status::bad}, {"?", Status::unknown}})
        .actions({{"Confirm", "hpops.confirm", "t", ButtonStyle::primary}, {"Cancel", "hpops.cancel", ""}})
        .context("requested by <@U1|ann>")
        .divider();
    EXPECT_EQ(render_plain_text(r),
              "Node groups\n"
              "===========\n"
              "\n"
              "2 groups in us-east-1 (https://console.aws.amazon.com)\n"
              "\n"
              "Region:  us-east-1\n"
              "Cluster: prod\n"
              "\n"
              "NAME     STATUS    NODES\n"
              "-------  --------  -----\n"
              "spot-ng  ACTIVE    3\n"
              "gpu-ng   DEGRADED  12\n"
              "\n"
              "[ok] ACTIVE  [warn] SCALING  [bad] FAILED  [unknown] ?\n"
              "\n"
              "Buttons: [Confirm] [Cancel]\n"
              "\n"
              "  requested by @ann\n"
              "\n" +
                  std::string(40, '-') + "\n");
}

// A terminal has no emoji codes: marks are words in brackets, a mention is @name.
TEST(PlainTextRenderer, WritesMarksAsWordsAndMentionsByName) {
    Reply r;
    r.heading("3 alerts", Mark::firing)
        .text("Scaling *gpu-ng* now", Mark::working)
        .lines({{"*GPUHot* `critical`", Mark::critical}, {"*DiskFull*", Mark::resolved}})
        .context("by " + mention("U0LOCALADMIN", "alice") + " and " + mention("U2"));
    EXPECT_EQ(render_plain_text(r),
              "[FIRING] 3 alerts\n"
              "=================\n"
              "\n"
              "[working] Scaling gpu-ng now\n"
              "\n"
              "[critical] GPUHot critical\n"
              "[resolved] DiskFull\n"
              "\n"
              "  by @alice and @U2\n");
    EXPECT_EQ(render_plain_text(message_reply(Mark::failed, "AWS EKS did not answer")), "[failed] AWS EKS did not answer\n");
}

TEST(PlainTextRenderer, DrawsProgressAsAnAsciiBarClampedToItsCells) {
    Reply r;
    r.progress("replicas ready", 3, 4).progress("", 7, 0).progress("odd", 9, 4).progress("", -2, 4);
    EXPECT_EQ(render_plain_text(r),
              "[#######---] 3/4 replicas ready\n\n[----------] 7/0\n\n[##########] 9/4 odd\n\n[----------] -2/4\n");
}

TEST(PlainTextMrkdwn, DropsFormattingMarkers) {
    EXPECT_EQ(simplify_mrkdwn("*bold* and _italic_ and ~gone~ and `code`"), "bold and italic and gone and code");
    EXPECT_EQ(simplify_mrkdwn("*_both_*"), "both");
    EXPECT_EQ(simplify_mrkdwn("Scaled *spot-ng* to *3*."), "Scaled spot-ng to 3.");
}

TEST(PlainTextMrkdwn, LeavesIdentifiersAndArithmeticAlone) {
    EXPECT_EQ(simplify_mrkdwn("spot_ng_1 and my_group"), "spot_ng_1 and my_group");
    EXPECT_EQ(simplify_mrkdwn("2*3*4 and a * b"), "2*3*4 and a * b");
    EXPECT_EQ(simplify_mrkdwn("*not closed"), "*not closed");
}

TEST(PlainTextMrkdwn, RewritesLinksMentionsAndEntities) {
    EXPECT_EQ(simplify_mrkdwn("<https://a.example/x?a=1&amp;b=2|the docs>"), "the docs (https://a.example/x?a=1&b=2)");
    EXPECT_EQ(simplify_mrkdwn("<https://a.example>"), "https://a.example");
    EXPECT_EQ(simplify_mrkdwn("<https://a.example|https://a.example>"), "https://a.example");
    EXPECT_EQ(simplify_mrkdwn("<@U123|ann> <@U456> <#C1|ops> <!here> <!subteam^S1|@gpu-team>"),
              "@ann @U456 #ops @here @gpu-team");
    EXPECT_EQ(simplify_mrkdwn("&lt;none&gt; &amp; more"), "<none> & more");
}

TEST(PlainTextMrkdwn, KeepsCodeBlockContentVerbatim) {
    EXPECT_EQ(simplify_mrkdwn("Logs:\n```\nx *y* &lt;z&gt;\n```\ndone"), "Logs:\nx *y* <z>\ndone");
}

TEST(PlainTextRenderer, NeverTruncatesTableCells) {
    const std::string wide(120, 'w');
    Reply r;
    r.table({{"A", "B"}, {{wide, "1"}, {"short", ""}}});
    EXPECT_EQ(render_plain_text(r), "A" + std::string(119, ' ') + "  B\n" + std::string(120, '-') + "  -\n" + wide +
                                        "  1\nshort\n");
}

TEST(PlainTextRenderer, AlignsFieldsAndIndentsMultiLineValues) {
    Reply r;
    r.fields({{"Desired", "3"}, {"Min", "1"}, {"Events", "scaled up\nscaled down"}});
    EXPECT_EQ(render_plain_text(r), "Desired: 3\nMin:     1\nEvents:  scaled up\n         scaled down\n");
}

TEST(PlainTextRenderer, TableWithoutRowsSaysSo) {
    Reply r;
    r.table({{"NAME"}, {}});
    EXPECT_EQ(render_plain_text(r), "NAME\n----\n(no rows)\n");
}

TEST(PlainTextRenderer, DataIsShownLiterally) {
    Reply r;
    r.heading("<prod> & co").chips({{"a*b*c", Status::ok}});
    EXPECT_EQ(render_plain_text(r), "<prod> & co\n===========\n\n[ok] a*b*c\n");
}

TEST(PlainTextRenderer, EmptyReplyFallsBackToSummaryAndEndsWithNewline) {
    Reply r;
    r.summary = "Nothing to show for *prod*";
    EXPECT_EQ(render_plain_text(r), "Nothing to show for prod\n");
    EXPECT_EQ(render_plain_text(Reply{}), "\n");
    EXPECT_EQ(render_plain_text(message_reply("ok")), "ok\n");
}

}  // namespace
}  // namespace hpops::bot
