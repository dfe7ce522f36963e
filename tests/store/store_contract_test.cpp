// What the store promises on either backend: audit rows, replay detection,
// claims, schedules and capacity samples, kept across a reopen and decided
// once between two stores on one database (two replicas).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <thread>
#include <vector>

#include "store/migrations.hpp"
#include "store/postgres/pg_connection.hpp"
#include "tests/store/store_backends.hpp"

namespace hpops::store::testing {
namespace {

using namespace std::chrono_literals;

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

class StoreAudit : public StoreBackendTest {};

TEST_P(StoreAudit, AppendsFinishesAndListsNewestFirst) {
    const auto store = open();
    const auto first = store->append_audit(sample("scale.nodegroup"));
    const auto second = store->append_audit(sample("nodegroup.delete"));
    EXPECT_GT(second, first);
    store->finish_audit(first, "ok", "spot-ng desired 1 -> 3", "aws-req-9");
    store->finish_audit(second, "failed", "AccessDenied");
    store->finish_audit(first, "ok", "again, without a backend id");

    const auto records = store->recent_audit(10);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].id, second);
    EXPECT_EQ(records[0].command, "nodegroup.delete");
    EXPECT_EQ(records[0].outcome, "failed");
    EXPECT_EQ(records[0].detail, "AccessDenied");
    const AuditRecord& r = records[1];
    EXPECT_EQ(r.id, first);
    EXPECT_EQ(r.time_unix_ms, 1'700'000'000'123);
    EXPECT_EQ(r.platform, "slack");
    EXPECT_EQ(r.actor_id, "U123");
    EXPECT_EQ(r.actor_name, "alice");
    EXPECT_EQ(r.channel, "C0GPUOPS");
    EXPECT_EQ(r.arguments, "scale nodegroup spot-ng desired=3");
    EXPECT_EQ(r.outcome, "ok");
    EXPECT_EQ(r.request_id, "req-1");
    EXPECT_EQ(r.backend_request_id, "aws-req-9") << "an empty backend id keeps the one recorded";

    EXPECT_EQ(store->recent_audit(1).size(), 1u);
    EXPECT_EQ(store->recent_audit(0).size(), 0u);
    const auto one = store->audit_record(first);
    ASSERT_TRUE(one.has_value());
    EXPECT_EQ(one->request_id, "req-1");
    EXPECT_EQ(one->command, "scale.nodegroup");
    EXPECT_EQ(one->backend_request_id, "aws-req-9");
    EXPECT_FALSE(store->audit_record(9999).has_value());
    EXPECT_THROW(store->finish_audit(9999, "ok", ""), std::runtime_error);
}

TEST_P(StoreAudit, StampsTheTimeWhenMissing) {
    FakeClock clock;
    const auto store = open(clock.fn());
    AuditRecord r = sample("status");
    r.time_unix_ms = 0;
    store->append_audit(r);
    EXPECT_EQ(store->recent_audit(1).at(0).time_unix_ms, clock.now_ms.load());
}

TEST_P(StoreAudit, KeepsEverythingAcrossReopening) {
    FakeClock clock;
    std::int64_t id = 0;
    {
        const auto store = open(clock.fn());
        id = store->append_audit(sample("scale.nodegroup"));
        ASSERT_TRUE(store->remember_request("k1", clock.now() + 1h));
    }
    const auto reopened = open(clock.fn());
    reopened->finish_audit(id, "ok", "done");
    const auto records = reopened->recent_audit(10);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].id, id);
    EXPECT_EQ(records[0].outcome, "ok");
    EXPECT_FALSE(reopened->remember_request("k1", clock.now() + 1h)) << "replay across a restart";
    EXPECT_TRUE(reopened->healthy());
}

