#include "tests/support/dispatcher_fixture.hpp"

using namespace hpops;
using namespace hpops::bot;
using hpops::testing::DispatcherTest;
using hpops::testing::run_sync;

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
    EXPECT_NE(all_text(again).find("Already answered"), std::string::npos);
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
