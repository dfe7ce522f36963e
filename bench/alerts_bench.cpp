// Alert intake cost, in-process: Alertmanager payloads of 100 alerts parsed,
// routed and stored (one SQLite transaction per payload, WAL,
// synchronous=NORMAL), as POST /alerts/alertmanager does after
// authentication. Beside it, a baseline that only inserts the same number of
// rows into SQLite with the same durability, so the figure can be read
// against what the store alone allows.
//
//   build/bench/alerts_bench [PAYLOADS]        (default 2000 payloads = 200,000 alerts)
//
// The whole HTTP path is measured by bench/alerts_load.sh.
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "alerts/alert_intake.hpp"
#include "alerts/webhook_payload.hpp"
#include "store/postgres/postgres_alert_store.hpp"
#include "store/sqlite_alert_store.hpp"

namespace {

using namespace hpops;
// The process's CPU time, not the wall clock: the machine is shared (other
// builds, wrk), and CPU time per alert holds still under that; wall-clock
// rates are printed beside it.
struct Clock {
    using duration = std::chrono::nanoseconds;
    struct time_point {
        std::chrono::steady_clock::time_point wall;
        std::chrono::nanoseconds cpu;
        std::pair<duration, duration> operator-(const time_point& o) const { return {wall - o.wall, cpu - o.cpu}; }
    };
    static time_point now() {
        timespec ts{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return {std::chrono::steady_clock::now(), std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec)};
    }
};
constexpr int alerts_per_payload = 100;

std::string payload(int index, const std::string& run) {
    static const char* severities[] = {"critical", "warning", "info", "warning"};
    static const char* groups[] = {"gpu-ng-1", "gpu-ng-2", "cpu-ng", "gpu-ng-3", "system"};
    nlohmann::json alerts = nlohmann::json::array();
    for (int j = 0; j < alerts_per_payload; ++j) {
        const int n = index * alerts_per_payload + j;
        alerts.push_back({{"status", "firing"},
                          {"labels", {{"alertname", "GPUXidErrors"}, {"severity", severities[n % 4]},
                                      {"nodegroup", groups[n % 5]}, {"instance", "ip-10-0-" + std::to_string(n % 250) + "-7"},
                                      {"cluster", "hpops-demo"}}},
                          {"annotations", {{"summary", "Xid 79 on GPU " + std::to_string(n % 8)},
                                           {"runbook_url", "https://runbooks.example/xid"}}},
                          {"startsAt", "2026-11-23T10:00:00.000Z"},
                          {"endsAt", "0001-01-01T00:00:00Z"},
                          {"generatorURL", "http://prometheus.example/graph?g0.expr=xid"},
                          {"fingerprint", run + "-" + std::to_string(n)}});
    }
    nlohmann::json p{{"version", "4"}, {"groupKey", "{}:{alertname=\"GPUXidErrors\"}"}, {"status", "firing"},
                     {"receiver", "hpops"}, {"groupLabels", {{"alertname", "GPUXidErrors"}}}, {"commonLabels", {}},
                     {"commonAnnotations", {}}, {"externalURL", "http://alertmanager.example"},
                     {"truncatedAlerts", 0}, {"alerts", std::move(alerts)}};
    return p.dump();
}

AlertsConfig config() {
    AlertsConfig c;
    c.enabled = true;
    c.default_channel = "C0ALERTS";
    c.routes.push_back({{{"severity", "critical"}}, {}, "#critical"});
    c.routes.push_back({{}, {{"nodegroup", "gpu-.*"}}, "C0GPU"});
    c.routes.push_back({{{"cluster", "other"}}, {}, "C0OTHER"});
    return c;
}

double rate(std::size_t alerts, Clock::duration d) {
    return static_cast<double>(alerts) / std::chrono::duration<double>(d).count();
}

void report(const char* what, std::size_t alerts, std::pair<Clock::duration, Clock::duration> wall_cpu) {
    std::printf("%-56s %9.0f alerts/s per CPU second %9.0f by wall clock (%zu alerts)\n", what,
                rate(alerts, wall_cpu.second), rate(alerts, wall_cpu.first), alerts);
}

// The baseline: the same rows' worth of bytes, one transaction per 100, no
// parsing, routing or dedupe.
std::pair<Clock::duration, Clock::duration> raw_sqlite(const std::string& path, int payloads) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                     "CREATE TABLE t (key TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID", nullptr, nullptr, nullptr);
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO t (key, body) VALUES (?1, ?2)", -1, &insert, nullptr);
    const std::string body(420, 'x');  // about one stored alert row
    const auto start = Clock::now();
    for (int i = 0; i < payloads; ++i) {
        sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        for (int j = 0; j < alerts_per_payload; ++j) {
            const std::string key = "raw-" + std::to_string(i * alerts_per_payload + j);
            sqlite3_bind_text(insert, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
            sqlite3_bind_text(insert, 2, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
            sqlite3_step(insert);
            sqlite3_reset(insert);
        }
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
    const auto took = Clock::now() - start;
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return took;
}

// Parse, route, dedupe and store every payload as new alerts, then again as
// repeats: intake as a receiver runs it, on one backend.
void intake_rates(AlertStore& store, const AlertsConfig& cfg, const std::vector<std::string>& bodies,
                  const std::string& backend) {
    alerts::AlertIntake intake(store, cfg, nullptr);
    auto start = Clock::now();
    std::size_t fresh = 0;
    for (const auto& b : bodies) fresh += intake.submit_now(alerts::parse_alertmanager_payload(b).alerts).counts.fresh;
    report(("parse + route + dedupe + store, new alerts, " + backend).c_str(), fresh, Clock::now() - start);
    start = Clock::now();
    std::size_t unchanged = 0;
    for (const auto& b : bodies)
        unchanged += intake.submit_now(alerts::parse_alertmanager_payload(b).alerts).counts.unchanged;
    report(("parse + route + dedupe + store, repeats, " + backend).c_str(), unchanged, Clock::now() - start);
}

}  // namespace

int main(int argc, char** argv) {
    const int payloads = argc > 1 ? std::max(1, std::atoi(argv[1])) : 2000;
    const std::size_t alerts = static_cast<std::size_t>(payloads) * alerts_per_payload;
    const auto dir = std::filesystem::temp_directory_path() / ("hpops-alerts-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::vector<std::string> bodies;
    bodies.reserve(static_cast<std::size_t>(payloads));
    for (int i = 0; i < payloads; ++i) bodies.push_back(payload(i, "a"));
    std::printf("%d payloads of %d alerts, %.1f KiB each\n", payloads, alerts_per_payload,
                static_cast<double>(bodies.front().size()) / 1024.0);

    auto start = Clock::now();
    std::size_t parsed = 0;
    for (const auto& b : bodies) parsed += alerts::parse_alertmanager_payload(b).alerts.size();
    report("parse (JSON -> Alert)", parsed, Clock::now() - start);

    const AlertsConfig cfg = config();
    alerts::AlertRouter router(cfg);
    std::vector<std::vector<Alert>> batches;
    for (const auto& b : bodies) batches.push_back(alerts::parse_alertmanager_payload(b).alerts);
    start = Clock::now();
    std::size_t routed = 0;
    for (const auto& batch : batches)
        for (const auto& a : batch) routed += router.channel_for(a).size() > 0;
    report("route (3 label routes, one regex)", routed, Clock::now() - start);

    {
        // The writer thread's share alone: what bounds the server when parsing
        // runs on the other threads.
        store::SqliteAlertStore store((dir / "store-only.db").string());
        alerts::AlertIntake intake(store, cfg, nullptr);
        start = Clock::now();
        std::size_t fresh = 0;
        for (auto& batch : batches) fresh += intake.submit_now(std::move(batch)).counts.fresh;
        report("route + dedupe + store (pre-parsed), new alerts", fresh, Clock::now() - start);
    }
    {
        store::SqliteAlertStore store((dir / "alerts.db").string());
        intake_rates(store, cfg, bodies, "SQLite");
    }
    // The same on PostgreSQL, when given an empty database (bench/README.md).
    if (const char* url = std::getenv("HPOPS_BENCH_POSTGRES_URL")) {
        store::pg::PoolSettings settings;
        settings.connect.url = url;
        store::PostgresAlertStore store(settings);
        intake_rates(store, cfg, bodies, "PostgreSQL");
    }
    report("baseline: raw SQLite insert, 1 transaction per 100 rows", alerts, raw_sqlite((dir / "raw.db").string(), payloads));
    std::filesystem::remove_all(dir);
    return 0;
}
