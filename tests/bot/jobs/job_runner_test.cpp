// The JobRunner over the real SQLite store, with small job kinds of the
// test's own: steps to the end, resume after a restart, retries, deadlines,
// cancellation, and the bad rows it must survive.
#include "bot/jobs/job_runner.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "tests/support/io_thread.hpp"

#include "hpops/config.hpp"
#include "hpops/errors.hpp"
#include "hpops/handler.hpp"
#include "store/sqlite_store.hpp"

namespace hpops::bot {
using store::SqliteStore;
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using json = nlohmann::json;

// Counts from n to `to`, one per step; `fail_first` steps throw `failure` first.
class CountingKind final : public JobKind {
public:
    std::string_view name() const override { return "count"; }
    asio::awaitable<JobStep> step(const JobRecord& job, JobContext&) override {
        if (fail_first > 0) {
            --fail_first;
            throw failure;
        }
        json state = json::parse(job.state);
        state["n"] = state["n"].get<int>() + 1;
        const bool done = state["n"] == state["to"];
        co_return JobStep{done ? JobStatus::done : JobStatus::running, state.dump(), 10ms,
                          done ? "counted to " + std::to_string(state["to"].get<int>())
                               : "at " + std::to_string(state["n"].get<int>())};
    }
    Reply render(const JobRecord& job) const override {
        return message_reply(std::string(to_string(job.status)) + " " + job.state);
    }
    std::chrono::milliseconds deadline(const Config&) const override { return deadline_; }

