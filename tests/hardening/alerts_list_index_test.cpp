// Finding 17: `/hp alerts` ran "(?1 < 0 OR status = ?1) ... ORDER BY starts"
// which no index serves (a scan and a sort: 0.47 s at 1.8 M alerts), on a
// server thread, holding the lock alert intake takes; and firing alerts were
// never forgotten (1.8 M made a 1.3 GB store). Listings now walk an index,
// on their own connection, and firing alerts are bounded by alerts.max_firing.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include <unistd.h>

#include <sqlite3.h>

#include "bot/config_loader.hpp"
#include "store/pooled_alert_log.hpp"
#include "store/sqlite_alert_store.hpp"
#include "tests/support/run_sync.hpp"

namespace hpops::bot {
using store::PooledAlertLog;
using store::SqliteAlertStore;
using store::alert_list_sql;
namespace {

using namespace std::chrono;

const auto t0 = system_clock::time_point(seconds(1'800'000'000));

std::vector<RoutedAlert> batch(const std::string& prefix, int count, AlertStatus status = AlertStatus::firing) {
    std::vector<RoutedAlert> out;
    for (int i = 0; i < count; ++i) {
        Alert a;
        a.source = "alertmanager";
        a.fingerprint = prefix + std::to_string(i);
        a.status = status;
        a.starts_at = t0 - minutes(i);
        out.push_back({a, "C1"});
    }
    return out;
}

struct TempDb {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("hpops-list-index-" + std::to_string(::getpid()) + ".db");
    ~TempDb() {
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    }
};

std::string query_plan(const std::string& db_path, const char* sql) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* stmt = nullptr;
    std::string plan;
    if (sqlite3_prepare_v2(db, (std::string("EXPLAIN QUERY PLAN ") + sql).c_str(), -1, &stmt, nullptr) == SQLITE_OK)
        while (sqlite3_step(stmt) == SQLITE_ROW)
            plan += std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3))) + "\n";
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return plan;
}

TEST(AlertsListIndex, ListingsWalkAnIndexInsteadOfScanningAndSorting) {
    TempDb temp;
    {
        SqliteAlertStore store(temp.path.string());
        const FloodPolicy flood{1'000'000, minutes(1)};
        store.accept(batch("firing-", 3000), flood, t0);
        store.accept(batch("firing-", 1000, AlertStatus::resolved), flood, t0 + minutes(1));
        // The listing itself, through the read-only connection, sees what intake committed.
        EXPECT_EQ(store.list_alerts(AlertStatus::firing, 0, 5000).size(), 2000u);
        EXPECT_EQ(store.list_alerts(std::nullopt, 0, 10).size(), 10u);
    }
    for (bool by_status : {true, false}) {
        const std::string plan = query_plan(temp.path.string(), alert_list_sql(by_status));
        EXPECT_NE(plan.find(by_status ? "USING INDEX alerts_status_starts (status=?)" : "USING INDEX alerts_starts"),
                  std::string::npos)
            << plan;
        EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
    }
}

TEST(AlertsListIndex, FiringAlertsBeyondTheBoundAreForgottenOldestFirst) {
    SqliteAlertStore store(":memory:", 100);
    const FloodPolicy flood{1'000'000, minutes(1)};
    EXPECT_EQ(store.accept(batch("old-", 60), flood, t0).dropped, 0u);
    EXPECT_EQ(store.accept(batch("new-", 60), flood, t0 + minutes(1)).dropped, 20u);
    // Resolving frees room: the next alerts need not push anything out.
    store.accept(batch("new-", 10, AlertStatus::resolved), flood, t0 + minutes(2));
    EXPECT_EQ(store.accept(batch("newer-", 10), flood, t0 + minutes(3)).dropped, 0u);
    const auto firing = store.list_alerts(AlertStatus::firing, 0, 1000);
    EXPECT_EQ(firing.size(), 100u);
    std::size_t old_kept = 0;
    for (const auto& a : firing) old_kept += a.fingerprint.starts_with("old-");
    EXPECT_EQ(old_kept, 40u);  // the 20 dropped were the oldest
}

// A message whose every alert the bound dropped before it was posted is
// settled, not posted empty.
TEST(AlertsListIndex, AMessageEmptiedByTheBoundIsNotPosted) {
    SqliteAlertStore store(":memory:", 10);
    const FloodPolicy flood{1'000'000, minutes(1)};
    store.accept(batch("a-", 10), flood, t0);
    EXPECT_EQ(store.accept(batch("b-", 10), flood, t0 + minutes(1)).dropped, 10u);
    const auto next = store.next_pending("C1", 50);
    ASSERT_TRUE(next.has_value());
    ASSERT_FALSE(next->alerts.empty());
    for (const auto& a : next->alerts) EXPECT_TRUE(a.fingerprint.starts_with("b-")) << a.fingerprint;
    store.mark_posted(next->id, next->version, "C1", "1.000001");
    EXPECT_FALSE(store.next_pending("C1", 50).has_value());
    EXPECT_TRUE(store.channels_with_pending().empty());
}

// Records which thread a listing ran on; the rest is not used.
class ThreadRecordingStore final : public AlertStore {
public:
    mutable std::thread::id listed_on;
    AcceptCounts accept(const std::vector<RoutedAlert>&, const FloodPolicy&, system_clock::time_point) override {
        return {};
    }
    std::vector<std::string> channels_with_pending() const override { return {}; }
    std::optional<PendingMessage> next_pending(const std::string&, std::size_t) const override { return {}; }
    void mark_posted(std::int64_t, std::int64_t, const std::string&, const std::string&) override {}
    void mark_failed(std::int64_t, std::int64_t, const std::string&) override {}
    std::size_t purge_resolved(system_clock::time_point) override { return 0; }
    std::vector<StoredAlert> list_alerts(std::optional<AlertStatus>, std::int64_t, std::size_t) const override {
        listed_on = std::this_thread::get_id();
        return {StoredAlert{}};
    }
};

TEST(AlertsListIndex, HandlersListOffTheCallersThread) {
    ThreadRecordingStore store;
    PooledAlertLog log(store);
    const auto listed = testing::run_sync(log.list_alerts(AlertStatus::firing, 0, 10));
    EXPECT_EQ(listed.size(), 1u);
    EXPECT_NE(store.listed_on, std::thread::id());
    EXPECT_NE(store.listed_on, std::this_thread::get_id());
}

TEST(AlertsListIndex, TheBoundIsConfigurable) {
    const std::map<std::string, std::string> no_env;
    auto c = load_config_text("slack: {signing_secret: s, bot_token: xoxb-1}\nalerts: {default_channel: C0, "
                              "max_firing: 5000}\n", "t.yaml", &no_env);
    EXPECT_EQ(c->alerts.max_firing, 5000u);
    EXPECT_EQ(load_config_text("slack: {signing_secret: s, bot_token: xoxb-1}\nalerts: {default_channel: C0}\n",
                               "t.yaml", &no_env)->alerts.max_firing, 100'000u);
}

}  // namespace
}  // namespace hpops::bot
