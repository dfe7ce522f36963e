#pragma once
// What the capacity samples say about a period: instance-hours, GPU-hours,
// their cost, and a sparkline of each group's size. Pure functions over the
// samples, shared by `/hp capacity` and the digest's GPU-hours section.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hpops/capacity_samples.hpp"

namespace hpops::handlers {

// Sums over samples, each counted for the part of its slot inside the period.
struct Usage {
    double instance_hours = 0;
    std::optional<double> gpu_hours = 0.0;  // nullopt: a sample's type has an unknown GPU count
    double cost = 0;                        // of the samples whose type has a price
    bool priced = false;                    // some sample's type had one
    std::vector<std::string> unpriced;      // the types without a price: never counted as free
};

// One group's history in the period.
struct GroupHistory {
    CapacitySample newest;  // its region, kind, cluster, group, instance type and count now
    int fewest = 0, most = 0;
    Usage usage;
    std::vector<std::pair<std::int64_t, int>> counts;  // (slot, instances), by slot
};

// One period's samples, as read from the store.
struct SampledPeriod {
    std::int64_t since_unix_ms = 0;
    std::int64_t until_unix_ms = 0;
    const std::vector<CapacitySample>& samples;
    const std::map<std::string, double>& hourly_prices;  // clusters.hourly_prices
};

// The samples whose slot overlaps [since, until), of one group or (empty) all:
// the one before `since` too, when its slot (of `interval_ms`, the sampler's)
// reaches into the period.
std::vector<CapacitySample> samples_overlapping(const CapacitySampleStore& store, std::int64_t since_unix_ms,
                                                std::int64_t until_unix_ms, const std::string& group,
                                                std::int64_t interval_ms);

void add_usage(Usage& usage, const CapacitySample& sample, const SampledPeriod& period);
// Adds one sum to another: a total from the groups' or the types' usage.
Usage& operator+=(Usage& total, const Usage& part);

// Each group's history, by kind, cluster and group.
std::vector<GroupHistory> group_histories(const SampledPeriod& period);

// Usage per cluster ("HyperPod train", "EKS demo") and instance type.
std::map<std::pair<std::string, std::string>, Usage> usage_by_cluster_and_type(const SampledPeriod& period);

// The share (0..1) of the period that some sample covers.
double sampled_share(const SampledPeriod& period);
// "Samples cover 40% of the period …: the hours are a floor." when they cover
// less than 95% of it; empty otherwise.
std::string coverage_text(const SampledPeriod& period);

// "▁▂▅█▇" over `width` equal parts of the period, each the time-weighted mean
// count of the samples in it against the largest; a part with no sample is a
// space.
std::string sparkline(const std::vector<std::pair<std::int64_t, int>>& counts, std::int64_t interval_ms,
                      std::int64_t since_unix_ms, std::int64_t until_unix_ms, int width);

// "hpops samples each group every 5m while it runs with AWS configured", or that it does not.
std::string sampling_text(std::int64_t interval_ms);
// "EKS demo", "HyperPod train".
std::string cluster_label(const CapacitySample& sample);
// "12.5", "1,234": hours to one decimal below 100.
std::string hours_text(double hours);
// "$12.40", "$1,234"; "unknown (no price for `g5.xlarge`)" when no type had
// one; "$1,234 + unpriced `m5.large`" when some had none.
std::string cost_text(const Usage& usage);

}  // namespace hpops::handlers
