// Leases on either backend: one holder at a time among replicas, a token
// that grows when the lease changes hands, and job steps fenced by it.
#include <gtest/gtest.h>

#include <thread>

#include "tests/store/store_backends.hpp"

namespace hpops::store::testing {
namespace {

using namespace std::chrono_literals;

class StoreLeases : public StoreBackendTest {};

TEST_P(StoreLeases, OneHolderAtATimeAndTheTokenGrowsOnlyWhenItChangesHands) {
    const auto a = open(), b = open();  // two replicas
    const std::int64_t first = a->claim_lease("digest-scheduler", "replica-a", 400ms);
    EXPECT_GT(first, 0);
    EXPECT_EQ(b->claim_lease("digest-scheduler", "replica-b", 400ms), 0) << "held by a";
    EXPECT_EQ(a->claim_lease("digest-scheduler", "replica-a", 400ms), first) << "renewing keeps the token";
    EXPECT_GT(b->claim_lease("alerts C1", "replica-b", 400ms), 0) << "another name is free";

    std::this_thread::sleep_for(500ms);  // a stopped renewing: its lease expired
    const std::int64_t taken = b->claim_lease("digest-scheduler", "replica-b", 10s);
    EXPECT_GT(taken, first);
    EXPECT_EQ(a->claim_lease("digest-scheduler", "replica-a", 10s), 0);

    b->release_lease("digest-scheduler", "replica-b");
    EXPECT_GT(a->claim_lease("digest-scheduler", "replica-a", 10s), taken) << "released: free at once";
    a->release_lease("digest-scheduler", "replica-b");  // not the holder: nothing happens
    EXPECT_EQ(b->claim_lease("digest-scheduler", "replica-b", 10s), 0);
}

JobRecord running_job() {
    JobRecord job;
    job.kind = "scale";
    job.state = "{}";
    job.created_unix_ms = 1;
    job.next_run_unix_ms = 1;
    job.deadline_unix_ms = 0;
    return job;
}

TEST_P(StoreLeases, AJobStepIsWrittenOnlyByTheRunnerHoldingItsLease) {
    const auto a = open(), b = open();
    JobRecord job = running_job();
    job.id = a->create_job(job);
    job.fence = a->lease_job(job.id, "replica-a", 300ms);
    ASSERT_GT(job.fence, 0);
    EXPECT_EQ(b->lease_job(job.id, "replica-b", 300ms), 0) << "held by a";
    EXPECT_EQ(a->renew_job_leases("replica-a", 300ms), 1);
    job.state = R"({"step":1})";
    a->save_step(job, JobEvent{2, "a's step"});
    EXPECT_EQ(a->job(job.id)->fence, job.fence);

    std::this_thread::sleep_for(400ms);  // a went quiet: b takes the job over
    JobRecord taken = *b->job(job.id);
    taken.fence = b->lease_job(job.id, "replica-b", 10s);
    EXPECT_GT(taken.fence, job.fence);
    EXPECT_EQ(taken.state, R"({"step":1})") << "b carries on from a's last step";

    job.state = R"({"step":"stale"})";
    EXPECT_THROW(a->save_step(job, JobEvent{3, "a, too late"}), LeaseLost);
    taken.state = R"({"step":2})";
    b->save_step(taken, JobEvent{3, "b's step"});
    EXPECT_EQ(b->job(job.id)->state, R"({"step":2})");
    const auto events = b->job_events(job.id, 10);
    ASSERT_EQ(events.size(), 2u) << "a's late step left no trace";
    EXPECT_EQ(events[0].what, "b's step");

    b->release_job_leases("replica-b");
    EXPECT_GT(a->lease_job(job.id, "replica-a", 10s), taken.fence) << "released on a clean stop: free at once";
}

// The runner that finished a job died before editing its message: once the
// lease has run out, one replica (not two) claims the final edit.
TEST_P(StoreLeases, AFinalStateNoMessageShowsIsClaimedOnceAfterTheLease) {
    const auto a = open(), b = open();
    JobRecord job = running_job();
    job.id = a->create_job(job);
    job.fence = a->lease_job(job.id, "replica-a", 300ms);
    job.status = JobStatus::done;
    job.updated_unix_ms = job.finished_unix_ms = 5000;
    a->save_step(job, JobEvent{5000, "done"});
    EXPECT_TRUE(b->claim_unshown_finished_jobs(0, 10).empty()) << "a still holds the lease: it may yet edit";
    std::this_thread::sleep_for(400ms);
    const auto claimed = b->claim_unshown_finished_jobs(0, 10);
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_EQ(claimed[0].status, JobStatus::done);
    EXPECT_TRUE(a->claim_unshown_finished_jobs(0, 10).empty()) << "claimed once";

    JobRecord shown = running_job();
    shown.id = a->create_job(shown);
    shown.status = JobStatus::failed;
    shown.updated_unix_ms = shown.finished_unix_ms = 6000;
    a->save_step(shown, JobEvent{6000, "failed"});
    a->mark_shown(shown.id, 6000);
    EXPECT_TRUE(b->claim_unshown_finished_jobs(0, 10).empty()) << "its message shows it already";
}

// A cancel asked on replica b reaches the runner on replica a through the
// row, and stays named after the first to ask.
TEST_P(StoreLeases, ACancelAskedOnAnyReplicaIsInTheJobsRow) {
    const auto a = open(), b = open();
    JobRecord job = running_job();
    job.id = a->create_job(job);
    job.fence = a->lease_job(job.id, "replica-a", 10s);
    EXPECT_EQ(a->job(job.id)->cancel_by, "");
    EXPECT_TRUE(b->request_cancel(job.id, "U_B"));
    EXPECT_TRUE(a->request_cancel(job.id, "U_A"));
    EXPECT_EQ(a->job(job.id)->cancel_by, "U_B");
    job.state = R"({"step":1})";
    a->save_step(job, JobEvent{2, "a's step, under way when b asked"});
    EXPECT_EQ(a->job(job.id)->cancel_by, "U_B") << "a step saved meanwhile does not drop the request";

    job.status = JobStatus::cancelled;
    a->save_step(job, JobEvent{3, "cancelled"});
    EXPECT_FALSE(b->request_cancel(job.id, "U_B")) << "ended: nothing to cancel";
    EXPECT_FALSE(b->request_cancel(job.id + 100, "U_B")) << "no such job";
}

TEST_P(StoreLeases, ReplicasSeeEachOthersConfigWhileTheyAnnounceThemselves) {
    const auto a = open(), b = open();
    EXPECT_TRUE(a->announce_replica("host-a:8080", R"({"k":"1"})", 10s).empty()) << "alone so far";
    const auto seen_by_b = b->announce_replica("host-b:8080", R"({"k":"2"})", 10s);
    ASSERT_EQ(seen_by_b.size(), 1u);
    EXPECT_EQ(seen_by_b[0].name, "host-a:8080");
    EXPECT_EQ(seen_by_b[0].config, R"({"k":"1"})");
    a->announce_replica("host-a:8080", R"({"k":"3"})", 10s);
    EXPECT_EQ(b->announce_replica("host-b:8080", "{}", 10s).at(0).config, R"({"k":"3"})") << "the latest wins";

    std::this_thread::sleep_for(400ms);
    EXPECT_TRUE(b->announce_replica("host-b:8080", "{}", 300ms).empty()) << "a went quiet longer than asked";
    a->announce_replica("host-a:8080", "{}", 10s);
    a->forget_replica("host-a:8080");
    EXPECT_TRUE(b->announce_replica("host-b:8080", "{}", 10s).empty()) << "a stopped cleanly";
}

HPOPS_ON_BOTH_STORES(StoreLeases);

}  // namespace
}  // namespace hpops::store::testing
