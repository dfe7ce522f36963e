#pragma once
// The Database on PostgreSQL, for several replicas sharing one store: each
// call leases a pooled connection, and what must happen once across replicas
// (a replayed request, a claimed job, a sampled slot) is decided by a unique
// key in one statement, as on SQLite.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "store/database.hpp"
#include "store/postgres/pg_pool.hpp"

namespace hpops::store {

class PostgresStore final : public Database {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    // Connects lazily: construction never fails on an unreachable database,
    // so hpops starts, says not ready, and migrates once it can connect.
    explicit PostgresStore(pg::PoolSettings settings, Clock clock = &std::chrono::system_clock::now);

    std::int64_t append_audit(const AuditRecord& record) override;
    void finish_audit(std::int64_t id, const std::string& outcome, const std::string& detail,
                      const std::string& backend_request_id = {}) override;
    std::vector<AuditRecord> recent_audit(std::size_t limit) const override;
    std::optional<AuditRecord> audit_record(std::int64_t id) const override;
    std::vector<AuditRecord> audit_history(const AuditQuery& query) const override;
    bool remember_request(const std::string& key, std::chrono::system_clock::time_point expires) override;
    bool healthy() const override;
    std::string describe() const override;

    std::size_t purge_expired_requests();
    int schema_version() const;

    // JobStore (postgres_store_jobs.cpp).
    std::int64_t create_job(const JobRecord& job) override;
    bool claimed(const std::string& claim) const override;
    std::optional<JobRecord> job(std::int64_t id) const override;
    std::vector<JobRecord> due_jobs(std::int64_t now_unix_ms, std::size_t limit) const override;
    std::vector<JobRecord> running_jobs() const override;
    std::vector<JobRecord> recent_jobs(std::optional<JobStatus> status, std::int64_t since_unix_ms,
                                       std::size_t limit) const override;
    void save_step(const JobRecord& job, const JobEvent& event) override;
    void set_message(std::int64_t id, const JobMessage& message) override;
    bool request_cancel(std::int64_t id, const std::string& by) override;
    std::vector<JobEvent> job_events(std::int64_t id, std::size_t limit) const override;
    std::int64_t lease_job(std::int64_t id, const std::string& owner, std::chrono::milliseconds ttl) override;
    int renew_job_leases(const std::string& owner, std::chrono::milliseconds ttl) override;
    void release_job_leases(const std::string& owner) override;
    void mark_shown(std::int64_t id, std::int64_t updated_unix_ms) override;
    std::vector<JobRecord> claim_unshown_finished_jobs(std::int64_t finished_since_unix_ms, std::size_t limit) override;

    // LeaseStore (postgres_store_leases.cpp): the leases table, judged by the database's clock.
    std::int64_t claim_lease(const std::string& name, const std::string& owner,
                             std::chrono::milliseconds ttl) override;
    void release_lease(const std::string& name, const std::string& owner) override;

    // ReplicaStore (postgres_store_replicas.cpp): the replicas table, judged by the database's clock.
    std::vector<ReplicaSeen> announce_replica(const std::string& name, const std::string& config,
                                              std::chrono::milliseconds within) override;
    void forget_replica(const std::string& name) override;

    // DigestScheduleStore (postgres_store_digests.cpp).
    void put_digest_schedule(const DigestSchedule& schedule) override;
    bool delete_digest_schedule(const std::string& name) override;
    using Database::digest_schedules;
    std::vector<DigestSchedule> digest_schedules() const override;

    // CapacitySampleStore (postgres_store_capacity.cpp).
    int record_capacity(const std::vector<CapacitySample>& samples) override;
    bool capacity_slot_sampled(std::int64_t slot_unix_ms) const override;
    using Database::capacity_samples;
    std::vector<CapacitySample> capacity_samples(std::int64_t since_unix_ms, std::int64_t until_unix_ms,
                                                 const std::string& group) const override;
    int prune_capacity_samples(std::int64_t before_unix_ms) override;

    static constexpr std::size_t purge_interval = 1000;

private:
    pg::Lease lease() const { return pool_->lease(); }

    Clock clock_;
    std::string description_;
    std::unique_ptr<pg::Pool> pool_;
    std::atomic<std::size_t> inserts_since_purge_{0};
};

}  // namespace hpops::store
