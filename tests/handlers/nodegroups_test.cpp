#include "handlers/nodegroups.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "bot/slack/block_kit_renderer.hpp"
#include "tests/support/block_kit_rules.hpp"
#include "tests/support/reply_blocks_of.hpp"

namespace hpops::handlers {
namespace {

using hpops::testing::blocks_of;
using nlohmann::json;

EksNodeGroup node_group(std::string name, std::string status, std::vector<std::string> types, std::string capacity,
                        ScalingConfig scaling) {
    EksNodeGroup g;
    g.name = std::move(name);
    g.status = std::move(status);
    g.instance_types = std::move(types);
    g.capacity_type = std::move(capacity);
    g.scaling = scaling;
    return g;
}

HyperPodInstanceGroup instance_group(std::string name, std::string status, std::string type, int current, int target) {
    return {std::move(name), std::move(status), std::move(type), current, target, ""};
}

FleetView full_fleet() {
    FleetView view;
    view.region = "us-west-2";
    view.eks_cluster = "prod";
    view.eks_note = "the only cluster";
    view.node_groups = {node_group("spot-ng", "ACTIVE", {"m5.large", "m5a.large"}, "SPOT", {1, 8, 4}),
                        node_group("gpu-ng", "UPDATING", {"g5.12xlarge"}, "ON_DEMAND", {0, 4, 2}),
                        node_group("broken-ng", "CREATE_FAILED", {"p4d.24xlarge"}, "CAPACITY_BLOCK", {0, 1, 0})};
    view.hyperpod_cluster = "hp-train";
    view.hyperpod_note = "orchestrated by prod";
    view.hyperpod_status = "InService";
    view.instance_groups = {instance_group("workers", "InService", "ml.g5.12xlarge", 3, 4),
                            instance_group("controller", "Failed", "ml.m5.xlarge", 0, 1)};
    return view;
}

// Index of the first block of type T (optionally with this text), or -1.
template <class T>
int index_of(const Reply& reply, const std::string& text = {}) {
    for (std::size_t i = 0; i < reply.blocks.size(); ++i) {
        const auto* x = std::get_if<T>(&reply.blocks[i]);
        if (!x) continue;
        if constexpr (std::is_same_v<T, Text>) {
            if (!text.empty() && x->markdown != text) continue;
        }
        return static_cast<int>(i);
    }
    return -1;
}

std::map<std::string, Status> chip_colours(const Reply& reply) {
    std::map<std::string, Status> out;
    for (const auto& chips : blocks_of<Chips>(reply))
        for (const auto& chip : chips.items) out[chip.label] = chip.status;
    return out;
}

std::string contexts(const Reply& reply) {
    std::string out;
    for (const auto& c : blocks_of<Context>(reply)) out += c.text + "\n";
    return out;
}

TEST(FleetRender, ShowsBothTablesWithTheirRowsAndColumns) {
    const Reply reply = render_fleet(full_fleet());
    EXPECT_EQ(reply.visibility, Visibility::caller);
    EXPECT_EQ(reply.summary, "3 EKS node groups, 2 HyperPod instance groups in us-west-2");
    ASSERT_FALSE(reply.blocks.empty());
    ASSERT_TRUE(std::holds_alternative<Heading>(reply.blocks.front()));
    EXPECT_EQ(std::get<Heading>(reply.blocks.front()).text, "Node groups · prod · us-west-2");

    const auto tables = blocks_of<Table>(reply);
    ASSERT_EQ(tables.size(), 2u);
    const Table& eks = tables[0];
    EXPECT_EQ(eks.columns,
              (std::vector<std::string>{"name", "status", "instance types", "capacity", "min", "max", "desired"}));
    ASSERT_EQ(eks.rows.size(), 3u);
    EXPECT_EQ(eks.rows[0],
              (std::vector<std::string>{"spot-ng", "ACTIVE", "m5.large, m5a.large", "spot", "1", "8", "4"}));
    EXPECT_EQ(eks.rows[1], (std::vector<std::string>{"gpu-ng", "UPDATING", "g5.12xlarge", "on-demand", "0", "4", "2"}));
    // A capacity type the bot has no word for is shown as AWS names it.
    EXPECT_EQ(eks.rows[2],
              (std::vector<std::string>{"broken-ng", "CREATE_FAILED", "p4d.24xlarge", "CAPACITY_BLOCK", "0", "1", "0"}));

    const Table& hyperpod = tables[1];
    EXPECT_EQ(hyperpod.columns, (std::vector<std::string>{"name", "status", "instance type", "current/target"}));
    ASSERT_EQ(hyperpod.rows.size(), 2u);
    EXPECT_EQ(hyperpod.rows[0], (std::vector<std::string>{"workers", "InService", "ml.g5.12xlarge", "3/4"}));
    EXPECT_EQ(hyperpod.rows[1], (std::vector<std::string>{"controller", "Failed", "ml.m5.xlarge", "0/1"}));
}

TEST(FleetRender, EachTableFollowsItsOwnTitle) {
    const Reply reply = render_fleet(full_fleet());
    const int eks_title = index_of<Text>(reply, "*EKS node groups*");
    const int hyperpod_title = index_of<Text>(reply, "*HyperPod instance groups*");
    ASSERT_GE(eks_title, 0);
    ASSERT_GT(hyperpod_title, eks_title);
    int eks_table = -1, hyperpod_table = -1;
    for (std::size_t i = 0; i < reply.blocks.size(); ++i)
        if (std::holds_alternative<Table>(reply.blocks[i])) (eks_table < 0 ? eks_table : hyperpod_table) = static_cast<int>(i);
    EXPECT_GT(eks_table, eks_title);
    EXPECT_LT(eks_table, hyperpod_title);
    EXPECT_GT(hyperpod_table, hyperpod_title);
}

TEST(FleetRender, SaysWhichClustersAndWhy) {
    const std::string notes = contexts(render_fleet(full_fleet()));
    EXPECT_NE(notes.find("EKS `prod` (the only cluster) · HyperPod `hp-train` (orchestrated by prod) InService"),
              std::string::npos)
        << notes;
    EXPECT_NE(notes.find("/hp scale nodegroup NAME desired=N"), std::string::npos) << notes;
}

TEST(FleetRender, ChipsColourEachGroupByItsStatus) {
    const auto colours = chip_colours(render_fleet(full_fleet()));
    const std::map<std::string, Status> expected{
        {"spot-ng ACTIVE", Status::ok},         {"gpu-ng UPDATING", Status::warn},
        {"broken-ng CREATE_FAILED", Status::bad}, {"workers InService", Status::ok},
        {"controller Failed", Status::bad}};
    EXPECT_EQ(colours, expected);
}

TEST(FleetRender, WithoutAHyperPodClusterShowsOnlyTheEksTable) {
    FleetView view = full_fleet();
    view.hyperpod_cluster.clear();
    view.hyperpod_note.clear();
    view.hyperpod_status.clear();
    view.instance_groups.clear();
    const Reply reply = render_fleet(view);

    EXPECT_EQ(reply.summary, "3 EKS node groups, 0 HyperPod instance groups in us-west-2");
    const auto tables = blocks_of<Table>(reply);
    ASSERT_EQ(tables.size(), 1u);
    EXPECT_EQ(tables[0].columns.front(), "name");
    EXPECT_EQ(tables[0].rows.size(), 3u);
    EXPECT_EQ(index_of<Text>(reply, "*HyperPod instance groups*"), -1);
    const std::string notes = contexts(reply);
    EXPECT_NE(notes.find("EKS `prod` (the only cluster) · no HyperPod cluster"), std::string::npos) << notes;
    EXPECT_EQ(notes.find("HyperPod `"), std::string::npos) << notes;
    EXPECT_EQ(chip_colours(reply).size(), 3u);
}

TEST(FleetRender, WithoutNodeGroupsSaysNoneAndStillShowsHyperPod) {
    FleetView view = full_fleet();
    view.node_groups.clear();
    view.eks_note.clear();
    const Reply reply = render_fleet(view);

    EXPECT_EQ(reply.summary, "0 EKS node groups, 2 HyperPod instance groups in us-west-2");
    const int title = index_of<Text>(reply, "*EKS node groups*");
    ASSERT_GE(title, 0);
    ASSERT_LT(title + 1, static_cast<int>(reply.blocks.size()));
    ASSERT_TRUE(std::holds_alternative<Text>(reply.blocks[title + 1]));
    EXPECT_EQ(std::get<Text>(reply.blocks[title + 1]).markdown, "_none_");
    const auto tables = blocks_of<Table>(reply);
    ASSERT_EQ(tables.size(), 1u);
    EXPECT_EQ(tables[0].columns.back(), "current/target");
    EXPECT_EQ(chip_colours(reply).size(), 2u);
    // No empty "()" for a missing note.
    EXPECT_NE(contexts(reply).find("EKS `prod` · HyperPod"), std::string::npos) << contexts(reply);
}

TEST(FleetRender, AHyperPodClusterWithoutGroupsHasAnEmptyTableAndNoChips) {
    FleetView view = full_fleet();
    view.instance_groups.clear();
    const Reply reply = render_fleet(view);
    const auto tables = blocks_of<Table>(reply);
    ASSERT_EQ(tables.size(), 2u);
    EXPECT_TRUE(tables[1].rows.empty());
    // Only the EKS chips; an empty chip block would render as an invalid context.
    ASSERT_EQ(blocks_of<Chips>(reply).size(), 1u);
    EXPECT_EQ(blocks_of<Chips>(reply)[0].items.size(), 3u);
    for (const json& page : bot::render_block_kit(reply))
        EXPECT_TRUE(hpops::testing::block_kit_violations(page).empty()) << page.dump(2);
}

// A big account: 200 node groups with long names and several instance types,
// and a HyperPod cluster with as many groups, so the reply spans pages.
FleetView big_fleet() {
    static const char* statuses[] = {"ACTIVE", "UPDATING", "CREATE_FAILED", "DEGRADED", "DELETING"};
    FleetView view;
    view.region = "eu-central-1";
    view.eks_cluster = "research-shared-gpu-cluster";
    view.hyperpod_cluster = "research-hyperpod";
    view.hyperpod_status = "Updating";
    for (int i = 0; i < 200; ++i) {
        char suffix[8];
        std::snprintf(suffix, sizeof suffix, "%03d", i);
        view.node_groups.push_back(node_group("team-" + std::string(suffix) + "-training-workers-long",
                                              statuses[i % 5], {"g5.12xlarge", "g5.24xlarge", "g6e.12xlarge"},
                                              i % 2 ? "SPOT" : "ON_DEMAND", {0, 100, i % 100}));
        view.instance_groups.push_back(
            instance_group("ig-" + std::string(suffix) + "-accelerated-workers", "InService", "ml.p5.48xlarge", i % 7, 8));
    }
    return view;
}

std::string page_text(const json& page) {
    std::string out;
    for (const json& block : page["blocks"]) out += block.dump() + "\n";
    return out;
}

TEST(FleetRender, ABigFleetRendersToValidBlockKitPages) {
    const FleetView view = big_fleet();
    const Reply reply = render_fleet(view);
    const auto pages = bot::render_block_kit(reply);
    ASSERT_GT(pages.size(), 1u) << "a fleet this size should not fit one message";
    ASSERT_LE(pages.size(), bot::BlockKitLimits::max_pages);

    std::string everything;
    for (std::size_t p = 0; p < pages.size(); ++p) {
        const auto violations = hpops::testing::block_kit_violations(pages[p]);
        std::string listed;
        for (const auto& v : violations) listed += v + "\n";
        EXPECT_TRUE(violations.empty()) << "page " << p << ":\n" << listed;
        EXPECT_EQ(pages[p]["response_type"], "ephemeral");
        EXPECT_FALSE(pages[p]["text"].get<std::string>().empty());
        everything += page_text(pages[p]);
    }
    // Nothing was dropped: every group is in its table and its chip.
    for (const auto& g : view.node_groups) {
        EXPECT_NE(everything.find(g.name + "  " + g.status), std::string::npos) << "table row of " << g.name;
        EXPECT_NE(everything.find(g.name + " " + g.status + "\""), std::string::npos) << "chip of " << g.name;
    }
    for (const auto& g : view.instance_groups)
        EXPECT_NE(everything.find(g.name + "  InService"), std::string::npos) << "table row of " << g.name;
    EXPECT_EQ(pages.front()["blocks"][0]["type"], "header");
}

}  // namespace
}  // namespace hpops::handlers
