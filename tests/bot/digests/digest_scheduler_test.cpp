#include "bot/digests/digest_scheduler.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <date/date.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "bot/jobs/job_runner.hpp"
#include "handlers/job_kinds.hpp"
#include "hpops/handler.hpp"
#include "store/sqlite_store.hpp"
#include "tests/support/io_thread.hpp"

namespace hpops::bot {
namespace {

namespace asio = boost::asio;
using std::chrono::sys_seconds;
using namespace std::chrono_literals;

// 2026-12-07 is a Monday; Berlin is UTC+1 in December.
sys_seconds berlin(unsigned day, int hour, int minute, int second = 0) {
    return date::sys_days(date::year{2026} / 12 / day) + std::chrono::hours(hour - 1) + std::chrono::minutes(minute) +
           std::chrono::seconds(second);
}

// The scheduler against the real store and job runner, its clock passed to
// tick(): no test sleeps until a firing.
class DigestSchedulerTest : public ::testing::Test {
protected:
    std::string path = (std::filesystem::temp_directory_path() /
                        ("hpops-digests-" + std::to_string(::getpid()) + "-" +
                         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                           .string();
    Config config;
    Clients clients;
    testing::IoThread loop;
    asio::io_context& io = loop.io;

    void SetUp() override {
        remove_db();
        config.digests.schedules.push_back({"weekday", "0 9 * * 1-5", "Europe/Berlin", "C1", {"fleet"}});
        config.digests.grace = 2h;
    }
    void TearDown() override {
        loop.stop();
        remove_db();
    }
    void remove_db() {
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    }

    // One hpops process: its store, runner and scheduler.
    struct Process {
        asio::io_context& io;
        store::SqliteStore store;
        JobRunner runner;
        DigestScheduler scheduler;
        explicit Process(DigestSchedulerTest& t)
            : io(t.io),
              store(t.path),
              runner(t.io.get_executor(), store, JobContext{t.config, t.clients, &store}, nullptr),
              scheduler(t.io.get_executor(), t.config, store, runner) {
            for (JobKind* kind : handlers::job_kinds()) runner.add_kind(*kind);
            runner.start();
        }
        ~Process() { asio::co_spawn(io, runner.stop(), asio::use_future).get(); }
    };

    std::unique_ptr<Process> process() { return std::make_unique<Process>(*this); }

    std::vector<std::string> tick(Process& p, sys_seconds now) {
        return asio::co_spawn(io, p.scheduler.tick(now), asio::use_future).get();
    }

    std::vector<JobRecord> digests(Process& p) {
        std::vector<JobRecord> found;
        for (auto& job : p.store.recent_jobs(std::nullopt, 0, 100))
            if (job.kind == "digest") found.push_back(std::move(job));
        return found;
    }
};

const std::string monday_nine = "digest weekday " + std::to_string(berlin(7, 9, 0).time_since_epoch().count());

TEST_F(DigestSchedulerTest, AFiringIsClaimedAtItsInstantAndOnlyThen) {
    auto p = process();
    EXPECT_TRUE(tick(*p, berlin(7, 8, 59, 59)).empty());
    EXPECT_EQ(tick(*p, berlin(7, 9, 0)), std::vector<std::string>{monday_nine});
    EXPECT_TRUE(tick(*p, berlin(7, 9, 0, 30)).empty()) << "claimed once";
    ASSERT_EQ(digests(*p).size(), 1u);
    const auto state = nlohmann::json::parse(digests(*p)[0].state);
    EXPECT_EQ(state["late_s"], 0);
    EXPECT_EQ(digests(*p)[0].message.channel, "C1");
}

TEST_F(DigestSchedulerTest, ARestartAtTheFiringInstantDoesNotPostItTwice) {
    {
        auto before = process();
        EXPECT_EQ(tick(*before, berlin(7, 9, 0)).size(), 1u);
    }
    auto after = process();
    EXPECT_TRUE(tick(*after, berlin(7, 9, 0)).empty());
    EXPECT_TRUE(tick(*after, berlin(7, 9, 1)).empty());
    EXPECT_EQ(digests(*after).size(), 1u);
}

TEST_F(DigestSchedulerTest, TwoReplicasAtTheSameInstantPostItOnce) {
    auto a = process();
    auto b = process();
    const auto taken_a = tick(*a, berlin(7, 9, 0));
    const auto taken_b = tick(*b, berlin(7, 9, 0));
    EXPECT_EQ(taken_a.size() + taken_b.size(), 1u);
    EXPECT_EQ(digests(*a).size(), 1u);
}

TEST_F(DigestSchedulerTest, AFiringMissedWithinTheGraceIsPostedOnceMarkedLate) {
    auto p = process();
    EXPECT_EQ(tick(*p, berlin(7, 10, 30)), std::vector<std::string>{monday_nine});
    const auto state = nlohmann::json::parse(digests(*p)[0].state);
    EXPECT_EQ(state["late_s"], 5400);
    // Its period starts a day before: nothing was posted for this schedule yet.
    EXPECT_EQ(state["since_ms"], (berlin(7, 9, 0) - 24h).time_since_epoch().count() * 1000);
}

TEST_F(DigestSchedulerTest, AFiringOlderThanTheGraceIsSkipped) {
    auto p = process();
    EXPECT_TRUE(tick(*p, berlin(7, 11, 1)).empty());
    EXPECT_TRUE(digests(*p).empty());
    // The next one is posted on time.
    EXPECT_EQ(tick(*p, berlin(8, 9, 0)).size(), 1u);
}

TEST_F(DigestSchedulerTest, OfSeveralMissedFiringsOnlyTheNewestIsPosted) {
    config.digests.schedules[0].cron = "0 * * * *";
    auto p = process();
    EXPECT_EQ(tick(*p, berlin(7, 7, 0)).size(), 1u);
    const auto taken = tick(*p, berlin(7, 10, 30));  // 08:00, 09:00 and 10:00 were missed
    EXPECT_EQ(taken, std::vector<std::string>{"digest weekday " +
                                              std::to_string(berlin(7, 10, 0).time_since_epoch().count())});
    const auto newest = nlohmann::json::parse(digests(*p)[0].state);
    EXPECT_EQ(newest["since_ms"], berlin(7, 7, 0).time_since_epoch().count() * 1000) << "since the last one posted";
}

TEST_F(DigestSchedulerTest, AScheduleMadeAfterAFiringDoesNotPostItAsMissed) {
    auto p = process();
    const std::int64_t made = (berlin(7, 9, 30)).time_since_epoch().count() * 1000;
    p->store.put_digest_schedule({"hourly", "0 * * * *", "UTC", "C2", {}, "U1", made, false});
    for (const auto& claim : tick(*p, berlin(7, 9, 31))) EXPECT_EQ(claim.find("hourly"), std::string::npos) << claim;
    EXPECT_EQ(tick(*p, berlin(7, 10, 0)).size(), 1u) << "its first firing after it was made";
}

TEST_F(DigestSchedulerTest, SchedulesMadeInChatFireToo) {
    auto p = process();
    p->store.put_digest_schedule({"nightly", "30 23 * * *", "UTC", "C2", {}, "U1", 0, false});
    const auto next = p->scheduler.next_due(berlin(7, 9, 30));
    ASSERT_TRUE(next);
    EXPECT_EQ(*next, date::sys_days(date::year{2026} / 12 / 7) + 23h + 30min);
    const auto taken = tick(*p, *next);
    ASSERT_EQ(taken.size(), 1u);
    EXPECT_EQ(taken[0].substr(0, 15), "digest nightly ");
}

}  // namespace
}  // namespace hpops::bot
