#pragma once
#include <array>
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace hpops::bot {

// Remembers signed requests for as long as their timestamp is acceptable, so a
// captured request replayed within that window is refused. In memory: it is on
// every request's path. Mutating intents are also recorded in the store, which
// survives restarts.
class ReplayGuard {
public:
    explicit ReplayGuard(std::chrono::seconds window) : window_(window) {}

    // False when `key` was seen within the window.
    bool first_time(const std::string& key, std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

private:
    struct Shard {
        std::mutex mutex;
        std::unordered_map<std::string, std::chrono::steady_clock::time_point> seen;  // key -> expiry
        std::chrono::steady_clock::time_point next_sweep{};
    };
    std::chrono::seconds window_;
    std::array<Shard, 16> shards_;
};

}  // namespace hpops::bot
