#pragma once
#include <array>
#include <chrono>
#include <mutex>
#include <cstring>
#include <string_view>
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
    bool first_time(std::string_view key, std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

private:
    // Keys are kept as their SHA-256: a fixed 32 bytes in the node instead of a
    // 67-byte signature in a heap string (about 80 B per request held, not 175).
    using Digest = std::array<unsigned char, 32>;
    struct DigestHash {
        std::size_t operator()(const Digest& digest) const {
            std::size_t h;
            std::memcpy(&h, digest.data(), sizeof h);  // already uniformly distributed
            return h;
        }
    };
    struct Shard {
        std::mutex mutex;
        std::unordered_map<Digest, std::chrono::steady_clock::time_point, DigestHash> seen;  // key -> expiry
        std::chrono::steady_clock::time_point next_sweep{};
    };
    std::chrono::seconds window_;
    std::array<Shard, 16> shards_;
};

}  // namespace hpops::bot
