#pragma once
// Everything the bot keeps apart from alerts, behind one object whichever
// database holds it: SQLite (store/sqlite_store) or PostgreSQL
// (store/postgres). The composition root (bot/open_store) picks one.
#include "hpops/capacity_samples.hpp"
#include "hpops/digest_schedules.hpp"
#include "hpops/job.hpp"
#include "hpops/leases.hpp"
#include "hpops/replicas.hpp"
#include "hpops/store.hpp"

namespace hpops::store {

class Database : public hpops::Store,
                 public hpops::JobStore,
                 public hpops::DigestScheduleStore,
                 public hpops::CapacitySampleStore,
                 public hpops::LeaseStore,
                 public hpops::ReplicaStore {
public:
    DigestScheduleStore* digest_schedules() override { return this; }
    CapacitySampleStore* capacity_samples() override { return this; }
    using DigestScheduleStore::digest_schedules;
    using CapacitySampleStore::capacity_samples;
};

}  // namespace hpops::store
