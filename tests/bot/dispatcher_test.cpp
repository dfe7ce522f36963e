#include "bot/dispatcher.hpp"

#include <gtest/gtest.h>

#include "bot/metrics.hpp"
#include "bot/sqlite_store.hpp"
#include "hpops/errors.hpp"
#include "tests/support/run_sync.hpp"

using namespace hpops;
using namespace hpops::bot;
using hpops::testing::run_sync;

namespace {

// Stand-in domain handlers: the dispatcher's checks are under test, not AWS.
class CountingHandler final : public Handler {
public:
    CountingHandler(std::string command, int& calls) : command_(std::move(command)), calls_(calls) {}
    std::string_view command() const override { return command_; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext&) override {
        ++calls_;
        co_return message_reply("done: " + intent.to_text());
    }

private:
    std::string command_;
    int& calls_;
};

// Scaling to zero needs a confirmation the handler discovers itself.
class ScaleHandler final : public Handler {
public:
    explicit ScaleHandler(int& calls) : calls_(calls) {}
    std::string_view command() const override { return "scale nodegroup"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext&) override {
        if (intent.options.count("desired") && intent.options.at("desired") == "0" && !intent.confirmed)
            throw ConfirmationNeeded(intent.args.at(0) + ": desired 4 → 0");
        if (intent.args.at(0) == "broken") throw UpstreamError("eks", "AccessDeniedException", "not authorized", "req-123");
        if (intent.args.at(0) == "crash") throw std::runtime_error("boom");
        ++calls_;
        co_return message_reply("scaled");
    }

private:
    int& calls_;
};

struct DispatcherTest : ::testing::Test {
    DispatcherTest() {
        auto cfg = std::make_shared<Config>();
        cfg->slack.signing_secret = "secret";
        cfg->access.default_role = Role::viewer;
        cfg->access.users["UADMIN"] = Role::admin;
        cfg->access.users["UOPS"] = Role::operator_;
        config = cfg;
        handlers.add(std::make_unique<CountingHandler>("nodegroup delete", delete_calls));
        handlers.add(std::make_unique<ScaleHandler>(scale_calls));
        dispatcher = std::make_unique<Dispatcher>(config, store, bot, handlers, metrics);
    }
    Reply run(const std::string& user, const std::string& text, const std::string& channel = "C1") {
        return run_sync(dispatcher->run_text(Caller{"slack", user, user, channel, "req", std::nullopt}, text));
    }
    Reply confirm(const std::string& user, const std::string& token, const std::string& channel = "C1") {
        return run_sync(dispatcher->confirm(Caller{"slack", user, user, channel, "req2", std::nullopt}, token));
    }
    static std::string all_text(const Reply& reply) {
        std::string out = reply.summary;
        for (const auto& block : reply.blocks) {
            if (auto* t = std::get_if<Text>(&block)) out += "\n" + t->markdown;
            if (auto* c = std::get_if<hpops::Context>(&block)) out += "\n" + c->text;
        }
        return out;
    }
    static std::string token_of(const Reply& reply, const std::string& action = "hpops.confirm") {
        for (const auto& block : reply.blocks)
            if (auto* a = std::get_if<Actions>(&block))
                for (const auto& b : a->buttons)
                    if (b.action_id == action) return b.value;
        return {};
    }
    std::string last_outcome() { return store.recent_audit(1).at(0).outcome; }

    ConfigPtr config;
    SqliteStore store{":memory:"};
    BotInfo bot{"test", std::chrono::system_clock::now()};
    HandlerRegistry handlers;
    Metrics metrics;
    std::unique_ptr<Dispatcher> dispatcher;
    int delete_calls = 0, scale_calls = 0;
};

}  // namespace

TEST_F(DispatcherTest, DeniesMutatingCommandsToViewersAndAuditsIt) {
    Reply reply = run("UVIEWER", "nodegroup delete spot-ng");
    EXPECT_NE(all_text(reply).find("needs the admin role; you have viewer"), std::string::npos) << all_text(reply);
    EXPECT_EQ(delete_calls, 0);
    auto audit = store.recent_audit(1).at(0);
    EXPECT_EQ(audit.outcome, "denied");
    EXPECT_EQ(audit.actor_id, "UVIEWER");
    EXPECT_EQ(audit.arguments, "nodegroup delete spot-ng");
}

TEST_F(DispatcherTest, DestructiveCommandsAskFirstAndRunOnceOnConfirm) {
    Reply ask = run("UADMIN", "ng delete spot-ng");
    EXPECT_EQ(delete_calls, 0);
    EXPECT_EQ(last_outcome(), "confirm-requested");
    std::string token = token_of(ask);
    ASSERT_FALSE(token.empty());
    EXPECT_FALSE(token_of(ask, "hpops.cancel").empty());

    Reply done = confirm("UADMIN", token);
    EXPECT_EQ(delete_calls, 1);
    EXPECT_TRUE(done.replace_original);
    EXPECT_NE(all_text(done).find("done: nodegroup delete spot-ng"), std::string::npos);
    EXPECT_EQ(last_outcome(), "ok");

    Reply again = confirm("UADMIN", token);
    EXPECT_EQ(delete_calls, 1);
    EXPECT_NE(all_text(again).find("Already confirmed"), std::string::npos);
}

