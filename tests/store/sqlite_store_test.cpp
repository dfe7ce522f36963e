#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "store/migrations.hpp"
#include "tests/support/scratch_dir.hpp"

namespace hpops::store {
namespace {

using namespace std::chrono_literals;
using time_point = std::chrono::system_clock::time_point;

class SqliteStoreFile : public hpops::testing::ScratchDirTest {};

// A clock the test moves by hand.
struct FakeClock {
    std::atomic<std::int64_t> now_ms{1'700'000'000'000};
    SqliteStore::Clock fn() {
        return [this] { return time_point{std::chrono::milliseconds{now_ms.load()}}; };
    }
    time_point now() const { return time_point{std::chrono::milliseconds{now_ms.load()}}; }
};

AuditRecord sample(const std::string& command) {
    AuditRecord r;
    r.time_unix_ms = 1'700'000'000'123;
    r.platform = "slack";
    r.actor_id = "U123";
    r.actor_name = "alice";
    r.channel = "C0GPUOPS";
    r.command = command;
    r.arguments = "scale nodegroup spot-ng desired=3";
    r.outcome = "started";
    r.request_id = "req-1";
    return r;
}

TEST(SqliteStore, AppendsFinishesAndListsAuditNewestFirst) {
    SqliteStore store(":memory:");
    const auto first = store.append_audit(sample("scale.nodegroup"));
    const auto second = store.append_audit(sample("nodegroup.delete"));
    EXPECT_GT(second, first);
    store.finish_audit(first, "ok", "spot-ng desired 1 -> 3", "aws-req-9");
    store.finish_audit(second, "failed", "AccessDenied");

    const auto records = store.recent_audit(10);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].id, second);
    EXPECT_EQ(records[0].command, "nodegroup.delete");
    EXPECT_EQ(records[0].outcome, "failed");
    EXPECT_EQ(records[0].detail, "AccessDenied");
    EXPECT_EQ(records[0].request_id, "req-1");
    const AuditRecord& r = records[1];
    EXPECT_EQ(r.id, first);
    EXPECT_EQ(r.time_unix_ms, 1'700'000'000'123);
    EXPECT_EQ(r.platform, "slack");
    EXPECT_EQ(r.actor_id, "U123");
    EXPECT_EQ(r.actor_name, "alice");
    EXPECT_EQ(r.channel, "C0GPUOPS");
    EXPECT_EQ(r.arguments, "scale nodegroup spot-ng desired=3");
    EXPECT_EQ(r.outcome, "ok");
    EXPECT_EQ(r.detail, "spot-ng desired 1 -> 3");
    EXPECT_EQ(r.request_id, "req-1");
    EXPECT_EQ(r.backend_request_id, "aws-req-9");

    EXPECT_EQ(store.recent_audit(1).size(), 1u);
    EXPECT_EQ(store.recent_audit(0).size(), 0u);
    EXPECT_THROW(store.finish_audit(9999, "ok", ""), std::runtime_error);
}

TEST(SqliteStore, StampsAuditTimeWhenMissing) {
    FakeClock clock;
    SqliteStore store(":memory:", clock.fn());
    AuditRecord r = sample("status");
    r.time_unix_ms = 0;
    store.append_audit(r);
    EXPECT_EQ(store.recent_audit(1).at(0).time_unix_ms, clock.now_ms.load());
}

TEST(SqliteStore, DetectsReplaysUntilTheKeyExpires) {
    FakeClock clock;
    SqliteStore store(":memory:", clock.fn());
    EXPECT_TRUE(store.remember_request("slack:T1:abc", clock.now() + 5min));
    EXPECT_FALSE(store.remember_request("slack:T1:abc", clock.now() + 5min));
    EXPECT_TRUE(store.remember_request("slack:T1:other", clock.now() + 5min));

    clock.now_ms += (5min - 1ms).count();
    EXPECT_FALSE(store.remember_request("slack:T1:abc", clock.now() + 5min)) << "still inside its window";
    clock.now_ms += 1;
    EXPECT_TRUE(store.remember_request("slack:T1:abc", clock.now() + 5min)) << "expired keys count as new";
    EXPECT_FALSE(store.remember_request("slack:T1:abc", clock.now() + 5min)) << "and are remembered again";
}

TEST(SqliteStore, PurgesExpiredKeysPeriodically) {
    FakeClock clock;
    SqliteStore store(":memory:", clock.fn());
    for (std::size_t i = 0; i + 1 < SqliteStore::purge_interval; ++i)
        ASSERT_TRUE(store.remember_request("old-" + std::to_string(i), clock.now() + 1s));
    EXPECT_EQ(store.seen_request_count(), SqliteStore::purge_interval - 1);
    clock.now_ms += 2000;
    // The interval-th insert triggers the purge of everything expired.
    ASSERT_TRUE(store.remember_request("fresh", clock.now() + 1min));
    EXPECT_EQ(store.seen_request_count(), 1u);
    EXPECT_EQ(store.purge_expired_requests(), 0u);
}

