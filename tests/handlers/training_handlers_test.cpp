#include "handlers/training.hpp"

#include <gtest/gtest.h>

#include "bot/dispatch/handler_registry.hpp"
#include "hpops/command_spec.hpp"
#include "hpops/errors.hpp"
#include "hpops/progress.hpp"
#include "hpops/store.hpp"
#include "tests/handlers/training_fixtures.hpp"
#include "tests/support/run_sync.hpp"
#include "tests/support/null_store.hpp"
#include "tests/support/reply_blocks_of.hpp"

namespace hpops::handlers {
namespace {

using hpops::testing::NullStore;
using hpops::testing::reply_words;
using hpops::testing::FakeTracking;
using hpops::testing::run_sync;
using hpops::testing::seed_run;

struct TrainingHandlers : ::testing::Test {
    Reply run(Handler& handler, Intent intent) {
        intent.command = std::string(handler.command());
        return run_sync(handler.handle(intent, context));
    }
    std::string user_error(Handler& handler, Intent intent) {
        try {
            run(handler, std::move(intent));
        } catch (const UserError& error) {
            return error.what();
        }
        ADD_FAILURE() << "no UserError";
        return {};
    }

    FakeTracking mlflow = hpops::testing::seed_tracking();
    Config config;
    NullStore store;
    BotInfo bot{"test", std::chrono::system_clock::now()};
    Clients clients{nullptr, nullptr, &mlflow};
    NoProgress progress;
    CommandContext context{"slack", {"U1", "ada", Role::admin}, "C1", "req-1", config, store, bot, clients, progress, {}};
    Training list;
    TrainingShow show;
    TrainingCompare compare;
    TrainingDelete remove;
};

TEST_F(TrainingHandlers, EveryCommandNeedsMlflowConfigured) {
    clients.tracking = nullptr;
    for (Handler* h : std::initializer_list<Handler*>{&list, &show, &compare, &remove}) {
        Intent intent;
        intent.args = {"a", "b"};
        EXPECT_NE(user_error(*h, intent).find("set `mlflow.tracking_uri`"), std::string::npos) << h->command();
    }
}

TEST_F(TrainingHandlers, ListSendsTheFiltersAndSaysWhenMoreMatch) {
    for (int i = 1; i <= 4; ++i) mlflow.runs.push_back(seed_run(i));
    Intent intent;
    intent.options = {{"experiment", "hyperpodpytorchjob-2xy"}, {"status", "finished"}, {"limit", "3"}};
    const Reply reply = run(list, intent);
    ASSERT_EQ(mlflow.searches.size(), 1u);
    EXPECT_EQ(mlflow.searches[0].experiment_ids, (std::vector<std::string>{"1"}));
    EXPECT_EQ(mlflow.searches[0].filter, "attributes.status = 'FINISHED'");
    EXPECT_EQ(mlflow.searches[0].max_results, 4);
    EXPECT_EQ(reply.summary, "3 training runs (experiment=hyperpodpytorchjob-2xy status=finished limit=3)");
    EXPECT_NE(reply_words(reply).find("raise `limit=`"), std::string::npos);
}

TEST_F(TrainingHandlers, ListUsesCardsInSlackAndATableAtATerminal) {
    mlflow.runs = {seed_run(1)};
    auto tables = [](const Reply& reply) {
        return std::count_if(reply.blocks.begin(), reply.blocks.end(),
                             [](const Block& b) { return std::holds_alternative<Table>(b); });
    };
    EXPECT_EQ(tables(run(list, {})), 0);
    context.platform = "terminal";
    EXPECT_EQ(tables(run(list, {})), 1);
}

TEST_F(TrainingHandlers, ListFiltersAModelMlflowCannotMatchExactly) {
    hpops::Run exact = seed_run(1), near = seed_run(2);
    exact.tags["model"] = "it's \"x\"";
    near.tags["model"] = "it_s \"x\"";
    mlflow.runs = {exact, near};
    Intent intent;
    intent.options = {{"model", "it's \"x\""}};
    const Reply reply = run(list, intent);
    EXPECT_EQ(mlflow.searches[0].filter, "tags.model LIKE 'it_s \"x\"'");
    EXPECT_TRUE(reply.summary.starts_with("1 training run")) << reply.summary;
}

TEST_F(TrainingHandlers, UnknownExperimentListsTheKnownOnes) {
    Intent intent;
    intent.options = {{"experiment", "nope"}};
    const std::string message = user_error(list, intent);
    EXPECT_NE(message.find("Known experiments: `hyperpodpytorchjob-2xy`, `llama-sft`"), std::string::npos) << message;
    EXPECT_TRUE(mlflow.searches.empty());
}

TEST_F(TrainingHandlers, FilterMlflowRejectsShowsMlflowsMessage) {
    mlflow.search_error = UpstreamError("mlflow", "INVALID_PARAMETER_VALUE", "Invalid clause(s) in filter string: 'x'", "", 400);
    Intent intent;
    intent.options = {{"model", "m"}};
    const std::string message = user_error(list, intent);
    EXPECT_NE(message.find("MLflow rejected the search `tags.model = 'm'`: Invalid clause(s) in filter string"),
              std::string::npos)
        << message;
}

TEST_F(TrainingHandlers, MlflowDownIsAnUpstreamErrorForTheDispatcher) {
    mlflow.search_error = UpstreamError("mlflow", "timeout", "no answer from https://mlflow:5000 within 10 s");
    EXPECT_THROW(run(list, {}), UpstreamError);
}

TEST_F(TrainingHandlers, ShowByIdFetchesTrendsForLossAndThroughput) {
    mlflow.runs = {seed_run(1)};
    mlflow.histories["loss"] = {{3.0, 0, 1}, {2.0, 0, 2}};
    mlflow.ui = "https://mlflow.example.com";
    Intent intent;
    intent.args = {seed_run(1).id};
    const Reply reply = run(show, intent);
    EXPECT_EQ(mlflow.gets, (std::vector<std::string>{seed_run(1).id}));
    EXPECT_TRUE(mlflow.searches.empty());
    EXPECT_EQ(mlflow.history_keys,
              (std::vector<std::string>{"loss", "train_samples_per_second", "train_steps_per_second"}));
    EXPECT_NE(reply_words(reply).find("|Open in MLflow>"), std::string::npos);
}

TEST_F(TrainingHandlers, ShowByUniqueNameSearchesByRunName) {
    mlflow.runs = {seed_run(1), seed_run(2)};
    Intent intent;
    intent.args = {seed_run(2).name};
    const Reply reply = run(show, intent);
    EXPECT_TRUE(mlflow.gets.empty());
    ASSERT_EQ(mlflow.searches.size(), 1u);
    EXPECT_EQ(mlflow.searches[0].filter, "attributes.run_name = '" + seed_run(2).name + "'");
    EXPECT_EQ(reply.summary, "Training run " + seed_run(2).name + " (FINISHED)");
}

TEST_F(TrainingHandlers, AmbiguousNameListsTheMatches) {
    hpops::Run a = seed_run(1), b = seed_run(2);
    b.name = a.name;
    mlflow.runs = {a, b};
    Intent intent;
    intent.args = {a.name};
    const std::string message = user_error(show, intent);
    EXPECT_NE(message.find("names 2 runs"), std::string::npos) << message;
    EXPECT_NE(message.find(a.id), std::string::npos);
    EXPECT_NE(message.find(b.id), std::string::npos);
}

TEST_F(TrainingHandlers, UnknownRunIdSaysSo) {
    Intent intent;
    intent.args = {"0bf31bbbb5a941c28c228f9321d08574"};
    const std::string message = user_error(show, intent);
    EXPECT_NE(message.find("No training run has the id or name `0bf31bbbb5a941c28c228f9321d08574`"), std::string::npos)
        << message;
    EXPECT_EQ(mlflow.gets.size(), 1u);
}

TEST_F(TrainingHandlers, CompareResolvesEveryRunAndRefusesRepeatsAndCrowds) {
    mlflow.runs = {seed_run(1), seed_run(2)};
    Intent intent;
    intent.args = {seed_run(1).id, seed_run(2).name};
    EXPECT_EQ(run(compare, intent).summary, "Comparing 2 training runs");

    intent.args = {seed_run(1).id, seed_run(1).name};
    EXPECT_NE(user_error(compare, intent).find("already in the comparison"), std::string::npos);

    intent.args = std::vector<std::string>(7, "x");
    EXPECT_NE(user_error(compare, intent).find("at most 6 runs"), std::string::npos);
}

TEST_F(TrainingHandlers, DeleteDeletesTheResolvedRunAndSaysSoInTheChannel) {
    mlflow.runs = {seed_run(1)};
    Intent intent;
    intent.args = {seed_run(1).name};
    intent.confirmed = true;  // the dispatcher confirmed: the command table says always_confirm
    const Reply reply = run(remove, intent);
    EXPECT_EQ(mlflow.deleted, (std::vector<std::string>{seed_run(1).id}));
    EXPECT_EQ(reply.visibility, Visibility::channel);
    EXPECT_NE(reply.summary.find(seed_run(1).id), std::string::npos) << reply.summary;
    EXPECT_NE(reply_words(reply).find("By <@U1"), std::string::npos);  // mention(), with a name when known
}

TEST_F(TrainingHandlers, DeleteUnconfirmedAsksAndDeletesNothing) {
    mlflow.runs = {seed_run(1)};
    Intent intent;
    intent.args = {seed_run(1).id};
    EXPECT_THROW(run(remove, intent), ConfirmationNeeded);
    EXPECT_TRUE(mlflow.deleted.empty());
}

TEST(TrainingCommands, DeleteIsAdminConfirmedAndAuditedAndAllFourAreRegistered) {
    const CommandSpec* del = find_command("training delete");
    ASSERT_NE(del, nullptr);
    EXPECT_TRUE(del->always_confirm);
    EXPECT_TRUE(del->mutating);
    EXPECT_EQ(del->role, Role::admin);
    const auto registry = bot::default_handlers();
    for (const char* name : {"training", "training show", "training compare", "training delete"})
        EXPECT_NE(registry.find(name), nullptr) << name;
}

}  // namespace
}  // namespace hpops::handlers
