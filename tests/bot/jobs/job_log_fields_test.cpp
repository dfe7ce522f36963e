// What a job's log lines say of the command that began it.
#include "bot/jobs/job_log_fields.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/sqlite_store.hpp"

namespace hpops::bot {
namespace {

class JobLogFields : public ::testing::Test {
protected:
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("hpops-job-log-fields-" + std::to_string(::getpid()) + ".db");
    void TearDown() override {
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    }
    static JobRecord job_of(std::int64_t audit_id) {
        JobRecord job;
        job.id = 12;
        job.kind = "scale_nodegroup";
        job.actor_id = "UJOB01";
        job.audit_id = audit_id;
        return job;
    }
};

TEST_F(JobLogFields, ComeFromTheJobsAuditRow) {
    store::SqliteStore store(path.string());
    AuditRecord row;
    row.actor_id = "UOPS01";
    row.command = "scale nodegroup";
    row.outcome = "started";
    row.request_id = "4f1c2a9d0b7e8c61";
    const JobOrigin origin = job_origin(job_of(store.append_audit(row)), &store);
    EXPECT_EQ(origin.request_id, "4f1c2a9d0b7e8c61");
    EXPECT_EQ(origin.actor, "UOPS01");
    EXPECT_EQ(origin.command, "scale nodegroup");

    const log::Fields fields = log_fields(origin, 12, "aws-req-1");
    EXPECT_EQ(fields.request_id, "4f1c2a9d0b7e8c61");
    EXPECT_EQ(fields.job_id, 12);
    EXPECT_EQ(fields.backend_request_id, "aws-req-1");
}

TEST_F(JobLogFields, AJobWithoutARowNamesItsActorAndKind) {
    store::SqliteStore store(path.string());
    for (const JobOrigin& origin : {job_origin(job_of(0), &store), job_origin(job_of(99), &store),
                                    job_origin(job_of(1), nullptr)}) {
        EXPECT_EQ(origin.request_id, "");
        EXPECT_EQ(origin.actor, "UJOB01");
        EXPECT_EQ(origin.command, "scale_nodegroup");
    }
}

}  // namespace
}  // namespace hpops::bot
