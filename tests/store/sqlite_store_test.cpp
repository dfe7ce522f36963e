#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <vector>

#include "tests/store/store_backends.hpp"
#include "tests/support/scratch_dir.hpp"

namespace hpops::store {
namespace {

using namespace std::chrono_literals;
using time_point = std::chrono::system_clock::time_point;
using testing::FakeClock;

class SqliteStoreFile : public hpops::testing::ScratchDirTest {};

AuditRecord started_row(const std::string& command) {
    AuditRecord r;
    r.platform = "slack";
    r.command = command;
    r.outcome = "started";
    return r;
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

TEST_F(SqliteStoreFile, RunsInWalMode) {
    SqliteStore store(db_path());
    EXPECT_EQ(store.describe(), "sqlite " + db_path() + " (WAL, synchronous FULL)");
    store.append_audit(started_row("status"));
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

}  // namespace
}  // namespace hpops::store
