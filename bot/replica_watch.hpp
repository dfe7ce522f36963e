#pragma once
// Replicas on one store announce themselves with their config's fingerprint
// every lease/3; each compares its own with the others' and logs a warning
// naming the keys they disagree on, once per replica and set of keys. Two
// replicas with different access rules or limits would answer the same
// command two ways depending on which one Slack reached.
#include <map>
#include <string>
#include <vector>

#include "bot/periodic_task.hpp"
#include "hpops/config.hpp"
#include "hpops/replicas.hpp"

namespace hpops::bot {

class ReplicaWatch {
public:
    ReplicaWatch(boost::asio::any_io_executor executor, const Config& config, ReplicaStore& store, std::string name);

    // Announces this replica and compares once. Returns, per other replica
    // heard from within the lease, the keys that differ (empty: the same).
    std::map<std::string, std::vector<std::string>> check();

    // check() every lease/3 on its own strand until stop(), which also
    // takes this replica off the store's list.
    void start();
    void stop();

private:
    boost::asio::awaitable<std::chrono::milliseconds> round();
    void leave();

    const Config& config_;
    ReplicaStore& store_;
    const std::string name_;
    const std::string fingerprint_;  // JSON
    std::map<std::string, std::string> warned_;  // replica -> the keys last named; on the task's strand
    PeriodicTask task_;
};

}  // namespace hpops::bot
