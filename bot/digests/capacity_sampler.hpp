#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>

#include "bot/leadership.hpp"
#include "bot/periodic_task.hpp"
#include "hpops/capacity_samples.hpp"
#include "hpops/config.hpp"
#include "hpops/handler.hpp"

namespace hpops::bot {

// Records each EKS node group's and HyperPod instance group's size once per
// slot of digests.capacity_interval, for the digest's GPU-hours and
// `/hp capacity`, and forgets samples older than digests.capacity_retention.
// Slots are aligned to the epoch, so replicas on one store sample the same
// slot, and the store keeps the first sample of each (slot, group).
//
// Not a job of the job runner: a sample is a few rows written every few
// minutes, and a job row per sample would outnumber every other job.
//
// Of several replicas, only the leader (`leadership`) reads AWS for samples.
class CapacitySampler {
public:
    CapacitySampler(boost::asio::any_io_executor executor, const Config& config, const Clients& clients,
                    CapacitySampleStore& store, Leadership leadership = {});

    // Samples the slot `now` falls in, unless it is sampled already, then
    // prunes. Returns how many samples were new. UpstreamError when AWS does not answer.
    boost::asio::awaitable<int> tick(std::chrono::system_clock::time_point now);

    // Ticks at the start of each slot (and a minute after a failed one) on
    // its own strand until stop().
    void start();
    void stop();

private:
    boost::asio::awaitable<std::chrono::milliseconds> round();

    const Config& config_;
    const Clients& clients_;
    CapacitySampleStore& store_;
    Leadership leadership_;          // on the task's strand
    std::int64_t sampled_slot_ = -1;  // by this replica, as leader; on the task's strand
    PeriodicTask task_;
};

}  // namespace hpops::bot
