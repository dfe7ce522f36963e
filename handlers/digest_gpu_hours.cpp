#include "handlers/digest_gpu_hours.hpp"

#include "handlers/capacity_history.hpp"
#include "hpops/config.hpp"
#include "hpops/store.hpp"

namespace hpops::handlers {

DigestSection gpu_hours_section(const DigestInputs& in) {
    DigestSection section{"gpu-hours", "GPU-hours",
                          {},
                          {{"cluster", "instance type", "instance-hours", "GPU-hours", "est. cost"}, {}},
                          {}};
    CapacitySampleStore* kept = in.store ? in.store->capacity_samples() : nullptr;
    if (!kept) {
        section.problem = "this hpops's store keeps no capacity samples";
        return section;
    }
    const std::vector<CapacitySample> samples = samples_overlapping(*kept, in.since_unix_ms, in.until_unix_ms, "",
                                                                    in.config.digests.capacity_interval.count());
    const SampledPeriod period{in.since_unix_ms, in.until_unix_ms, samples, in.config.clusters.hourly_prices};
    if (samples.empty()) {
        section.lines.push_back("No capacity was sampled in the period: " +
                                sampling_text(in.config.digests.capacity_interval.count()) + ".");
        return section;
    }
    Usage total;
    for (const auto& [key, usage] : usage_by_cluster_and_type(period)) {
        total += usage;
        section.table.rows.push_back({key.first, key.second, hours_text(usage.instance_hours),
                                      usage.gpu_hours ? hours_text(*usage.gpu_hours) : "unknown", cost_text(usage)});
    }
    cap_rows(section, 15, "clusters and instance types", "`/hp capacity`");
    std::string line = "Total: *" + (total.gpu_hours ? hours_text(*total.gpu_hours) : std::string("unknown")) +
                       " GPU-hours*";
    line += ", est. cost " + cost_text(total);
    section.lines.push_back(line + ".");
    if (const std::string coverage = coverage_text(period); !coverage.empty()) section.lines.push_back(coverage);
    return section;
}

}  // namespace hpops::handlers
