#include "bot/filters/replay_guard.hpp"

#include <functional>

namespace hpops::bot {

bool ReplayGuard::first_time(const std::string& key, std::chrono::steady_clock::time_point now) {
    Shard& shard = shards_[std::hash<std::string>{}(key) % shards_.size()];
    std::lock_guard lock(shard.mutex);
    if (now >= shard.next_sweep) {
        std::erase_if(shard.seen, [now](const auto& entry) { return entry.second <= now; });
        shard.next_sweep = now + std::chrono::seconds(10);
    }
    // Twice the window: a timestamp can be accepted up to `window` either side of now.
    auto [it, inserted] = shard.seen.try_emplace(key, now + 2 * window_);
    if (inserted) return true;
    if (it->second <= now) {
        it->second = now + 2 * window_;
        return true;
    }
    return false;
}

}  // namespace hpops::bot
