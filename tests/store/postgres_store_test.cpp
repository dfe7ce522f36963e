// What only the PostgreSQL store has: a pool that rides out an outage, a
// lazy first connection, and a URL whose password never shows.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "store/postgres/pg_connection.hpp"
#include "tests/store/store_backends.hpp"

namespace hpops::store::testing {
namespace {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

TEST(PostgresUrl, PasswordsAreRedacted) {
    EXPECT_EQ(pg::redacted_url("postgres://hpops:s3cret@db.internal:5432/hpops?sslmode=require"),
              "postgres://hpops:***@db.internal:5432/hpops?sslmode=require");
    EXPECT_EQ(pg::redacted_url("postgresql://db/hpops?user=a&password=s3cret&sslmode=verify-full"),
              "postgresql://db/hpops?user=a&password=***&sslmode=verify-full");
    EXPECT_EQ(pg::redacted_url("postgresql://hpops@127.0.0.1:5/x"), "postgresql://hpops@127.0.0.1:5/x");
}

// A port nothing listens on: the store is made, says unhealthy, and each
// call fails at once with the reason instead of hanging.
TEST(PostgresDown, AtStartTheStoreIsMadeButNotHealthy) {
    PostgresStore store(postgres_settings("postgresql://hpops:pw@127.0.0.1:1/hpops"));
    EXPECT_FALSE(store.healthy());
    EXPECT_EQ(store.describe().find("pw"), std::string::npos) << store.describe();
    const auto started = Steady::now();
    try {
        store.recent_audit(1);
        FAIL() << "read from nothing";
    } catch (const UpstreamError& e) {
        // What the chat shows as "hpops's database did not answer".
        EXPECT_EQ(e.service(), "store");
        EXPECT_EQ(e.code(), "Unreachable");
        EXPECT_NE(std::string(e.what()).find("127.0.0.1"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("pw"), std::string::npos) << e.what();
    }
    EXPECT_LT(Steady::now() - started, 1s) << "inside the backoff, no new connect is tried";
}

class PostgresOutage : public StoreBackendTest {};

// The server stops mid-run and comes back on the same port: calls fail with
// a reason while it is away, and the pool reconnects by itself afterwards.
TEST_P(PostgresOutage, CallsFailWhileTheServerIsAwayAndRecoverAfter) {
    const auto store = open();
    const auto id = store->append_audit({0, 1, "slack", "U1", "alice", "C1", "status", "", "started", "", "r", ""});
    auto& peer = hpops::testing::PostgresPeer::shared();
    peer.stop_server();
    EXPECT_FALSE(store->healthy());
    EXPECT_THROW(store->append_audit({}), UpstreamError);
    peer.start_server();
    const auto deadline = Steady::now() + 10s;
    while (!store->healthy() && Steady::now() < deadline) std::this_thread::sleep_for(100ms);
    ASSERT_TRUE(store->healthy()) << "the pool reconnected within its backoff";
    store->finish_audit(id, "ok", "after the outage");
    EXPECT_EQ(store->recent_audit(1).at(0).detail, "after the outage");
}

INSTANTIATE_TEST_SUITE_P(Postgres, PostgresOutage, ::testing::Values(Backend::postgres), backend_name);

}  // namespace
}  // namespace hpops::store::testing