TEST_F(SqliteStoreFile, PersistsAcrossReopening) {
    FakeClock clock;
    std::int64_t id = 0;
    {
        SqliteStore store(db_path(), clock.fn());
        EXPECT_EQ(store.schema_version(), store::latest_schema_version());
        id = store.append_audit(sample("scale.nodegroup"));
        ASSERT_TRUE(store.remember_request("k1", clock.now() + 1h));
    }
    SqliteStore reopened(db_path(), clock.fn());
    EXPECT_EQ(reopened.schema_version(), store::latest_schema_version()) << "migrations are not applied twice";
    reopened.finish_audit(id, "ok", "done");
    const auto records = reopened.recent_audit(10);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].id, id);
    EXPECT_EQ(records[0].outcome, "ok");
    EXPECT_FALSE(reopened.remember_request("k1", clock.now() + 1h)) << "replay across a restart";
    EXPECT_TRUE(reopened.healthy());
}

TEST_F(SqliteStoreFile, RunsInWalMode) {
    SqliteStore store(db_path());
    EXPECT_EQ(store.describe(), "sqlite " + db_path() + " (WAL, synchronous FULL)");
    store.append_audit(sample("status"));
    EXPECT_TRUE(std::filesystem::exists(db_path() + "-wal"));

    // Ask SQLite itself, through a second connection: WAL is a property of
    // the file, not of our connection.
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open_v2(db_path().c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, &sqlite3_close);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db.get(), "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
    sqlite3_finalize(stmt);

    // And the v1 tables exist for the code that comes later.
    for (const char* table : {"audit", "seen_requests", "jobs", "digest_schedules", "schema_migrations"}) {
        ASSERT_EQ(sqlite3_prepare_v2(db.get(), "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", -1,
                                     &stmt, nullptr),
                  SQLITE_OK);
        sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
        EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW) << table;
        sqlite3_finalize(stmt);
    }
}

TEST(SqliteStore, DescribesMemoryStores) {
    SqliteStore store(":memory:");
    EXPECT_EQ(store.describe(), "sqlite :memory: (MEMORY, synchronous FULL)");
    EXPECT_TRUE(store.healthy());
}

TEST(SqliteStore, OpenFailureNamesThePathAndOperation) {
    try {
        SqliteStore store("/nonexistent-dir/x/hpops.db");
        FAIL() << "opened";
    } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("/nonexistent-dir/x/hpops.db"), std::string::npos) << what;
        EXPECT_NE(what.find("open"), std::string::npos) << what;
    }
}

TEST_F(SqliteStoreFile, RefusesANewerSchema) {
    { SqliteStore store(db_path()); }
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db_path().c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "INSERT INTO schema_migrations VALUES (99, 0)", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
    try {
        SqliteStore store(db_path());
        FAIL() << "opened a v99 database";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("schema version 99 is newer"), std::string::npos) << e.what();
    }
}

// Every thread offers every key; exactly one offer per key may win.
void expect_one_winner_per_key(std::vector<SqliteStore*> stores_per_thread) {
    constexpr int keys = 300;
    std::vector<std::atomic<int>> wins(keys);
    std::vector<std::thread> threads;
    const auto expires = std::chrono::system_clock::now() + 1h;
    for (std::size_t t = 0; t < stores_per_thread.size(); ++t) {
        threads.emplace_back([&, t] {
            // Different orders make the threads collide on different keys.
            for (int i = 0; i < keys; ++i) {
                const int k = (t % 2 == 0) ? i : keys - 1 - i;
                if (stores_per_thread[t]->remember_request("key-" + std::to_string(k), expires)) ++wins[k];
            }
        });
    }
    for (auto& th : threads) th.join();
    for (int k = 0; k < keys; ++k) EXPECT_EQ(wins[k].load(), 1) << "key-" << k;
}

TEST_F(SqliteStoreFile, ConcurrentRememberHasOneWinnerPerKey) {
    SqliteStore store(db_path());
    expect_one_winner_per_key({&store, &store, &store, &store});
    EXPECT_EQ(store.seen_request_count(), 300u);
}

TEST_F(SqliteStoreFile, ConcurrentRememberAcrossTwoConnectionsHasOneWinnerPerKey) {
    // Two stores on one file stand in for two processes: the upsert must be
    // atomic in SQLite, not only under our mutex.
    SqliteStore a(db_path());
    SqliteStore b(db_path());
    expect_one_winner_per_key({&a, &b, &a, &b});
}

}  // namespace
}  // namespace hpops::store
