#include "bot/filters/replay_guard.hpp"

#include "bot/crypto.hpp"

namespace hpops::bot {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// A Slack signature ("v0=" + 64 lowercase hex) already is a SHA-256 value:
// decoding it is cheaper than hashing it again.
bool decode_slack_signature(std::string_view key, std::array<unsigned char, 32>& out) {
    if (key.size() != 67 || !key.starts_with("v0=")) return false;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int high = hex_value(key[3 + 2 * i]), low = hex_value(key[4 + 2 * i]);
        if (high < 0 || low < 0) return false;
        out[i] = static_cast<unsigned char>(high << 4 | low);
    }
    return true;
}

}  // namespace

bool ReplayGuard::first_time(std::string_view key, std::chrono::steady_clock::time_point now) {
    Digest digest;
    if (!decode_slack_signature(key, digest)) {
        const std::string bytes = sha256(key);
        std::memcpy(digest.data(), bytes.data(), digest.size());
    }
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
