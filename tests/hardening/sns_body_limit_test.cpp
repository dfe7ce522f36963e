// Finding 6 (part): /alerts/sns took bodies up to the 16 MiB webhook limit,
// read before the signature can be checked, though an SNS message is at most
// 256 KB. The route now has its own limit; tests/e2e/test_hardening_body_limits.py
// shows the server refusing a larger one from its Content-Length.
#include <gtest/gtest.h>

#include "bot/routes/router.hpp"

using hpops::ServerConfig;
using hpops::bot::body_limit_for_target;

TEST(SnsBodyLimit, SnsHasItsOwnLimitAndTheOtherRoutesKeepTheirs) {
    const ServerConfig server;  // body_limit 1 MiB, webhook_body_limit 16 MiB
    EXPECT_EQ(body_limit_for_target(server, "/alerts/sns"), 300u * 1024);
    EXPECT_EQ(body_limit_for_target(server, "/alerts/sns?token=x"), 300u * 1024);
    EXPECT_EQ(body_limit_for_target(server, "/alerts/alertmanager"), server.webhook_body_limit);
    EXPECT_EQ(body_limit_for_target(server, "/alerts/grafana?x=1"), server.webhook_body_limit);
    EXPECT_EQ(body_limit_for_target(server, "/slack/commands"), server.body_limit);
}

TEST(SnsBodyLimit, ASmallerWebhookLimitStillWins) {
    ServerConfig server;
    server.webhook_body_limit = 64 * 1024;
    EXPECT_EQ(body_limit_for_target(server, "/alerts/sns"), 64u * 1024);
}
