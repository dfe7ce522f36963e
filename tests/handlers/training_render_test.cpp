#include <gtest/gtest.h>

#include "bot/slack/block_kit_renderer.hpp"
#include "bot/terminal/plain_text_renderer.hpp"
#include "handlers/training_detail.hpp"
#include "handlers/training_table.hpp"
#include "tests/handlers/training_fixtures.hpp"
#include "tests/support/block_kit_rules.hpp"
#include "tests/support/reply_blocks_of.hpp"

namespace hpops::handlers {
namespace {

using hpops::testing::blocks_of;
using hpops::testing::reply_words;
using hpops::testing::huge_run;
using hpops::testing::seed_run;

const ExperimentNames experiments = experiment_names(hpops::testing::seed_experiments());

std::vector<hpops::Run> many_runs(int n) {
    std::vector<hpops::Run> runs;
    for (int i = 0; i < n; ++i) {
        hpops::Run run = seed_run(i + 1);
        run.metrics["train_samples_per_second"] = 0.25 * (i % 12);
        run.tags["replica_count"] = std::to_string(1 + i % 6);
        run.tags["instance_type"] = i % 3 == 0 ? "ml.g5.12xlarge" : i % 3 == 1 ? "ml.p4d.24xlarge" : "ml.p3.16xlarge";
        run.tags["extra_" + std::to_string(i % 20)] = "x";
        runs.push_back(std::move(run));
    }
    return runs;
}

// Every page Slack would receive is valid, and the reply stays a few messages.
void expect_valid_block_kit(const Reply& reply, std::size_t max_pages) {
    const auto pages = bot::render_block_kit(reply);
    EXPECT_LE(pages.size(), max_pages);
    for (std::size_t i = 0; i < pages.size(); ++i) {
        const auto violations = hpops::testing::block_kit_violations(pages[i]);
        EXPECT_TRUE(violations.empty()) << "page " << i << ": " << violations.front();
    }
}

TEST(TrainingRenderRuns, CardsCarryNameExperimentTagsInOrderAndColourChips) {
    RunsView view;
    view.now_ms = hpops::testing::seed_start_ms;
    const Reply reply = render_runs({seed_run()}, experiments, view);
    EXPECT_EQ(reply.summary, "1 training run");
    const auto texts = blocks_of<Text>(reply);
    ASSERT_EQ(texts.size(), 1u);
    const std::string& card = texts[0].markdown;
    EXPECT_TRUE(card.starts_with("*run_20250818003050* · hyperpodpytorchjob-2xy · <!date^")) << card;
    EXPECT_NE(card.find("45m 30s · 0.288 steps/s"), std::string::npos) << card;
    const auto model = card.find("model `Qwen-Qwen3-0.6B`"), dataset = card.find("dataset `identity`"),
               proc = card.find("proc_per_node `1`"), deepspeed = card.find("deepspeed_conf `ds_z0_config.json`"),
               team = card.find("team `llm`");
    ASSERT_NE(model, std::string::npos);
    EXPECT_LT(model, dataset);
    EXPECT_LT(dataset, proc);
    EXPECT_LT(proc, deepspeed);
    EXPECT_LT(deepspeed, team);
    EXPECT_EQ(card.find("mlflow."), std::string::npos) << card;
    EXPECT_EQ(card.find("ubuntu"), std::string::npos) << card;
    // Instance type and replicas are chips, not repeated in the tag line.
    EXPECT_EQ(card.find("instance_type"), std::string::npos) << card;
    const auto chips = blocks_of<Chips>(reply);
    ASSERT_EQ(chips.size(), 1u);
    EXPECT_EQ(chips[0].items.size(), 4u);
    EXPECT_EQ(chips[0].items[3].label, "ml.g5.12xlarge");
    expect_valid_block_kit(reply, 1);
}

TEST(TrainingRenderRuns, TableHasSeedColumnsWithDynamicTagsImportantFirst) {
    RunsView view;
    view.layout = RunsLayout::table;
    const Reply reply = render_runs({seed_run(1), seed_run(2)}, experiments, view);
    const auto tables = blocks_of<Table>(reply);
    ASSERT_EQ(tables.size(), 1u);
    EXPECT_EQ(tables[0].columns,
              (std::vector<std::string>{"experiment", "run", "status", "model", "dataset", "instance_type",
                                        "replica_count", "proc_per_node", "batch_size", "cutoff_len", "deepspeed_conf",
                                        "team", "samples/s", "steps/s", "start", "duration"}));
    ASSERT_EQ(tables[0].rows.size(), 2u);
    EXPECT_EQ(tables[0].rows[0],
              (std::vector<std::string>{"hyperpodpytorchjob-2xy", "run_20250818003050", "FINISHED", "Qwen-Qwen3-0.6B",
                                        "identity", "ml.g5.12xlarge", "2", "1", "4", "2048", "ds_z0_config.json", "llm",
                                        "2.184", "0.288", "2024-08-18 00:31 UTC", "45m 30s"}));
    // The legend carries the colours a monospace table cannot.
    const auto chips = blocks_of<Chips>(reply);
    ASSERT_EQ(chips.size(), 1u);
    EXPECT_EQ(chips[0].items[0].label, "2 runs ≥ 2.0 samples/s");
    EXPECT_EQ(chips[0].items[0].status, Status::ok);
    EXPECT_EQ(chips[0].items[1].label, "ml.g5.12xlarge ×2");
    EXPECT_EQ(chips[0].items[2].label, "2 replicas ×2");
    EXPECT_EQ(chips[0].items[2].status, Status::warn);
}

TEST(TrainingRenderRuns, TableLegendCountsReplicasInNumericOrder) {
    std::vector<hpops::Run> runs{seed_run(1), seed_run(2), seed_run(3), seed_run(4)};
    runs[0].tags["replica_count"] = "10";
    runs[1].tags["replica_count"] = "x";
    runs[3].tags["replica_count"] = "1";
    RunsView view;
    view.layout = RunsLayout::table;
    const auto chips = blocks_of<Chips>(render_runs(runs, experiments, view));
    ASSERT_EQ(chips.size(), 1u);
    std::vector<std::pair<std::string, Status>> replicas;
    for (const auto& chip : chips[0].items)
        if (chip.label.find("replica") != std::string::npos) replicas.emplace_back(chip.label, chip.status);
    EXPECT_EQ(replicas, (std::vector<std::pair<std::string, Status>>{{"1 replica ×1", Status::ok},
                                                                     {"2 replicas ×1", Status::warn},
                                                                     {"10 replicas ×1", Status::bad},
                                                                     {"x replicas ×1", Status::unknown}}));
}

TEST(TrainingRenderRuns, AThousandRunsAreCappedCountedAndValidInSlack) {
    const auto runs = many_runs(1000);
    RunsView view;
    view.limit = 200;
    view.more_match = true;
    const Reply cards = render_runs(runs, experiments, view);
    EXPECT_EQ(blocks_of<Text>(cards).size(), max_cards);
    // A bigger limit= would not fit here either, so it is not suggested.
    EXPECT_EQ(reply_words(cards).find("raise `limit=`"), std::string::npos) << reply_words(cards);
    EXPECT_NE(reply_words(cards).find("960 more runs not shown here — narrow with `experiment=`, `status=` or `since=`"),
              std::string::npos)
        << reply_words(cards);
    expect_valid_block_kit(cards, 2);

    view.layout = RunsLayout::table;
    const Reply table = render_runs(runs, experiments, view);
    ASSERT_EQ(blocks_of<Table>(table).size(), 1u);
    EXPECT_EQ(blocks_of<Table>(table)[0].rows.size(), max_table_rows);
    EXPECT_NE(reply_words(table).find("800 more runs"), std::string::npos);
    // 8 important + 20 extra + team = 29 keys, 12 become columns.
    EXPECT_NE(reply_words(table).find("17 more tag keys not shown as columns"), std::string::npos)
        << reply_words(table);
    expect_valid_block_kit(table, 2);
    const std::string text = bot::render_plain_text(table);
    EXPECT_LT(text.size(), 200'000u);
}

TEST(TrainingRenderRuns, MoreMatchingRunsSayHowToSeeThem) {
    RunsView view;
    view.more_match = true;
    view.limit = 20;
    view.filters = "status=failed";
    view.ui_url = "https://mlflow.example.com";
    const Reply reply = render_runs({seed_run()}, experiments, view);
    const std::string text = reply_words(reply);
    EXPECT_NE(text.find("More runs match than `limit=20` — narrow with `experiment=`, `status=` or `since=` or raise "
                        "`limit=` (up to 200)."),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("`status=failed`"), std::string::npos);
    EXPECT_NE(text.find("<https://mlflow.example.com|Open MLflow>"), std::string::npos);
    EXPECT_EQ(reply.summary, "1 training run (status=failed)");
}

TEST(TrainingRenderRuns, NoRunsSaysWhy) {
    RunsView view;
    EXPECT_NE(reply_words(render_runs({}, experiments, view)).find("MLflow has no runs yet"), std::string::npos);
    view.filters = "since=24h";
    const Reply reply = render_runs({}, experiments, view);
    EXPECT_NE(reply_words(reply).find("No runs match `since=24h`"), std::string::npos) << reply_words(reply);
    expect_valid_block_kit(reply, 1);
}

TEST(TrainingRenderRuns, HugeTagsAndValuesStayWithinLimits) {
    std::vector<hpops::Run> runs{huge_run(), seed_run(2), huge_run()};
    RunsView view;
    const Reply cards = render_runs(runs, experiments, view);
    expect_valid_block_kit(cards, 1);
    EXPECT_NE(reply_words(cards).find("more tags_"), std::string::npos);
    EXPECT_LT(bot::render_plain_text(cards).size(), 20'000u);

    view.layout = RunsLayout::table;
    const Reply table = render_runs(runs, experiments, view);
    expect_valid_block_kit(table, 1);
    EXPECT_LT(bot::render_plain_text(table).size(), 20'000u);
}

TEST(TrainingRenderRun, MetricsWithTrendsParamsTagsAndLink) {
    hpops::Run run = seed_run();
    MetricHistories histories;
    for (int i = 0; i < 8; ++i) histories["loss"].push_back({3.0 - i * 0.1, 0, i});
    const Reply reply = render_run(run, experiments, histories, "https://mlflow.example.com/", 0);
    EXPECT_EQ(reply.summary, "Training run run_20250818003050 (FINISHED)");
    const std::string text = reply_words(reply);
    EXPECT_NE(text.find("<https://mlflow.example.com/#/experiments/1/runs/" + run.id + "|Open in MLflow>"),
              std::string::npos)
        << text;
    const auto tables = blocks_of<Table>(reply);
    ASSERT_EQ(tables.size(), 1u);
    EXPECT_EQ(tables[0].columns, (std::vector<std::string>{"metric", "last", "trend", "points"}));
    ASSERT_EQ(tables[0].rows.size(), 4u);
    EXPECT_EQ(tables[0].rows[0], (std::vector<std::string>{"train_samples_per_second", "2.184", "-", "-"}));
    EXPECT_EQ(tables[0].rows[2], (std::vector<std::string>{"loss", "2.61", "█▇▆▅▄▃▂▁", "8"}));
    bool saw_param = false, saw_mlflow_tag = false;
    for (const auto& fields : blocks_of<Fields>(reply))
        for (const auto& f : fields.items) {
            saw_param |= f.label == "learning_rate" && f.value == "1e-4";
            saw_mlflow_tag |= f.label.starts_with("mlflow.");
        }
    EXPECT_TRUE(saw_param);
    EXPECT_FALSE(saw_mlflow_tag);
    expect_valid_block_kit(reply, 1);
    EXPECT_EQ(reply_words(render_run(run, experiments, {}, "", 0)).find("Open in MLflow"), std::string::npos);
}

TEST(TrainingRenderRun, HugeRunStaysWithinLimits) {
    const Reply reply = render_run(huge_run(), experiments, {}, "https://mlflow.example.com", 0);
    expect_valid_block_kit(reply, 1);
    EXPECT_NE(reply_words(reply).find("more params"), std::string::npos);
    EXPECT_LT(bot::render_plain_text(reply).size(), 30'000u);
}

TEST(TrainingRenderCompare, DifferencesFirstAndMarkedThroughputRatio) {
    hpops::Run a = seed_run(1), b = seed_run(2);
    b.metrics["train_samples_per_second"] = 2.184 * 1.5;
    b.tags["instance_type"] = "ml.p4d.24xlarge";
    b.params["learning_rate"] = "2e-4";
    const Reply reply = render_compare({a, b}, experiments, 0);
    EXPECT_EQ(reply.summary, "Comparing 2 training runs");
    const std::string text = reply_words(reply);
    EXPECT_NE(text.find("*Samples/s* against `run_20250818003050`: `run_20250818003051` 1.50×"), std::string::npos) << text;
    EXPECT_NE(text.find("2 differ (marked ≠), 9 the same"), std::string::npos) << text;
    const auto tables = blocks_of<Table>(reply);
    ASSERT_EQ(tables.size(), 2u);
    EXPECT_EQ(tables[0].rows[5], (std::vector<std::string>{"vs first", "1.00×", "1.50×"}));
    EXPECT_EQ(tables[1].rows[0], (std::vector<std::string>{"≠ params.learning_rate", "1e-4", "2e-4"}));
    EXPECT_EQ(tables[1].rows[1], (std::vector<std::string>{"≠ tags.instance_type", "ml.g5.12xlarge", "ml.p4d.24xlarge"}));
    EXPECT_TRUE(tables[1].rows[2][0].starts_with("  ")) << tables[1].rows[2][0];
    const auto chips = blocks_of<Chips>(reply);
    ASSERT_EQ(chips.size(), 1u);
    EXPECT_EQ(chips[0].items[1].label, "run_20250818003051 3.276 samples/s");
    expect_valid_block_kit(reply, 1);
}

TEST(TrainingRenderCompare, SameNamesGetShortIdsAndHugeRunsStayWithinLimits) {
    hpops::Run a = huge_run(), b = huge_run();
    b.id = hpops::testing::hex_id(0xabcdef);
    const Reply reply = render_compare({a, b, seed_run(3)}, experiments, 0);
    const auto tables = blocks_of<Table>(reply);
    ASSERT_EQ(tables.size(), 2u);
    EXPECT_TRUE(tables[0].columns[1].ends_with(" (00000000)")) << tables[0].columns[1];
    EXPECT_LE(tables[1].rows.size(), max_compare_rows);
    expect_valid_block_kit(reply, 1);
    EXPECT_LT(bot::render_plain_text(reply).size(), 30'000u);
}

}  // namespace
}  // namespace hpops::handlers
