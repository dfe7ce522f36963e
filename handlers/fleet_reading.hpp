#pragma once
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <string>
#include <vector>

#include "hpops/capacity_samples.hpp"

namespace hpops {
struct Clients;
struct Config;
}  // namespace hpops

namespace hpops::handlers {

// One EKS node group or HyperPod instance group as the fleet reads now.
struct FleetGroup {
    std::string kind;      // "eks" or "hyperpod"
    std::string cluster;
    std::string group;
    std::string instance_type;  // an EKS group's first (a group of several types is rare)
    std::string instance_types; // all of them, comma-separated
    int count = 0;              // instances: EKS desired size, HyperPod current count
    std::string capacity;       // "1/2/4 min/desired/max", "3/4 current/target"
    std::string status;
};

struct FleetReading {
    std::vector<FleetGroup> groups;  // EKS's, then HyperPod's
    std::size_t eks_clusters = 0;    // found, before `max_clusters` cut them
    std::size_t hyperpod_clusters = 0;
};

// Every group of the configured region's clusters (aws.eks_cluster only, when
// set), reading at most `max_clusters` of each kind. UpstreamError when AWS
// does not answer.
boost::asio::awaitable<FleetReading> read_fleet(const Clients& clients, const Config& config, std::size_t max_clusters);

// The reading as samples of the slot starting at `slot_unix_ms`.
std::vector<CapacitySample> as_samples(const FleetReading& fleet, const std::string& region, std::int64_t slot_unix_ms,
                                       std::int64_t interval_ms);

}  // namespace hpops::handlers
