#include "bot/filters/replay_guard.hpp"

#include "bot/crypto.hpp"

namespace hpops::bot {

bool ReplayGuard::first_time(std::string_view key, std::chrono::steady_clock::time_point now) {
    Digest digest;
    const std::string bytes = sha256(key);
    std::memcpy(digest.data(), bytes.data(), digest.size());
    Shard& shard = shards_[digest[31] % shards_.size()];
    std::lock_guard lock(shard.mutex);
    if (now >= shard.next_sweep) {
        std::erase_if(shard.seen, [now](const auto& entry) { return entry.second <= now; });
        shard.next_sweep = now + std::chrono::seconds(10);
    }
    // Twice the window: a timestamp can be accepted up to `window` either side of now.
    auto [it, inserted] = shard.seen.try_emplace(digest, now + 2 * window_);
    if (inserted) return true;
    if (it->second <= now) {
        it->second = now + 2 * window_;
        return true;
    }
    return false;
}

}  // namespace hpops::bot