// `/hp history`: rows after a time, naming a group, newest first, without
// the rows that only asked for a confirmation.
TEST_P(StoreAudit, HistoryFiltersByTimeAndTheNameInTheCommandText) {
    const auto store = open();
    auto row = [&](std::int64_t at, const std::string& command, const std::string& arguments,
                   const std::string& outcome) {
        AuditRecord r = sample(command);
        r.time_unix_ms = at;
        r.arguments = arguments;
        r.outcome = outcome;
        return store->append_audit(r);
    };
    const auto old_scale = row(1'000, "scale nodegroup", "scale nodegroup gpu-ng desired=2", "ok");
    const auto asked = row(2'000, "scale nodegroup", "scale nodegroup gpu-ng desired=0", "confirm-requested");
    const auto confirmed = row(3'000, "scale nodegroup", "scale nodegroup gpu-ng desired=0", "ok");
    const auto other = row(4'000, "scale nodegroup", "scale nodegroup gpu-ng-2 desired=1", "failed");
    const auto by_option = row(5'000, "nodegroup create", "nodegroup create extra cluster=gpu-ng", "denied");
    const auto deploy = row(6'000, "deploy", "deploy org/model name=llama", "ok");
    (void)asked;

    auto ids = [](const std::vector<AuditRecord>& rows) {
        std::vector<std::int64_t> out;
        for (const auto& r : rows) out.push_back(r.id);
        return out;
    };
    EXPECT_EQ(ids(store->audit_history({0, "", 20})),
              (std::vector<std::int64_t>{deploy, by_option, other, confirmed, old_scale}));
    EXPECT_EQ(ids(store->audit_history({0, "gpu-ng", 20})),
              (std::vector<std::int64_t>{by_option, confirmed, old_scale}))
        << "an argument or an option's value, exactly: not gpu-ng-2";
    EXPECT_EQ(ids(store->audit_history({3'000, "gpu-ng", 20})), (std::vector<std::int64_t>{by_option, confirmed}));
    EXPECT_EQ(ids(store->audit_history({0, "gpu-ng", 1})), (std::vector<std::int64_t>{by_option}));
    EXPECT_EQ(ids(store->audit_history({0, "llama", 20})), (std::vector<std::int64_t>{deploy}));
    EXPECT_TRUE(store->audit_history({0, "nodegroup", 20}).empty()) << "the command's own words name nothing";
    EXPECT_TRUE(store->audit_history({0, "gpu", 20}).empty()) << "no part of a name";
    EXPECT_TRUE(store->audit_history({0, "", 0}).empty());
    EXPECT_EQ(store->audit_history({0, "gpu-ng-2", 20}).at(0).outcome, "failed");
}

HPOPS_ON_BOTH_STORES(StoreAudit);

class StoreReplays : public StoreBackendTest {};

TEST_P(StoreReplays, AreDetectedUntilTheKeyExpires) {
    FakeClock clock;
    const auto store = open(clock.fn());
    EXPECT_TRUE(store->remember_request("slack:T1:abc", clock.now() + 5min));
    EXPECT_FALSE(store->remember_request("slack:T1:abc", clock.now() + 5min));
    EXPECT_TRUE(store->remember_request("slack:T1:other", clock.now() + 5min));

    clock.now_ms += (5min - 1ms).count();
    EXPECT_FALSE(store->remember_request("slack:T1:abc", clock.now() + 5min)) << "still inside its window";
    clock.now_ms += 1;
    EXPECT_TRUE(store->remember_request("slack:T1:abc", clock.now() + 5min)) << "expired keys count as new";
    EXPECT_FALSE(store->remember_request("slack:T1:abc", clock.now() + 5min)) << "and are remembered again";
}

// Four threads over two stores on one database (two replicas) offer every
// key; exactly one offer per key may win.
TEST_P(StoreReplays, TwoStoresOnOneDatabaseLetOneOfferPerKeyWin) {
    const auto a = open(), b = open();
    std::vector<Database*> per_thread{a.get(), b.get(), a.get(), b.get()};
    constexpr int keys = 300;
    std::vector<std::atomic<int>> wins(keys);
    std::vector<std::thread> threads;
    const auto expires = std::chrono::system_clock::now() + 1h;
    for (std::size_t t = 0; t < per_thread.size(); ++t) {
        threads.emplace_back([&, t] {
            // Different orders make the threads collide on different keys.
            for (int i = 0; i < keys; ++i) {
                const int k = (t % 2 == 0) ? i : keys - 1 - i;
                if (per_thread[t]->remember_request("key-" + std::to_string(k), expires)) ++wins[k];
            }
        });
    }
    for (auto& th : threads) th.join();
    for (int k = 0; k < keys; ++k) EXPECT_EQ(wins[k].load(), 1) << "key-" << k;
}

HPOPS_ON_BOTH_STORES(StoreReplays);

JobRecord claiming(const std::string& claim) {
    JobRecord job;
    job.kind = "digest";
    job.state = "{}";
    job.claim = claim;
    return job;
}

class StoreJobs : public StoreBackendTest {};

TEST_P(StoreJobs, ASecondJobWithTheSameClaimIsNeverCreated) {
    const auto store = open();
    const std::int64_t first = store->create_job(claiming("digest daily 1796000400"));
    EXPECT_GT(first, 0);
    EXPECT_EQ(store->create_job(claiming("digest daily 1796000400")), 0);
    EXPECT_GT(store->create_job(claiming("digest daily 1796086800")), first);
    EXPECT_TRUE(store->claimed("digest daily 1796000400"));
    EXPECT_FALSE(store->claimed("digest weekly 1796000400"));
    EXPECT_EQ(store->job(first)->claim, "digest daily 1796000400");
    // Jobs without a claim are never in each other's way.
    EXPECT_GT(store->create_job(claiming("")), 0);
    EXPECT_GT(store->create_job(claiming("")), 0);
    EXPECT_EQ(store->running_jobs().size(), 4u);
}

TEST_P(StoreJobs, TwoStoresOnOneDatabaseLetOneClaimWin) {
    const auto a = open(), b = open();
    const std::int64_t won_a = a->create_job(claiming("digest daily 1"));
    const std::int64_t won_b = b->create_job(claiming("digest daily 1"));
    EXPECT_TRUE((won_a > 0) != (won_b > 0)) << won_a << " " << won_b;
}

TEST_P(StoreJobs, StepsEventsAndTheAuditRowMoveTogether) {
    const auto store = open();
    const auto audit = store->append_audit(sample("scale.nodegroup"));
    JobRecord job;
    job.kind = "scale";
    job.kind_version = 2;
    job.state = R"({"step":0})";
    job.target = "gpu-ng";
    job.actor_id = "U1";
    job.audit_id = audit;
    job.created_unix_ms = 1000;
    job.next_run_unix_ms = 1500;
    job.deadline_unix_ms = 99'000;
    job.id = store->create_job(job);
    ASSERT_GT(job.id, 0);
    EXPECT_EQ(store->due_jobs(1499, 10).size(), 0u);
    ASSERT_EQ(store->due_jobs(1500, 10).size(), 1u);

    store->set_message(job.id, JobMessage{"slack", "C1", "1700.1", "https://hooks.slack.test/r"});
    job.state = R"({"step":1})";
    job.updated_unix_ms = job.next_run_unix_ms = 2000;
    job.attempts = 1;
    store->save_step(job, JobEvent{2000, "desired 2 -> 4"});
    job.status = JobStatus::done;
    job.finished_unix_ms = 3000;
    job.outcome = "gpu-ng at 4";
    store->save_step(job, JobEvent{2000, "ready"});

    const auto kept = store->job(job.id);
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->status, JobStatus::done);
    EXPECT_EQ(kept->kind_version, 2);
    EXPECT_EQ(kept->state, R"({"step":1})");
    EXPECT_EQ(kept->message.ts, "1700.1");
    EXPECT_EQ(kept->message.response_url, "https://hooks.slack.test/r");
    EXPECT_EQ(kept->attempts, 1);
    EXPECT_EQ(kept->finished_unix_ms, 3000);
    EXPECT_TRUE(store->running_jobs().empty());
    EXPECT_EQ(store->recent_jobs(JobStatus::done, 0, 10).size(), 1u);
    EXPECT_TRUE(store->recent_jobs(JobStatus::failed, 0, 10).empty());
    const auto events = store->job_events(job.id, 10);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].what, "ready") << "newest first, even within one millisecond";
    const auto audit_row = store->recent_audit(1).at(0);
    EXPECT_EQ(audit_row.outcome, "ok");
    EXPECT_EQ(audit_row.detail, "gpu-ng at 4");
}

HPOPS_ON_BOTH_STORES(StoreJobs);

class StoreDigestSchedules : public StoreBackendTest {};

TEST_P(StoreDigestSchedules, AreSavedReplacedAndDeleted) {
    const auto store = open();
    DigestScheduleStore& schedules = *store->digest_schedules();
    schedules.put_digest_schedule({"weekly", "0 9 * * MON", "Europe/Berlin", "#ml", {"fleet", "alerts"}, "U1", 5});
    schedules.put_digest_schedule({"daily", "0 8 * * *", "UTC", "C123", {}, "U2", 6});
    schedules.put_digest_schedule({"weekly", "0 10 * * MON", "Europe/Berlin", "#ml", {"training"}, "U3", 7});
    const auto listed = schedules.digest_schedules();
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].name, "daily");
    EXPECT_TRUE(listed[0].sections.empty());
    EXPECT_EQ(listed[1].cron, "0 10 * * MON");
    EXPECT_EQ(listed[1].sections, std::vector<std::string>{"training"});
    EXPECT_EQ(listed[1].created_by, "U3");
    EXPECT_EQ(listed[1].created_unix_ms, 7);
    EXPECT_FALSE(listed[1].from_config);
    EXPECT_TRUE(schedules.delete_digest_schedule("daily"));
    EXPECT_FALSE(schedules.delete_digest_schedule("daily"));
    EXPECT_EQ(schedules.digest_schedules().size(), 1u);
}

HPOPS_ON_BOTH_STORES(StoreDigestSchedules);

constexpr std::int64_t five_minutes = 300'000;

CapacitySample capacity(std::int64_t slot, const std::string& group, int count) {
    return {slot * five_minutes, five_minutes, "us-west-2", "hyperpod", "train", group, "ml.p5.48xlarge", count};
}

class StoreCapacity : public StoreBackendTest {};

TEST_P(StoreCapacity, ASlotIsKeptOncePerGroup) {
    const auto store = open();
    EXPECT_FALSE(store->capacity_slot_sampled(1 * five_minutes));
    EXPECT_EQ(store->record_capacity({capacity(1, "workers", 4), capacity(1, "controller", 1)}), 2);
    EXPECT_TRUE(store->capacity_slot_sampled(1 * five_minutes));
    // A retry, or a second replica, sampling the same slot: the first sample stays.
    EXPECT_EQ(store->record_capacity({capacity(1, "workers", 9), capacity(2, "workers", 5)}), 1);
    const auto kept = store->capacity_samples(0, 10 * five_minutes, "");
    ASSERT_EQ(kept.size(), 3u);
    EXPECT_EQ(kept[0].group, "controller");
    EXPECT_EQ(kept[1].count, 4) << "the first sample of slot 1 is kept";
    EXPECT_EQ(kept[2].slot_unix_ms, 2 * five_minutes);
    EXPECT_EQ(kept[2].instance_type, "ml.p5.48xlarge");
    EXPECT_EQ(kept[2].interval_ms, five_minutes);
}

TEST_P(StoreCapacity, SamplesAreReadByPeriodAndGroupAndPruned) {
    const auto store = open();
    std::vector<CapacitySample> samples;
    for (int slot = 0; slot < 10; ++slot) {
        samples.push_back(capacity(slot, "workers", slot));
        samples.push_back(capacity(slot, "controller", 1));
    }
    EXPECT_EQ(store->record_capacity(samples), 20);
    const auto workers = store->capacity_samples(3 * five_minutes, 6 * five_minutes, "workers");
    ASSERT_EQ(workers.size(), 3u) << "since is in the period, until is not";
    EXPECT_EQ(workers.front().count, 3);
    EXPECT_EQ(workers.back().count, 5);
    EXPECT_EQ(store->prune_capacity_samples(4 * five_minutes), 8);
    EXPECT_EQ(store->capacity_samples(0, 10 * five_minutes, "").size(), 12u);
    EXPECT_TRUE(store->capacity_samples(0, 4 * five_minutes, "").empty());
}

TEST_P(StoreCapacity, TwoStoresOnOneDatabaseKeepOneSamplePerSlot) {
    const auto a = open(), b = open();
    const int added_a = a->record_capacity({capacity(7, "workers", 4)});
    const int added_b = b->record_capacity({capacity(7, "workers", 6)});
    EXPECT_EQ(added_a + added_b, 1);
    const auto kept = b->capacity_samples(0, 10 * five_minutes, "workers");
    ASSERT_EQ(kept.size(), 1u);
    EXPECT_EQ(kept[0].count, 4);
}

HPOPS_ON_BOTH_STORES(StoreCapacity);

// Runs `sql` on the test's database directly, as an operator or a newer hpops would.
void run_directly(Backend backend, const std::string& location, const char* sql) {
    if (backend == Backend::postgres) {
        pg::Connection c(pg::ConnectSettings{location});
        c.run(sql, "test statement");
        return;
    }
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(location.c_str(), &raw), SQLITE_OK);
    const int rc = sqlite3_exec(raw, sql, nullptr, nullptr, nullptr);
    sqlite3_close(raw);
    ASSERT_EQ(rc, SQLITE_OK) << sql;
}

class StoreSchema : public StoreBackendTest {};

TEST_P(StoreSchema, RefusesADatabaseFromANewerHpops) {
    open()->healthy();  // migrates
    run_directly(GetParam(), location_, "INSERT INTO schema_migrations VALUES (99, 0)");
    try {
        const auto store = open();
        // PostgreSQL connects (and so migrates) on first use, not on construction.
        store->recent_audit(1);
        FAIL() << "used a v99 database";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("schema version 99 is newer"), std::string::npos) << e.what();
    }
}

TEST_P(StoreSchema, ReopeningAppliesNoMigrationTwice) {
    open()->healthy();
    const auto again = open();
    EXPECT_TRUE(again->healthy());
    EXPECT_EQ(again->recent_audit(1).size(), 0u);
    if (GetParam() == Backend::postgres) {
        EXPECT_EQ(dynamic_cast<PostgresStore&>(*again).schema_version(), latest_schema_version());
    } else {
        EXPECT_EQ(dynamic_cast<SqliteStore&>(*again).schema_version(), latest_schema_version());
    }
}

HPOPS_ON_BOTH_STORES(StoreSchema);

}  // namespace
}  // namespace hpops::store::testing
