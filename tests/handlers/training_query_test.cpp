#include "handlers/training_query.hpp"

#include <gtest/gtest.h>

#include "hpops/errors.hpp"
#include "tests/handlers/training_fixtures.hpp"

namespace hpops::handlers {
namespace {

using hpops::testing::seed_experiments;
using hpops::testing::seed_run;

// 2026-11-23 14:50:00 UTC.
constexpr std::int64_t now = 1795445400000;
constexpr std::int64_t hour = 3'600'000;

template <class F>
std::string user_error(F&& f) {
    try {
        f();
    } catch (const UserError& error) {
        return error.what();
    }
    ADD_FAILURE() << "no UserError";
    return {};
}

TEST(TrainingQueryLimit, DefaultBoundsAndGarbage) {
    EXPECT_EQ(parse_run_limit(""), 20);
    EXPECT_EQ(parse_run_limit("1"), 1);
    EXPECT_EQ(parse_run_limit("200"), 200);
    for (const char* bad : {"0", "201", "-5", "ten", "5.5", " 5", "99999999999"})
        EXPECT_NE(user_error([&] { parse_run_limit(bad); }).find("from 1 to 200"), std::string::npos) << bad;
}

TEST(TrainingQueryStatus, MapsToMlflowAttributes) {
    EXPECT_EQ(status_clause("failed"), "attributes.status = 'FAILED'");
    EXPECT_EQ(status_clause("Finished"), "attributes.status = 'FINISHED'");
    EXPECT_EQ(status_clause("running"), "attributes.status = 'RUNNING'");
    EXPECT_EQ(status_clause("KILLED"), "attributes.status = 'KILLED'");
    const std::string message = user_error([] { status_clause("done' OR 1=1"); });
    EXPECT_NE(message.find("finished, running, failed, killed or scheduled"), std::string::npos) << message;
}

TEST(TrainingQuerySince, SpansAndDates) {
    EXPECT_EQ(parse_since("24h", now), now - 24 * hour);
    EXPECT_EQ(parse_since("7d", now), now - 7 * 24 * hour);
    EXPECT_EQ(parse_since("2w", now), now - 14 * 24 * hour);
    EXPECT_EQ(parse_since("30m", now), now - 30 * 60'000);
    EXPECT_EQ(parse_since("7D", now), now - 7 * 24 * hour);
    EXPECT_EQ(parse_since("2026-11-01", now), 1793491200000);
    EXPECT_EQ(parse_since("2026-11-01T08:30", now), 1793491200000 + 8 * hour + 30 * 60'000);
    EXPECT_EQ(parse_since("2026-11-01 08:30", now), 1793491200000 + 8 * hour + 30 * 60'000);
    EXPECT_EQ(parse_since("5000000h", now), 0);  // before the epoch: everything
}

TEST(TrainingQuerySince, RejectsGarbageAndTheFuture) {
    for (const char* bad : {"", "h", "yesterday", "0d", "-1d", "1.5d", "7y", "2026-13-01", "2026-02-30", "2026-1-1",
                            "2026-11-01T25:00", "99999999999999999999d"})
        EXPECT_NE(user_error([&] { parse_since(bad, now); }).find("`since` takes a span"), std::string::npos) << bad;
    EXPECT_NE(user_error([] { parse_since("2027-01-01", now); }).find("is in the future"), std::string::npos);
}

TEST(TrainingQueryQuoting, ValuesAreQuotedTheWayMlflowReadsThem) {
    EXPECT_EQ(equals_clause("tags.model", "Qwen-Qwen3-0.6B").text, "tags.model = 'Qwen-Qwen3-0.6B'");
    EXPECT_TRUE(equals_clause("tags.model", "Qwen-Qwen3-0.6B").exact);
    // MLflow strips the outer quotes without unescaping, so a single quote
    // inside is carried by double quotes, never by a backslash or doubling.
    const Clause apostrophe = equals_clause("tags.model", "o'brien-7b");
    EXPECT_EQ(apostrophe.text, "tags.model = \"o'brien-7b\"");
    EXPECT_TRUE(apostrophe.exact);
    EXPECT_EQ(equals_clause("tags.model", "say \"hi\"").text, "tags.model = 'say \"hi\"'");
    const Clause both = equals_clause("tags.model", "it's \"x\"");
    EXPECT_EQ(both.text, "tags.model LIKE 'it_s \"x\"'");
    EXPECT_FALSE(both.exact);
    // An injection attempt stays inside its quotes.
    EXPECT_EQ(equals_clause("attributes.run_name", "a' OR attributes.status = 'FAILED").text,
              "attributes.run_name = \"a' OR attributes.status = 'FAILED\"");
}

TEST(TrainingQueryExperiment, ByNameIdOrCaseInsensitiveMatch) {
    const auto experiments = seed_experiments();
    EXPECT_EQ(find_experiment(experiments, "llama-sft").id, "2");
    EXPECT_EQ(find_experiment(experiments, "1").name, "hyperpodpytorchjob-2xy");
    EXPECT_EQ(find_experiment(experiments, "LLAMA-SFT").id, "2");
}

TEST(TrainingQueryExperiment, UnknownListsTheKnownOnesAndTheClosest) {
    const std::string message = user_error([] { find_experiment(seed_experiments(), "lama-sft"); });
    EXPECT_NE(message.find("No MLflow experiment `lama-sft`."), std::string::npos) << message;
    EXPECT_NE(message.find("Did you mean `llama-sft`?"), std::string::npos) << message;
    EXPECT_NE(message.find("Known experiments: `hyperpodpytorchjob-2xy`, `llama-sft`."), std::string::npos) << message;
    // Deleted experiments are neither matched nor offered.
    EXPECT_EQ(message.find("old-trials"), std::string::npos) << message;
    EXPECT_NE(user_error([] { find_experiment(seed_experiments(), "old-trials"); }).find("No MLflow experiment"),
              std::string::npos);

    std::vector<Experiment> many;
    for (int i = 0; i < 40; ++i) many.push_back({std::to_string(i), "exp-" + std::to_string(100 + i), "active"});
    EXPECT_NE(user_error([&] { find_experiment(many, "zzz"); }).find("and 25 more."), std::string::npos);
    EXPECT_NE(user_error([] { find_experiment({}, "x"); }).find("no experiments yet"), std::string::npos);
}

TEST(TrainingQueryBuild, DefaultsSearchEverythingNewestFirst) {
    const RunListRequest request = build_run_request({}, seed_experiments(), now);
    EXPECT_TRUE(request.query.experiment_ids.empty());
    EXPECT_EQ(request.query.filter, "");
    EXPECT_EQ(request.query.order_by, (std::vector<std::string>{"attributes.start_time DESC"}));
    EXPECT_EQ(request.limit, 20);
    EXPECT_EQ(request.query.max_results, 21);
    EXPECT_EQ(request.filters, "");
}

TEST(TrainingQueryBuild, EveryFilterTogether) {
    const RunListRequest request = build_run_request(
        {{"experiment", "llama-sft"}, {"status", "failed"}, {"since", "24h"}, {"model", "Qwen 3"}, {"limit", "50"}},
        seed_experiments(), now);
    EXPECT_EQ(request.query.experiment_ids, (std::vector<std::string>{"2"}));
    EXPECT_EQ(request.query.filter, "attributes.status = 'FAILED' AND attributes.start_time >= " +
                                        std::to_string(now - 24 * hour) + " AND tags.model = 'Qwen 3'");
    EXPECT_EQ(request.limit, 50);
    EXPECT_EQ(request.query.max_results, 51);
    EXPECT_EQ(request.filters, "experiment=llama-sft status=failed since=24h model=\"Qwen 3\" limit=50");
    EXPECT_TRUE(request.exact_model.empty());
}

TEST(TrainingQueryBuild, UnquotableModelIsFilteredAfterwards) {
    const RunListRequest request = build_run_request({{"model", "it's \"x\""}}, seed_experiments(), now);
    EXPECT_EQ(request.query.filter, "tags.model LIKE 'it_s \"x\"'");
    EXPECT_EQ(request.exact_model, "it's \"x\"");
}

TEST(TrainingQueryBuild, BadOptionsAreUserErrors) {
    EXPECT_NE(user_error([] { build_run_request({{"experiment", "nope"}}, seed_experiments(), now); })
                  .find("Known experiments"),
              std::string::npos);
    EXPECT_NE(user_error([] { build_run_request({{"limit", "500"}}, seed_experiments(), now); }).find("limit"),
              std::string::npos);
}

TEST(TrainingQueryRun, IdsAndNameSearches) {
    EXPECT_TRUE(looks_like_run_id("0bf31bbbb5a941c28c228f9321d08574"));
    EXPECT_FALSE(looks_like_run_id("0BF31BBBB5A941C28C228F9321D08574"));
    EXPECT_FALSE(looks_like_run_id("run_20250818_003049"));
    EXPECT_FALSE(looks_like_run_id("0bf31bbbb5a941c28c228f9321d0857"));
    const RunQuery query = run_name_query("run_20250818_003049");
    EXPECT_EQ(query.filter, "attributes.run_name = 'run_20250818_003049'");
    EXPECT_TRUE(query.experiment_ids.empty());
    EXPECT_GT(query.max_results, 1);
}

TEST(TrainingQueryRun, PicksTheUniqueExactNameOrSaysWhy) {
    const auto names = std::map<std::string, std::string>{{"1", "hyperpodpytorchjob-2xy"}, {"2", "llama-sft"}};
    hpops::Run a = seed_run(1), b = seed_run(2), near = seed_run(3);
    b.name = a.name;
    b.experiment_id = "2";
    near.name = a.name + "x";  // what a LIKE fallback could also return
    EXPECT_EQ(pick_named_run(a.name, {a, near}, names).id, a.id);

    const std::string ambiguous = user_error([&] { pick_named_run(a.name, {a, b, near}, names); });
    EXPECT_NE(ambiguous.find("names 2 runs; say which by run id:"), std::string::npos) << ambiguous;
    EXPECT_NE(ambiguous.find("• `" + a.id + "` in `hyperpodpytorchjob-2xy`, started 2024-08-18 00:31 UTC, FINISHED"),
              std::string::npos)
        << ambiguous;
    EXPECT_NE(ambiguous.find("• `" + b.id + "` in `llama-sft`"), std::string::npos) << ambiguous;

    EXPECT_NE(user_error([&] { pick_named_run("ghost", {near}, names); }).find("No training run has the id or name `ghost`"),
              std::string::npos);
}

}  // namespace
}  // namespace hpops::handlers
