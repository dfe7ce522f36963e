#include "handlers/training_view.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tests/handlers/training_fixtures.hpp"

namespace hpops::handlers {
namespace {

using hpops::testing::seed_run;

std::size_t code_points(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

TEST(TrainingColours, SamplesPerSecondThresholdsAreTheIssues) {
    EXPECT_EQ(samples_colour(2.0), Status::ok);
    EXPECT_EQ(samples_colour(9.5), Status::ok);
    EXPECT_EQ(samples_colour(1.999), Status::warn);
    EXPECT_EQ(samples_colour(1.0), Status::warn);
    // Below 1.0 is bad: the seed's 0.5 gap is closed as the issue says.
    EXPECT_EQ(samples_colour(0.999), Status::bad);
    EXPECT_EQ(samples_colour(0.7), Status::bad);
    EXPECT_EQ(samples_colour(0.0), Status::bad);
    EXPECT_EQ(samples_colour(std::nan("")), Status::unknown);
    EXPECT_EQ(samples_colour(std::numeric_limits<double>::infinity()), Status::unknown);
}

TEST(TrainingColours, ReplicaCountThresholds) {
    EXPECT_EQ(replica_colour(0), Status::ok);
    EXPECT_EQ(replica_colour(1), Status::ok);
    EXPECT_EQ(replica_colour(2), Status::warn);
    EXPECT_EQ(replica_colour(3), Status::warn);
    EXPECT_EQ(replica_colour(4), Status::bad);
    EXPECT_EQ(replica_colour(64), Status::bad);
}

TEST(TrainingColours, InstanceFamilies) {
    EXPECT_EQ(instance_family("ml.g5.12xlarge"), "g5");
    EXPECT_EQ(instance_family("g5.xlarge"), "g5");
    EXPECT_EQ(instance_family("ML.P4D.24XLARGE"), "p4d");
    EXPECT_EQ(instance_family("p3dn.24xlarge"), "p3dn");
    EXPECT_EQ(instance_family_colour("ml.g5.12xlarge"), Status::ok);
    EXPECT_EQ(instance_family_colour("g5.48xlarge"), Status::ok);
    EXPECT_EQ(instance_family_colour("ml.p4d.24xlarge"), Status::ok);
    EXPECT_EQ(instance_family_colour("ml.p3.16xlarge"), Status::warn);
    EXPECT_EQ(instance_family_colour("ml.p4de.24xlarge"), Status::unknown);
    EXPECT_EQ(instance_family_colour("ml.p5.48xlarge"), Status::unknown);
    EXPECT_EQ(instance_family_colour(""), Status::unknown);
}

TEST(TrainingColours, RunStatus) {
    EXPECT_EQ(run_status_colour("FINISHED"), Status::ok);
    EXPECT_EQ(run_status_colour("RUNNING"), Status::warn);
    EXPECT_EQ(run_status_colour("SCHEDULED"), Status::warn);
    EXPECT_EQ(run_status_colour("KILLED"), Status::warn);
    EXPECT_EQ(run_status_colour("FAILED"), Status::bad);
    EXPECT_EQ(run_status_colour(""), Status::unknown);
}

TEST(TrainingColours, ChipsOfASeedRun) {
    const auto chips = run_chips(seed_run());
    ASSERT_EQ(chips.size(), 4u);
    EXPECT_EQ(chips[0].label, "FINISHED");
    EXPECT_EQ(chips[0].status, Status::ok);
    EXPECT_EQ(chips[1].label, "2.184 samples/s");
    EXPECT_EQ(chips[1].status, Status::ok);
    EXPECT_EQ(chips[2].label, "2 replicas");
    EXPECT_EQ(chips[2].status, Status::warn);
    EXPECT_EQ(chips[3].label, "ml.g5.12xlarge");
    EXPECT_EQ(chips[3].status, Status::ok);

    hpops::Run odd = seed_run();
    odd.tags["replica_count"] = "two";
    odd.metrics.erase("train_samples_per_second");
    const auto odd_chips = run_chips(odd);
    ASSERT_EQ(odd_chips.size(), 3u);
    EXPECT_EQ(odd_chips[1].label, "two replicas");
    EXPECT_EQ(odd_chips[1].status, Status::unknown);
}

TEST(TrainingTags, ImportantFirstInSeedOrderThenTheRestByNameMlflowHidden) {
    const std::map<std::string, std::string> tags{
        {"zeta", "1"},           {"deepspeed_conf", "c"}, {"alpha", "2"},        {"mlflow.user", "u"},
        {"mlflow.runName", "r"}, {"model", "m"},          {"replica_count", "4"}, {"dataset", "d"},
        {"mlflowish", "kept"}};
    EXPECT_EQ(ordered_tag_keys(tags), (std::vector<std::string>{"model", "dataset", "replica_count", "deepspeed_conf",
                                                                "alpha", "mlflowish", "zeta"}));
    EXPECT_TRUE(is_system_tag("mlflow.source.name"));
    EXPECT_FALSE(is_system_tag("mlflowish"));
}

TEST(TrainingTags, ColumnsAreTheUnionOverRuns) {
    hpops::Run a = seed_run(1), b = seed_run(2);
    a.tags = {{"batch_size", "4"}, {"owner", "ann"}, {"mlflow.user", "x"}};
    b.tags = {{"model", "m"}, {"cutoff_len", "1024"}, {"git_sha", "abc"}};
    EXPECT_EQ(tag_columns({&a, &b}),
              (std::vector<std::string>{"model", "batch_size", "cutoff_len", "git_sha", "owner"}));
    EXPECT_TRUE(tag_columns({}).empty());
}

TEST(TrainingFormat, Durations) {
    EXPECT_EQ(format_duration(0), "0s");
    EXPECT_EQ(format_duration(42'999), "42s");
    EXPECT_EQ(format_duration(2'730'123), "45m 30s");
    EXPECT_EQ(format_duration((3 * 60 + 5) * 60'000LL), "3h 05m");
    EXPECT_EQ(format_duration((52 * 60 + 1) * 60'000LL), "2d 4h");
    EXPECT_EQ(format_duration(-1), "—");
}

TEST(TrainingFormat, RunDurationsFinishedRunningAndUnknown) {
    hpops::Run run = seed_run();
    EXPECT_EQ(run_duration(run, 0), "45m 30s");
    run.status = "RUNNING";
    run.end_time_ms = 0;
    EXPECT_EQ(run_duration(run, run.start_time_ms + 3'600'000), "1h 00m so far");
    run.status = "FAILED";  // crashed without an end time
    EXPECT_EQ(run_duration(run, run.start_time_ms + 3'600'000), "—");
    run.start_time_ms = 0;
    EXPECT_EQ(run_duration(run, 1), "—");
}

TEST(TrainingFormat, TimesAreUtcAndSlackLocalised) {
    EXPECT_EQ(format_time(hpops::testing::seed_start_ms), "2024-08-18 00:30 UTC");
    EXPECT_EQ(format_time(0), "—");
    EXPECT_EQ(slack_time(hpops::testing::seed_start_ms),
              "<!date^1723941049^{date_num} {time}|2024-08-18 00:30 UTC>");
}

TEST(TrainingFormat, Numbers) {
    EXPECT_EQ(format_number(2.184), "2.184");
    EXPECT_EQ(format_number(0.288), "0.288");
    EXPECT_EQ(format_number(2.60951), "2.61");
    EXPECT_EQ(format_number(12345.6), "12346");
    EXPECT_EQ(format_number(1.0), "1");
    EXPECT_EQ(format_number(std::nan("")), "NaN");
}

TEST(TrainingSparkline, RisingFlatEmptyAndNonFinite) {
    EXPECT_EQ(sparkline({1, 2, 3, 4, 5, 6, 7, 8}), "▁▂▃▄▅▆▇█");
    EXPECT_EQ(sparkline({8, 1}), "█▁");
    EXPECT_EQ(sparkline({3, 3, 3}), "▄▄▄");
    EXPECT_EQ(sparkline({}), "");
    EXPECT_EQ(sparkline({std::nan(""), 1, std::numeric_limits<double>::infinity(), 2}), "▁█");
    EXPECT_EQ(sparkline({std::nan("")}), "");
}

TEST(TrainingSparkline, LongHistoriesAreAveragedToTheWidth) {
    std::vector<double> loss;
    for (int i = 0; i < 10'000; ++i) loss.push_back(3.0 - i * 0.0002);
    const std::string line = sparkline(loss, 24);
    EXPECT_EQ(code_points(line), 24u);
    EXPECT_TRUE(line.starts_with("█"));
    EXPECT_TRUE(line.ends_with("▁"));
    EXPECT_EQ(code_points(sparkline(loss, 5)), 5u);
}

TEST(TrainingText, ClipKeepsOneLineAndWholeCharacters) {
    EXPECT_EQ(clip("short", 40), "short");
    EXPECT_EQ(clip("a\nb\tc", 40), "a b c");
    EXPECT_EQ(clip("abcdef", 4), "abc…");
    EXPECT_EQ(clip("ééééé", 3), "éé…");
    EXPECT_EQ(clip("anything", 0), "");
    const std::string big(100 * 1024, 'x');
    const std::string cut = clip(big, 40);
    EXPECT_EQ(code_points(cut), 40u);
    EXPECT_TRUE(cut.ends_with("…"));
}

TEST(TrainingText, DataInMrkdwnIsEscapedAndCannotEndItsSpan) {
    EXPECT_EQ(mrkdwn_escape("a<b>&c"), "a&lt;b&gt;&amp;c");
    EXPECT_EQ(code_span("x`y<z>"), "`xˋy&lt;z&gt;`");
    EXPECT_EQ(code_span(""), "—");
    EXPECT_EQ(bold("run*1"), "*run∗1*");
    EXPECT_EQ(code_points(code_span(std::string(5000, 'v'))), max_value_chars + 2);
}

TEST(TrainingText, ExperimentLabelsFallBackToTheId) {
    const ExperimentNames names = experiment_names(hpops::testing::seed_experiments());
    EXPECT_EQ(experiment_label(names, "1"), "hyperpodpytorchjob-2xy");
    EXPECT_EQ(experiment_label(names, "99"), "99");
    EXPECT_EQ(experiment_label(names, ""), "—");
}

}  // namespace
}  // namespace hpops::handlers
