#pragma once
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace hpops::bot {

// Refuses a signed request seen before, for as long as its timestamp would
// still be accepted. In memory: it is on every request's path. Mutating intents
// are also recorded in the store, which survives restarts.
//
// A replay carries the same signature and so the same signed timestamp, so
// requests are filed by that second: one small set per second, in a ring of
// `2 * tolerance + 1 min` seconds. A second's set is emptied when the ring
// comes round to it, by which time nothing signed in it is accepted any more.
// There is no sweep and no table of everything: under a sustained 30k req/s
// the single big hash table this replaced took 144 ms pauses to rehash
// (bench/README.md).
class ReplayGuard {
public:
    explicit ReplayGuard(std::chrono::seconds tolerance);
    ~ReplayGuard();

    // False when `key` (a request signature) was seen with the same signed
    // timestamp (Unix seconds, already checked against the tolerance).
    bool first_time(std::string_view key, std::int64_t signed_at);

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
        std::int64_t stamp = -1;
        std::vector<Digest> slots;  // size a power of two; all-zero = empty
        std::size_t used = 0;
        bool holds_zero = false;    // the all-zero digest, which marks empty slots
        bool insert(const Digest& digest);
        void reset(std::int64_t new_stamp, std::size_t start_slots);
    };
    std::vector<std::unique_ptr<Second>> ring_;
    // The table size recent busy seconds grew to, decaying by an eighth per
    // new second: a new second starts that large instead of doubling its way
    // up from a few slots (a dozen rehashes a second at 60k req/s).
    std::atomic<std::size_t> size_hint_;
};

}  // namespace hpops::bot