TEST_F(DispatcherTest, OnlyTheAskerInTheSameChannelMayConfirm) {
    std::string token = token_of(run("UADMIN", "nodegroup delete spot-ng"));
    EXPECT_NE(all_text(confirm("UOTHER", token)).find("only <@UADMIN> can confirm"), std::string::npos);
    EXPECT_NE(all_text(confirm("UADMIN", token, "C2")).find("another channel"), std::string::npos);
    EXPECT_EQ(delete_calls, 0);
}

TEST_F(DispatcherTest, PermissionIsCheckedAgainAtConfirmation) {
    std::string token = token_of(run("UADMIN", "nodegroup delete spot-ng"));
    // The admin binding is withdrawn between the question and the click.
    auto demoted = std::make_shared<Config>(*config);
    demoted->access.users.erase("UADMIN");
    Dispatcher after(demoted, store, bot, handlers, metrics);
    Reply reply = run_sync(after.confirm(Caller{"slack", "UADMIN", "UADMIN", "C1", "r", std::nullopt}, token));
    EXPECT_NE(all_text(reply).find("needs the admin role"), std::string::npos) << all_text(reply);
    EXPECT_EQ(delete_calls, 0);
}

TEST_F(DispatcherTest, ForgedTokensAreRefused) {
    std::string token = token_of(run("UADMIN", "nodegroup delete spot-ng"));
    std::string forged = token;
    forged[5] = forged[5] == 'A' ? 'B' : 'A';
    EXPECT_NE(all_text(confirm("UADMIN", forged)).find("Not done"), std::string::npos);
    EXPECT_EQ(delete_calls, 0);
}

TEST_F(DispatcherTest, CancelChangesNothingAndIsAudited) {
    std::string token = token_of(run("UADMIN", "nodegroup delete spot-ng"));
    Reply reply = dispatcher->cancel(Caller{"slack", "UADMIN", "UADMIN", "C1", "r", std::nullopt}, token);
    EXPECT_NE(all_text(reply).find("Cancelled"), std::string::npos);
    EXPECT_TRUE(reply.replace_original);
    EXPECT_EQ(last_outcome(), "cancelled");
    EXPECT_EQ(delete_calls, 0);
}

TEST_F(DispatcherTest, HandlersCanAskForConfirmationAfterLookingAtState) {
    Reply ask = run("UOPS", "scale nodegroup spot-ng desired=0");
    EXPECT_EQ(scale_calls, 0);
    EXPECT_NE(all_text(ask).find("spot-ng: desired 4 → 0"), std::string::npos) << all_text(ask);
    confirm("UOPS", token_of(ask));
    EXPECT_EQ(scale_calls, 1);
}

TEST_F(DispatcherTest, UpstreamErrorsBecomeMessagesWithTheRequestId) {
    Reply reply = run("UOPS", "scale nodegroup broken desired=2");
    EXPECT_NE(all_text(reply).find("not authorized"), std::string::npos);
    EXPECT_NE(all_text(reply).find("req-123"), std::string::npos);
    auto audit = store.recent_audit(1).at(0);
    EXPECT_EQ(audit.outcome, "failed");
}

TEST_F(DispatcherTest, UnexpectedExceptionsNeverEscape) {
    Reply reply = run("UOPS", "scale nodegroup crash desired=2");
    EXPECT_NE(all_text(reply).find("Something went wrong"), std::string::npos);
    EXPECT_EQ(last_outcome(), "failed");
}

TEST_F(DispatcherTest, ParseErrorsSuggestTheClosestCommand) {
    Reply reply = run("UVIEWER", "nodegrups");
    EXPECT_NE(all_text(reply).find("Did you mean `/hp nodegroups"), std::string::npos) << all_text(reply);
}

TEST_F(DispatcherTest, CommandsWithoutAHandlerSaySo) {
    Reply reply = run("UVIEWER", "cluster status");
    EXPECT_NE(all_text(reply).find("not available in this build"), std::string::npos) << all_text(reply);
}

TEST_F(DispatcherTest, AMutatingDeliveryRunsOnceEvenAfterARestart) {
    Caller caller{"slack", "UOPS", "UOPS", "C1", "r", std::nullopt, "v0=signature-of-the-delivery"};
    run_sync(dispatcher->run_text(caller, "scale nodegroup spot-ng desired=2"));
    // A new dispatcher over the same store stands for a restarted process.
    Dispatcher restarted(config, store, bot, handlers, metrics);
    Reply again = run_sync(restarted.run_text(caller, "scale nodegroup spot-ng desired=2"));
    EXPECT_EQ(scale_calls, 1);
    EXPECT_NE(all_text(again).find("already received"), std::string::npos);
}

TEST_F(DispatcherTest, ReadOnlyCommandsAreNotAudited) {
    run("UVIEWER", "help");
    EXPECT_TRUE(store.recent_audit(10).empty());
}
