#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hpops {

class CapacitySampleStore;
class DigestScheduleStore;

struct AuditRecord {
    std::int64_t id = 0;
    std::int64_t time_unix_ms = 0;
    std::string platform;    // "slack", "terminal"
    std::string actor_id;
    std::string actor_name;
    std::string channel;
    std::string command;     // canonical command key
    std::string arguments;   // the intent as command text
    std::string outcome;     // "started", "ok", "denied", "failed", "cancelled", "confirm-requested"
    std::string detail;      // error message or result summary
    std::string request_id;          // ours
    std::string backend_request_id;  // the AWS / Kubernetes / MLflow request id, where known
};

// Which audit rows audit_history() reads, newest first.
struct AuditQuery {
    std::int64_t since_unix_ms = 0;  // rows at or after this time
    // Only rows whose command text names this after the command: as an
    // argument (`scale nodegroup gpu-ng`) or an option's value (`cluster=prod`),
    // compared exactly. Empty: every row.
    std::string mentions;
    std::size_t limit = 20;
};

// Embedded persistence. Calls are synchronous and short (local SQLite);
// callers on the request path keep them off hot loops.
class Store {
public:
    virtual ~Store() = default;

    virtual std::int64_t append_audit(const AuditRecord& record) = 0;
    virtual void finish_audit(std::int64_t id, const std::string& outcome, const std::string& detail,
                              const std::string& backend_request_id = {}) = 0;
    virtual std::vector<AuditRecord> recent_audit(std::size_t limit) const = 0;
    // One row by id (a job's, for the request id its log lines carry); nullopt when there is none.
    virtual std::optional<AuditRecord> audit_record(std::int64_t id) const = 0;
    // What was done or tried (`/hp history`): the rows of `query`, leaving out
    // those that only asked for a confirmation (its answer has a row of its own).
    virtual std::vector<AuditRecord> audit_history(const AuditQuery& query) const = 0;

    // Records a request key until `expires`. False if the key was already
    // recorded and has not expired: the request is a replay.
    virtual bool remember_request(const std::string& key, std::chrono::system_clock::time_point expires) = 0;

    virtual bool healthy() const = 0;
    virtual std::string describe() const = 0;  // "sqlite /var/lib/hpops/hpops.db (WAL)"

    // The digest schedules made in chat; null for a store that keeps none.
    virtual DigestScheduleStore* digest_schedules() { return nullptr; }
    // The fleet's capacity over time; null for a store that keeps none.
    virtual CapacitySampleStore* capacity_samples() { return nullptr; }
};

}  // namespace hpops