    std::atomic<int> fail_first{0};
    UpstreamError failure{"eks", "Timeout", "did not answer"};
    std::chrono::milliseconds deadline_ = 60s;
};

// Records every show; posts get ts "1.000001", edits keep it.
class RecordingMessenger final : public JobMessenger {
public:
    asio::awaitable<JobMessage> show(const JobRecord& job, Reply rendering) override {
        std::lock_guard lock(mutex);
        shows.push_back({job.id, job.message.ts, rendering_text(rendering)});
        JobMessage m = job.message;
        if (m.ts.empty()) m.ts = "1.000001";
        co_return m;
    }
    static std::string rendering_text(const Reply& r) { return r.summary; }
    struct Show {
        std::int64_t id;
        std::string ts_before;
        std::string text;
    };
    std::mutex mutex;
    std::vector<Show> shows;
};

class JobRunnerTest : public ::testing::Test {
protected:
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("hpops-jobs-" + std::to_string(::getpid()) + "-" +
                                  ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    Config config;
    Clients clients;
    CountingKind kind;
    RecordingMessenger messenger;
    testing::IoThread loop;
    asio::io_context& io = loop.io;

    void SetUp() override { remove_db(); }
    void TearDown() override {
        loop.stop();
        remove_db();
    }
    void remove_db() {
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    }

    std::unique_ptr<JobRunner> runner(SqliteStore& store, JobRunner::WallClock wall = &std::chrono::system_clock::now) {
        auto r = std::make_unique<JobRunner>(io.get_executor(), store, JobContext{config, clients}, &messenger,
                                             JobRunnerOptions{.concurrency = 8, .first_retry = 20ms, .max_retry = 200ms},
                                             std::move(wall));
        r->add_kind(kind);
        return r;
    }

    template <class T>
    T await(asio::awaitable<T> work) {
        return asio::co_spawn(io, std::move(work), asio::use_future).get();
    }

    std::int64_t begin(JobRunner& r, SqliteStore& store, int to, std::string state = {}) {
        JobRecord job;
        job.kind = "count";
        job.state = state.empty() ? json{{"n", 0}, {"to", to}}.dump() : state;
        job.target = "counter";
        job.actor_id = "UOPS01";
        job.message = JobMessage{"slack", "C1", "", ""};
        AuditRecord audit;
        audit.command = "count";
        audit.outcome = "started";
        job.audit_id = store.append_audit(audit);
        return await(r.begin(job, 0ms));
    }

    static bool eventually(const std::function<bool()>& ok, std::chrono::milliseconds within = 10s) {
        const auto deadline = std::chrono::steady_clock::now() + within;
        while (!ok()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(5ms);
        }
        return true;
    }

    static JobStatus status_of(SqliteStore& store, std::int64_t id) { return store.job(id)->status; }
};

TEST_F(JobRunnerTest, StepsAJobToTheEndEditingOneMessageAndClosingItsAuditRow) {
    SqliteStore store(path.string());
    auto r = runner(store);
    r->start();
    const std::int64_t id = begin(*r, store, 3);
    // The state is committed first, the message edited after it.
    ASSERT_TRUE(eventually([&] {
        std::lock_guard lock(messenger.mutex);
        return messenger.shows.size() == 4;
    }));
    ASSERT_EQ(status_of(store, id), JobStatus::done);
    const JobRecord job = *store.job(id);
    EXPECT_EQ(json::parse(job.state)["n"], 3);
    EXPECT_EQ(job.outcome, "counted to 3");
    EXPECT_EQ(job.message.ts, "1.000001") << "the posted message is remembered";
    EXPECT_GT(job.finished_unix_ms, 0);
    {
        std::lock_guard lock(messenger.mutex);
        ASSERT_EQ(messenger.shows.size(), 4u);  // at the start, then after each step
        EXPECT_EQ(messenger.shows.front().ts_before, "");
        for (std::size_t i = 1; i < messenger.shows.size(); ++i) EXPECT_EQ(messenger.shows[i].ts_before, "1.000001");
        EXPECT_NE(messenger.shows.back().text.find("done"), std::string::npos);
    }
    EXPECT_EQ(store.recent_audit(1)[0].outcome, "ok");
    EXPECT_EQ(store.job_events(id, 10).size(), 3u);
    EXPECT_EQ(r->stats().running, 0);
    EXPECT_EQ(r->stats().finished[static_cast<int>(JobStatus::done)], 1u);
    await(r->stop());
}

TEST_F(JobRunnerTest, AStoppedRunnerLeavesTheJobForTheNextStartWhichResumesIt) {
    std::int64_t id = 0;
    {
        SqliteStore store(path.string());
        auto r = runner(store);
        r->start();
        kind.fail_first = 0;
        id = begin(*r, store, 1000);
        ASSERT_TRUE(eventually([&] { return json::parse(store.job(id)->state)["n"] >= 2; }));
        await(r->stop());
        EXPECT_EQ(status_of(store, id), JobStatus::running);
    }
    const int reached = [&] {
        SqliteStore store(path.string());
        return json::parse(store.job(id)->state)["n"].get<int>();
    }();
    SqliteStore store(path.string());
    // Set the target within reach, as if the work were nearly done.
    JobRecord job = *store.job(id);
    job.state = json{{"n", reached}, {"to", reached + 2}}.dump();
    store.save_step(job, JobEvent{});
    auto r = runner(store);
    r->start();
    ASSERT_TRUE(eventually([&] { return status_of(store, id) == JobStatus::done; }));
    EXPECT_EQ(r->stats().resumed, 1u);
    EXPECT_EQ(store.job(id)->message.ts, "1.000001") << "the same message, not a new one";
    await(r->stop());
}

TEST_F(JobRunnerTest, TransientFailuresAreRetriedWithBackoffAndShowInTheHistory) {
    SqliteStore store(path.string());
    auto r = runner(store);
    kind.fail_first = 2;
    r->start();
    const std::int64_t id = begin(*r, store, 1);
    ASSERT_TRUE(eventually([&] { return status_of(store, id) == JobStatus::done; }));
    const auto events = store.job_events(id, 10);
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[2].what, "retry 1 in 1 s: eks Timeout");  // oldest last
    EXPECT_EQ(events[1].what, "retry 2 in 1 s: eks Timeout");
    EXPECT_EQ(r->stats().retries, 2u);
    EXPECT_EQ(store.job(id)->attempts, 0) << "a step that works resets the count";
    await(r->stop());
}

TEST_F(JobRunnerTest, AnErrorThatIsNotTransientFailsTheJobAndItsAuditRow) {
    SqliteStore store(path.string());
    auto r = runner(store);
    kind.fail_first = 1;
    kind.failure = UpstreamError("eks", "AccessDeniedException", "not authorized", "req-1", 403);
    r->start();
    const std::int64_t id = begin(*r, store, 5);
    ASSERT_TRUE(eventually([&] { return status_of(store, id) == JobStatus::failed; }));
    EXPECT_EQ(store.job(id)->outcome, "not authorized");
    EXPECT_EQ(store.recent_audit(1)[0].outcome, "failed");
    await(r->stop());
}

TEST_F(JobRunnerTest, AJobPastItsDeadlineFails) {
    SqliteStore store(path.string());
    kind.deadline_ = 0ms;
    auto r = runner(store);
    r->start();
    const std::int64_t id = begin(*r, store, 5);
    ASSERT_TRUE(eventually([&] { return status_of(store, id) == JobStatus::failed; }));
    EXPECT_NE(store.job(id)->outcome.find("did not finish within"), std::string::npos) << store.job(id)->outcome;
    await(r->stop());
}

TEST_F(JobRunnerTest, ACorruptStateFailsTheJobAndKeepsTheRow) {
    SqliteStore store(path.string());
    auto r = runner(store);
    r->start();
    const std::int64_t id = begin(*r, store, 5, "{not json");
    ASSERT_TRUE(eventually([&] { return status_of(store, id) == JobStatus::failed; }));
    EXPECT_EQ(store.job(id)->state, "{not json") << "kept as it was, for a person to read";
    EXPECT_NE(store.job(id)->outcome.find("unreadable"), std::string::npos);
    await(r->stop());
}

TEST_F(JobRunnerTest, ARowWrittenByANewerKindIsLeftAlone) {
    SqliteStore store(path.string());
    JobRecord job;
    job.kind = "count";
    job.kind_version = 9;
    job.state = R"({"n":0,"to":1})";
    const std::int64_t id = store.create_job(job);
    auto r = runner(store);
    r->start();
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(status_of(store, id), JobStatus::running);
    EXPECT_EQ(store.job(id)->state, R"({"n":0,"to":1})");
    EXPECT_FALSE(await(r->cancel(id, "UOPS01")));
    await(r->stop());
}

TEST_F(JobRunnerTest, CancelStopsFollowingAndAFinishedJobCannotBeCancelled) {
    SqliteStore store(path.string());
    auto r = runner(store);
    r->start();
    const std::int64_t id = begin(*r, store, 1'000'000);
    ASSERT_TRUE(await(r->cancel(id, "UOPS01")));
    ASSERT_TRUE(eventually([&] { return status_of(store, id) == JobStatus::cancelled; }));
    EXPECT_NE(store.job(id)->outcome.find("stays"), std::string::npos) << "it says nothing was undone";
    EXPECT_EQ(store.recent_audit(1)[0].outcome, "cancelled");
    EXPECT_FALSE(await(r->cancel(id, "UOPS01")));
    EXPECT_FALSE(await(r->cancel(424242, "UOPS01")));
    await(r->stop());
}

TEST_F(JobRunnerTest, AWallClockJumpNeitherStallsNorHurriesSteps) {
    SqliteStore store(path.string());
    std::atomic<long long> offset_hours{0};
    auto r = runner(store, [&] { return std::chrono::system_clock::now() + std::chrono::hours(offset_hours.load()); });
    r->start();
    const std::int64_t id = begin(*r, store, 20);
    offset_hours = -1;  // an NTP step back by an hour
    ASSERT_TRUE(eventually([&] { return status_of(store, id) == JobStatus::done; }, 5s));
    await(r->stop());
}

// Two replicas on one store: the runner that began the job freezes (as a
// killed process would: no more steps, no renewals), and the other takes the
// job over once its lease runs out, carries on from the last committed step
// and edits the same message; no step is done twice.
TEST_F(JobRunnerTest, AnotherRunnerTakesOverTheJobsOfOneThatStopsRenewingItsLeases) {
    const JobRunnerOptions fast{.concurrency = 8, .first_retry = 20ms, .max_retry = 200ms, .owner = {},
                                .lease = 300ms, .takeover_scan = 100ms};
    SqliteStore store_a(path.string()), store_b(path.string());
    testing::IoThread frozen;  // replica a's own threads
    auto a = std::make_unique<JobRunner>(frozen.io.get_executor(), store_a, JobContext{config, clients}, &messenger, fast);
    a->add_kind(kind);
    a->start();
    JobRunnerOptions b_options = fast;
    b_options.owner = "replica-b";
    JobRunner b(io.get_executor(), store_b, JobContext{config, clients}, &messenger, b_options);
    b.add_kind(kind);
    b.start();

    JobRecord job;
    job.kind = "count";
    job.state = json{{"n", 0}, {"to", 40}}.dump();
    job.message = JobMessage{"slack", "C1", "", ""};
    const std::int64_t id = asio::co_spawn(frozen.io, a->begin(job, 0ms), asio::use_future).get();
    ASSERT_TRUE(eventually([&] { return json::parse(store_a.job(id)->state)["n"] >= 5; }));
    EXPECT_EQ(b.stats().running, 0) << "a holds it";
    frozen.stop();
    const auto frozen_at = std::chrono::steady_clock::now();
    ASSERT_TRUE(eventually([&] { return b.stats().running == 1 || status_of(store_b, id) == JobStatus::done; }));
    const auto takeover = std::chrono::steady_clock::now() - frozen_at;
    EXPECT_LT(takeover, 2s) << "within the lease and a scan";
    ASSERT_TRUE(eventually([&] { return status_of(store_b, id) == JobStatus::done; }));
    EXPECT_EQ(json::parse(store_b.job(id)->state)["n"], 40);
    EXPECT_EQ(store_b.job(id)->message.ts, "1.000001") << "the same message";
    std::set<std::string> steps;
    for (const JobEvent& e : store_b.job_events(id, 100)) EXPECT_TRUE(steps.insert(e.what).second) << e.what << " twice";
    EXPECT_EQ(steps.size(), 40u);
    await(b.stop());
}

// Replica b is asked to cancel a job replica a holds: the request goes into
// the job's row, a ends the job at its lease scan (long before its next
// step), and b never steps it.
TEST_F(JobRunnerTest, ACancelAskedOnAnotherReplicaEndsTheJobWhereItRuns) {
    const JobRunnerOptions slow_steps{.concurrency = 8, .first_retry = 20ms, .max_retry = 200ms, .owner = "replica-a",
                                      .lease = 3s, .takeover_scan = 100ms};
    SqliteStore store_a(path.string()), store_b(path.string());
    JobRunner a(io.get_executor(), store_a, JobContext{config, clients}, &messenger, slow_steps);
    JobRunnerOptions b_options = slow_steps;
    b_options.owner = "replica-b";
    JobRunner b(io.get_executor(), store_b, JobContext{config, clients}, &messenger, b_options);
    for (JobRunner* r : {&a, &b}) {
        r->add_kind(kind);
        r->start();
    }
    // Its next step is a minute away: only the row can carry the cancel in time.
    const std::int64_t id = await(a.begin(JobRecord{.kind = "count", .state = json{{"n", 0}, {"to", 9}}.dump(),
                                                    .message = JobMessage{"slack", "C1", "", ""}},
                                          60s));
    const auto asked = std::chrono::steady_clock::now();
    ASSERT_TRUE(await(b.cancel(id, "UOPS02")));
    ASSERT_TRUE(eventually([&] { return status_of(store_a, id) == JobStatus::cancelled; }, 5s));
    EXPECT_LT(std::chrono::steady_clock::now() - asked, 2s) << "at a's next lease scan";
    EXPECT_EQ(json::parse(store_a.job(id)->state)["n"], 0) << "no step ran";
    EXPECT_EQ(store_a.job_events(id, 10).at(0).what, "cancelled by UOPS02");
    EXPECT_TRUE(eventually([&] { return a.stats().running == 0; })) << "a let it go";
    EXPECT_EQ(b.stats().running, 0) << "b never held it";
    EXPECT_FALSE(await(b.cancel(id, "UOPS02"))) << "ended";
    await(a.stop());
    await(b.stop());
}

}  // namespace
}  // namespace hpops::bot
