#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace hpops {

// One node group's or instance group's size at one sampling slot. The
// sampler (bot/capacity_sampler) writes one per group per slot; the GPU-hours
// of a digest and `/hp capacity` are read from them.
struct CapacitySample {
    std::int64_t slot_unix_ms = 0;  // the slot's start: a multiple of interval_ms
    std::int64_t interval_ms = 0;   // how long the sample stands for
    std::string region;
    std::string kind;     // "eks" or "hyperpod"
    std::string cluster;
    std::string group;    // node group or instance group name
    std::string instance_type;  // as AWS names it: g5.xlarge (EKS), ml.g5.xlarge (HyperPod)
    int count = 0;        // instances: EKS desired size, HyperPod current count
};

// The samples kept. Calls are short and synchronous (local SQLite).
class CapacitySampleStore {
public:
    virtual ~CapacitySampleStore() = default;
    // Keeps each sample unless one of its slot, region, kind, cluster and
    // group is kept already (a second replica's, or a retry's): returns how
    // many were new.
    virtual int record_capacity(const std::vector<CapacitySample>& samples) = 0;
    // Whether any sample of the slot is kept: a replica that finds one need not read AWS.
    virtual bool capacity_slot_sampled(std::int64_t slot_unix_ms) const = 0;
    // Samples with since <= slot < until, by slot then group; `group` empty: all groups.
    virtual std::vector<CapacitySample> capacity_samples(std::int64_t since_unix_ms, std::int64_t until_unix_ms,
                                                         const std::string& group) const = 0;
    // Forgets samples of slots before `before`; returns how many.
    virtual int prune_capacity_samples(std::int64_t before_unix_ms) = 0;
};

}  // namespace hpops
