#pragma once
// Replicas of hpops on one store make themselves known, each with a
// fingerprint of its configuration, so that replicas run with different
// configurations (a rollout half done, a ConfigMap edited by hand) are named
// in the log instead of answering the same command two ways.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace hpops {

struct ReplicaSeen {
    std::string name;     // host:port
    std::string config;   // JSON object: config key -> fingerprint of its value
    std::int64_t seen_unix_ms = 0;
};

class ReplicaStore {
public:
    virtual ~ReplicaStore() = default;
    // Records that `name` runs now with `config`, and returns the other
    // replicas heard from within `within`, judged by the store's clock.
    virtual std::vector<ReplicaSeen> announce_replica(const std::string& name, const std::string& config,
                                                      std::chrono::milliseconds within) = 0;
    // A clean stop: the replica is no longer compared with.
    virtual void forget_replica(const std::string& name) = 0;
};

}  // namespace hpops
