// The GPU-hours read: a month of capacity samples in the store (40 groups,
// one sample per group per 5-minute slot: ~400,000 rows), and the periods a
// digest (1 day), `/hp capacity` (7 days) and a monthly digest (35 days) read.
// For each period, in one run:
//   baseline  the rows alone: one prepared SELECT over the same slot range,
//             stepping through them and summing count x interval in place,
//             the least any reader of the table can do;
//   hpops     what the digest's section and the command do: the store's
//             query into CapacitySample values, each group's history, its
//             sparkline, and the usage per cluster and instance type.
// Prints mean and p99 per read in ms, and hpops's cost over the baseline.
//
//   build/bench/digest_bench [ITERATIONS=20] [GROUPS=40] [DAYS=35]
#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <sqlite3.h>
#include <unistd.h>

#include "bench/timing_stats.hpp"
#include "handlers/capacity_history.hpp"
#include "store/sqlite_store.hpp"

namespace {

using namespace hpops;
using Clock = std::chrono::steady_clock;
constexpr std::int64_t interval_ms = 300'000, day_ms = 86'400'000;
// 2026-12-05 00:00 UTC: the end of the history.
constexpr std::int64_t end_ms = 1'796'428'800'000;

using hpops::bench::Stats;
using hpops::bench::stats;

double ms_since(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

// Groups of both kinds and several types, each changing size now and then.
void fill(store::SqliteStore& store, int groups, int days) {
    const char* types[] = {"ml.p5.48xlarge", "ml.g5.12xlarge", "g5.12xlarge", "m5.large"};
    const std::int64_t slots = days * day_ms / interval_ms;
    std::vector<CapacitySample> slot;
    for (std::int64_t i = 0; i < slots; ++i) {
        slot.clear();
        const std::int64_t at = end_ms - (slots - i) * interval_ms;
        for (int g = 0; g < groups; ++g)
            slot.push_back({at, interval_ms, "us-west-2", g % 2 ? "eks" : "hyperpod", "cluster-" + std::to_string(g % 4),
                            "group-" + std::to_string(g), types[g % 4], static_cast<int>((i / (12 + g)) % 9)});
        store.record_capacity(slot);
    }
}

double baseline(sqlite3* db, std::int64_t since, std::int64_t until) {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT interval_ms, count FROM capacity_samples WHERE slot_unix_ms >= ?1 AND slot_unix_ms < ?2",
                       -1, &stmt, nullptr);
    sqlite3_bind_int64(stmt, 1, since);
    sqlite3_bind_int64(stmt, 2, until);
    double hours = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW)
        hours += static_cast<double>(sqlite3_column_int64(stmt, 0)) / 3.6e6 * static_cast<double>(sqlite3_column_int64(stmt, 1));
    sqlite3_finalize(stmt);
    return hours;
}

double hpops_read(store::SqliteStore& store, const std::map<std::string, double>& prices, std::int64_t since,
                  std::int64_t until, std::size_t& rows) {
    const auto samples = store.capacity_samples(since, until, "");
    rows = samples.size();
    const handlers::SampledPeriod period{since, until, samples, prices};
    std::size_t marks = 0;
    for (const auto& h : handlers::group_histories(period))
        marks += handlers::sparkline(h.counts, h.newest.interval_ms, since, until, 24).size();
    double hours = 0;
    for (const auto& [key, usage] : handlers::usage_by_cluster_and_type(period)) hours += usage.instance_hours;
    return marks > 0 ? hours : -1;
}

}  // namespace

int main(int argc, char** argv) {
    const int iterations = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
    const int groups = argc > 2 ? std::max(1, std::atoi(argv[2])) : 40;
    const int days = argc > 3 ? std::max(1, std::atoi(argv[3])) : 35;
    const auto dir = std::filesystem::temp_directory_path() / ("hpops-digest-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "hpops.db").string();
    {
        store::SqliteStore store(path, &std::chrono::system_clock::now, Synchronous::normal);
        const auto t0 = Clock::now();
        fill(store, groups, days);
        std::printf("digest_bench: %d groups x %d days of 5-minute samples written in %.1f s (one transaction per slot)\n",
                    groups, days, ms_since(t0) / 1000);
    }
    store::SqliteStore store(path);
    sqlite3* raw = nullptr;
    sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    const auto prices = default_hourly_prices();
    for (const int span_days : {1, 7, days}) {
        const std::int64_t since = end_ms - span_days * day_ms;
        std::vector<double> base, ours, read_only;
        std::size_t rows = 0;
        double base_hours = 0, our_hours = 0;
        for (int it = 0; it < iterations; ++it) {
            auto t = Clock::now();
            base_hours = baseline(raw, since, end_ms);
            base.push_back(ms_since(t));
            t = Clock::now();
            our_hours = hpops_read(store, prices, since, end_ms, rows);
            ours.push_back(ms_since(t));
            t = Clock::now();
            rows = store.capacity_samples(since, end_ms, "").size();
            read_only.push_back(ms_since(t));
        }
        if (std::abs(base_hours - our_hours) > 1e-6 * std::max(1.0, base_hours)) {
            std::fprintf(stderr, "digest_bench: instance-hours differ: baseline %.3f, hpops %.3f\n", base_hours, our_hours);
            return 1;
        }
        const Stats b = stats(base), o = stats(ours), r = stats(read_only);
        std::printf("  %2d day(s), %7zu rows: baseline mean %7.2f ms p99 %7.2f ms | hpops mean %7.2f ms p99 %7.2f ms"
                    " (of which the store's query %7.2f ms) | x%.1f\n",
                    span_days, rows, b.mean_ms, b.p99_ms, o.mean_ms, o.p99_ms, r.mean_ms, o.mean_ms / b.mean_ms);
    }
    sqlite3_close(raw);
    std::filesystem::remove_all(dir);
    return 0;
}
