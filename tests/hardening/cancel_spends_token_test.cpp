// Finding 7: another user's Cancel was accepted, and the owner's Confirm with
// the same token still ran the delete. Cancel now checks the asker and the
// channel as Confirm does, and spends the token.
#include "tests/support/dispatcher_fixture.hpp"

using hpops::testing::DispatcherTest;

namespace {
std::string ask_delete(DispatcherTest& t) { return DispatcherTest::token_of(t.run("UADMIN", "nodegroup delete spot-ng")); }
}  // namespace

TEST_F(DispatcherTest, CancelByAnotherUserIsRefusedAndAuditsNothing) {
    const std::string token = ask_delete(*this);
    const auto reply = cancel("UOTHER", token);
    EXPECT_NE(all_text(reply).find("only <@UADMIN> can confirm or cancel"), std::string::npos) << all_text(reply);
    EXPECT_FALSE(reply.replace_original);
    EXPECT_EQ(last_outcome(), "confirm-requested");
}

TEST_F(DispatcherTest, CancelFromAnotherChannelIsRefused) {
    const std::string token = ask_delete(*this);
    EXPECT_NE(all_text(cancel("UADMIN", token, "C2")).find("another channel"), std::string::npos);
    EXPECT_EQ(last_outcome(), "confirm-requested");
}

TEST_F(DispatcherTest, ConfirmAfterCancelRunsNothing) {
    const std::string token = ask_delete(*this);
    EXPECT_NE(all_text(cancel("UADMIN", token)).find("Cancelled"), std::string::npos);
    const auto late = confirm("UADMIN", token);
    EXPECT_NE(all_text(late).find("Already answered"), std::string::npos) << all_text(late);
    EXPECT_EQ(delete_calls, 0);
    EXPECT_EQ(last_outcome(), "cancelled");
}

TEST_F(DispatcherTest, CancelAfterConfirmSaysItIsTooLate) {
    const std::string token = ask_delete(*this);
    confirm("UADMIN", token);
    EXPECT_EQ(delete_calls, 1);
    EXPECT_NE(all_text(cancel("UADMIN", token)).find("Already answered"), std::string::npos);
    EXPECT_EQ(last_outcome(), "ok");
}

TEST_F(DispatcherTest, ForgedCancelTokensAreRefused) {
    std::string token = ask_delete(*this);
    token[5] = token[5] == 'A' ? 'B' : 'A';
    EXPECT_NE(all_text(cancel("UADMIN", token)).find("Not done"), std::string::npos);
    EXPECT_EQ(last_outcome(), "confirm-requested");
}
