// A digest is one message: its worst case (every section at its largest)
// must render as one Block Kit page within Slack's rules, since a job's
// message is a single chat.postMessage / chat.update.
#include <gtest/gtest.h>

#include "bot/slack/block_kit_renderer.hpp"
#include "bot/terminal/plain_text_renderer.hpp"
#include "handlers/digest_job.hpp"
#include "handlers/digest_sections.hpp"
#include "tests/support/block_kit_rules.hpp"

namespace hpops::handlers {
namespace {

std::string numbered(const std::string& stem, int i) { return stem + "-" + std::to_string(1000 + i); }

DigestView largest_digest() {
    DigestView view{"Digest weekday-morning-platform", "Mon 07 Dec 09:00 CET",
                    "Due Mon 07 Dec 09:00 CET; posted 1h12m late, after hpops was down.", "since Fri 04 Dec 09:00 CET",
                    {}, 431};
    DigestSection fleet{"fleet", "Fleet", {}, {{"group", "cluster", "instance type", "capacity", "status"}, {}}, {}};
    for (int i = 0; i < 30; ++i)  // digest_sections.cpp's max_rows
        fleet.table.rows.push_back({numbered("research-team-training-workers", i), "HyperPod research-shared-hyperpod",
                                    "ml.p5.48xlarge", "12/16 current/target", "InService"});
    fleet.lines.push_back("EKS: 9 clusters; the first 5 are shown.");
    fleet.lines.push_back("Changes in the period (40, newest first):");
    for (int i = 0; i < 8; ++i)
        fleet.lines.push_back("• `scale nodegroup " + numbered("research-team-training-workers", i) +
                              " desired=12 min=0 max=16` by <@U0123456789>, 3d4h ago");
    DigestSection health{"health", "Health", {}, {}, {}};
    for (int c = 0; c < 5; ++c) {
        health.lines.push_back("HyperPod `" + numbered("research-shared-hyperpod", c) + "`: 5 of 64 nodes not Running:");
        for (int i = 0; i < 5; ++i)
            health.lines.push_back("• i-0123456789abcdef" + std::to_string(i) + " (" +
                                   numbered("research-team-training-workers", i) + ") ShuttingDown");
    }
    DigestSection alerts{"alerts", "Alerts", {}, {{"channel", "severity", "firing"}, {}}, {}};
    for (int i = 0; i < 60; ++i) alerts.table.rows.push_back({numbered("#ml-platform-alerts", i), "critical", "412"});
    alerts.lines.push_back("Firing longest:");
    for (int i = 0; i < 3; ++i)
        alerts.lines.push_back("• *GPUXidErrorsOnTrainingNodes* (critical) for 6d23h: " + std::string(120, 'x'));
    alerts.lines.push_back("212 resolved in the period: " + std::string(200, 'y') + ".");
    DigestSection training{"training", "Training", {}, {{"experiment", "finished", "failed", "running", "samples/s best",
                                                        "samples/s worst"}, {}}, {}};
    for (int i = 0; i < 150; ++i) {
        training.table.rows.push_back({numbered("hyperpodpytorchjob-llama3-70b-sft", i), "40", "12", "3",
                                       "112.40 " + numbered("run-best", i), "20.10 " + numbered("run-worst", i)});
        training.lines.push_back("Failed in " + numbered("hyperpodpytorchjob-llama3-70b-sft", i) +
                                 ": `run-a-1`, `run-b-2`, `run-c-3` and 9 more");
    }
    DigestSection gpu{"gpu-hours", "GPU-hours", {}, {{"cluster", "instance type", "instance-hours", "GPU-hours",
                                                      "est. cost"}, {}}, {}};
    for (int i = 0; i < 40; ++i)
        gpu.table.rows.push_back({numbered("HyperPod research-shared-hyperpod", i), "ml.p5.48xlarge", "1,234", "9,872",
                                  "$121,303 + unpriced `g9.xlarge`"});
    gpu.lines.push_back("Total: *394,880 GPU-hours*, est. cost $4,852,120 + unpriced `g9.xlarge`.");
    view.sections = {fleet, health, alerts, training, gpu};
    return view;
}

TEST(DigestRender, TheLargestDigestIsOneValidBlockKitMessage) {
    const Reply reply = render_digest(largest_digest());
    const auto pages = bot::render_block_kit(reply);
    ASSERT_EQ(pages.size(), 1u) << "a job's message is one page: the rest would be cut";
    const auto violations = hpops::testing::block_kit_violations(pages[0]);
    std::string listed;
    for (const auto& v : violations) listed += v + "\n";
    EXPECT_TRUE(violations.empty()) << listed;
    const std::string wire = pages[0].dump();
    for (const char* section : {"Fleet", "Health", "Alerts", "Training", "GPU-hours", "Period since"})
        EXPECT_NE(wire.find(section), std::string::npos) << section;
}

TEST(DigestRender, TheTextRendererShowsTheSameSections) {
    const std::string text = bot::render_plain_text(render_digest(largest_digest()));
    for (const char* section : {"Fleet", "Health", "Alerts", "Training", "GPU-hours", "394,880 GPU-hours"})
        EXPECT_NE(text.find(section), std::string::npos) << section;
}

}  // namespace
}  // namespace hpops::handlers

namespace hpops::handlers {
namespace {

TEST(DigestSectionCaps, ALongTableKeepsAFewRowsAndSaysWhereTheRestAre) {
    DigestSection s{"training", "Training", {"first line"}, {{"experiment"}, {}}, {}};
    for (int i = 0; i < 20; ++i) s.table.rows.push_back({"e" + std::to_string(i)});
    cap_rows(s, 15, "experiments", "`/hp training since=24h`");
    EXPECT_EQ(s.table.rows.size(), 15u);
    EXPECT_EQ(s.table.rows.back()[0], "e14");
    ASSERT_EQ(s.lines.size(), 2u);
    EXPECT_EQ(s.lines[0], "5 more experiments than shown: `/hp training since=24h` lists them all.");
    cap_rows(s, 15, "experiments", "x");
    EXPECT_EQ(s.lines.size(), 2u) << "at the cap: nothing more said";
}

TEST(DigestSectionCaps, LinesOfOneKindAreCappedAndCounted) {
    DigestSection s{"training", "Training", {}, {}, {}};
    for (int i = 0; i < 8; ++i) s.lines.push_back("Failed in e" + std::to_string(i) + ": `r`");
    s.lines.push_back("Regression: `m` 1.0 samples/s");
    cap_lines(s, "Failed in ", 5, "experiments with failed runs");
    ASSERT_EQ(s.lines.size(), 7u);
    EXPECT_EQ(s.lines[4], "Failed in e4: `r`");
    EXPECT_EQ(s.lines[5], "Regression: `m` 1.0 samples/s");
    EXPECT_EQ(s.lines[6], "… and 3 more experiments with failed runs.");
}

}  // namespace
}  // namespace hpops::handlers
