#include "store/migrations.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <memory>
#include <string>

#include "store/sqlite_alert_store.hpp"
#include "store/sqlite_store.hpp"
#include "tests/support/scratch_dir.hpp"

namespace hpops::store {
namespace {

// A private database file per test, removed afterwards.
class MigrationsFile : public hpops::testing::ScratchDirTest {
protected:
    std::string path() const { return db_path(); }

    // A second connection, to ask SQLite itself what the file holds.
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> open() const {
        sqlite3* raw = nullptr;
        EXPECT_EQ(sqlite3_open_v2(path().c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr), SQLITE_OK);
        return {raw, &sqlite3_close};
    }
    static bool has_table(sqlite3* db, const char* table) {
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", -1, &stmt, nullptr);
        sqlite3_bind_text(stmt, 1, table, -1, SQLITE_STATIC);
        const bool found = sqlite3_step(stmt) == SQLITE_ROW;
        sqlite3_finalize(stmt);
        return found;
    }
    static void exec(sqlite3* db, const char* sql) { ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sql; }
};

TEST(Migrations, AreNumberedOneByOneFromOne) {
    int expected = 1;
    for (const Migration& m : migrations()) EXPECT_EQ(m.version, expected++);
    EXPECT_EQ(latest_schema_version(), expected - 1);
}

// One list for every table: whichever store opens the file first creates all
// of them, and the other finds nothing left to do.
TEST_F(MigrationsFile, TheAlertStoreAloneBringsTheWholeSchema) {
    { store::SqliteAlertStore alerts(path()); }
    auto db = open();
    for (const char* table : {"audit", "seen_requests", "jobs", "job_events", "digest_schedules", "capacity_samples", "alerts", "alert_messages"})
        EXPECT_TRUE(has_table(db.get(), table)) << table;
    EXPECT_EQ(schema_version(db.get(), path()), latest_schema_version());
    store::SqliteStore main_store(path());
    EXPECT_EQ(main_store.schema_version(), latest_schema_version());
}

// A file from before the list took in the alert tables: version 2, with the
// alert tables the alert store created on its own. Migration 3 must accept it.
TEST_F(MigrationsFile, AFileWhoseAlertTablesCameFirstIsTakenIn) {
    {
        auto db = open();
        exec(db.get(), "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_unix_ms INTEGER NOT NULL)");
        exec(db.get(), migrations()[0].sql);
        exec(db.get(), migrations()[1].sql);
        exec(db.get(), "INSERT INTO schema_migrations VALUES (1, 0), (2, 0)");
        exec(db.get(), migrations()[2].sql);  // as the alert store used to, outside the list
        exec(db.get(), "INSERT INTO alert_messages (channel, kind, created_unix_ms) VALUES ('C1', 0, 1)");
    }
    store::SqliteStore main_store(path());
    EXPECT_EQ(main_store.schema_version(), static_cast<int>(migrations().size()));
    auto db = open();
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db.get(), "SELECT COUNT(*) FROM alert_messages", -1, &stmt, nullptr);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(stmt, 0), 1) << "the stored row survives";
    sqlite3_finalize(stmt);
}

TEST_F(MigrationsFile, AFileFromANewerHpopsIsRefusedWithItsVersion) {
    { store::SqliteStore first(path()); }
    {
        auto db = open();
        exec(db.get(), "INSERT INTO schema_migrations VALUES (999, 0)");
    }
    try {
        store::SqliteAlertStore alerts(path());
        FAIL() << "opened a file from a newer hpops";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("schema version 999 is newer"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace hpops::store
