#include "bot/routes/memory_metrics.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>

namespace hpops::bot {
namespace {

// The value of one sample line ("name{labels} 123") in a /metrics text.
double sample(const std::string& text, const std::string& series) {
    const auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
}

TEST(MemoryMetrics, FollowTheHeapSqliteAndDescriptors) {
    ReplayGuard slack(std::chrono::seconds(300), 1000), grafana(std::chrono::seconds(300), 1000);
    const std::string before = memory_metrics(slack, grafana);
    EXPECT_GT(sample(before, "process_resident_memory_bytes"), 1 << 20);
    EXPECT_GT(sample(before, "process_open_fds"), 2);
    EXPECT_GE(sample(before, "hpops_replay_guard_bytes{source=\"slack\"}"), 0);

    constexpr std::size_t big = 64 << 20;
    std::unique_ptr<char[]> held(new char[big]);
    asm volatile("" : : "r"(held.get()) : "memory");  // the allocation escapes: not elided
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (randomblob(100000));", nullptr, nullptr,
                           nullptr),
              SQLITE_OK);
    std::FILE* file = std::fopen("/proc/self/status", "r");
    const std::string after = memory_metrics(slack, grafana);
    std::fclose(file);
    sqlite3_close(db);

#if !defined(__has_feature)
#define __has_feature(x) 0
#endif
#if !__has_feature(address_sanitizer) && !__has_feature(thread_sanitizer)
    // A sanitizer's allocator replaces malloc's arenas, and mallinfo2 with them.
    EXPECT_GE(sample(after, "hpops_malloc_in_use_bytes") - sample(before, "hpops_malloc_in_use_bytes"), big);
#endif
    EXPECT_GT(sample(after, "hpops_sqlite_memory_bytes"), sample(before, "hpops_sqlite_memory_bytes") + 100000);
    EXPECT_EQ(sample(after, "process_open_fds"), sample(before, "process_open_fds") + 1);
}

}  // namespace
}  // namespace hpops::bot
