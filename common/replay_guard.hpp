#pragma once
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "common/log_throttle.hpp"

namespace hpops {

// Refuses a signed request seen before, for as long as its timestamp would
// still be accepted. In memory: it is on every request's path. Mutating intents
// are also recorded in the store, which survives restarts.
//
// A replay carries the same signature and so the same signed timestamp, so
// requests are filed by that second: one small set per second, in a ring of
// `2 * tolerance + 1 min` seconds. A second's set is given back once the
// newest second seen is a whole ring past it, by when nothing signed in it is
// accepted any more. There is no sweep and no table of everything: under a
// sustained 30k req/s the single big hash table this replaced took 144 ms
// pauses to rehash (bench/README.md).
//
// Memory follows use: each second's table starts small and doubles with what
// that second holds. Seconds were once started at the size of the busiest
// recent one: after one second of 150k requests every later second took
// 16 MiB, zero-filled, and spread traffic fell from 70k to 12 req/s while RSS
// passed 1.4 GiB (issue 11). At most `max_signatures` are remembered; beyond
// that new ones are refused, not older ones forgotten, since forgetting would
// let a replay through.
class ReplayGuard {
public:
    enum class Verdict { first_time, replay, window_full };

    ReplayGuard(std::chrono::seconds tolerance, std::size_t max_signatures);
    ~ReplayGuard();

    // Whether `key` (a request signature) was seen with the same signed
    // timestamp (Unix seconds, already checked against the tolerance), or
    // cannot be remembered because the guard is full.
    Verdict check(std::string_view key, std::int64_t signed_at);

    std::size_t remembered() const { return remembered_.load(std::memory_order_relaxed); }
    // Bytes of the seconds' tables, for tests and benchmarks.
    std::size_t bytes_reserved() const { return bytes_reserved_.load(std::memory_order_relaxed); }

private:
    // The signature's 256 bits as four words, which compare inline: as a byte
    // array every probe went through memcmp twice (bench/README.md).
    struct Digest {
        std::array<std::uint64_t, 4> words{};
        bool operator==(const Digest& other) const {
            return ((words[0] ^ other.words[0]) | (words[1] ^ other.words[1]) | (words[2] ^ other.words[2]) |
                    (words[3] ^ other.words[3])) == 0;
        }
    };
    // Open addressing over fixed 32-byte slots: no allocation per request.
    struct Second {
        std::mutex mutex;
        std::int64_t stamp = std::numeric_limits<std::int64_t>::min();  // none
        std::vector<Digest> slots;  // empty, or a power of two; all-zero = empty slot
        std::size_t used = 0;       // entries, counting the all-zero digest
        bool holds_zero = false;    // the all-zero digest, which marks empty slots
    };
    enum class Added { yes, already, no_room };

    Added add(Second& second, const Digest& digest);
    void grow(Second& second);
    void forget(Second& second);  // with its mutex held
    void forget_expired(std::int64_t signed_at);
    Second& second_for(std::int64_t stamp);

    std::vector<std::unique_ptr<Second>> ring_;
    const std::size_t max_signatures_;
    std::atomic<std::size_t> remembered_{0};
    std::atomic<std::size_t> bytes_reserved_{0};
    std::atomic<std::int64_t> newest_{std::numeric_limits<std::int64_t>::min()};
    LogThrottle full_log_;
};

}  // namespace hpops
