#include "bot/filters/replay_guard.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

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

constexpr std::size_t initial_slots = 64;

}  // namespace

ReplayGuard::ReplayGuard(std::chrono::seconds tolerance) : size_hint_(initial_slots) {
    const auto seconds = static_cast<std::size_t>(2 * std::max<std::int64_t>(tolerance.count(), 0) + 60);
    ring_.reserve(seconds);
    for (std::size_t i = 0; i < seconds; ++i) ring_.push_back(std::make_unique<Second>());
}

ReplayGuard::~ReplayGuard() = default;

void ReplayGuard::Second::reset(std::int64_t new_stamp, std::size_t start_slots) {
    stamp = new_stamp;
    used = 0;
    holds_zero = false;
    // A fresh table of the size recent seconds needed (a power of two), which
    // also gives back what this slot held at a busier time, 11 minutes ago.
    std::vector<Digest>(std::bit_ceil(std::max(start_slots, initial_slots)), Digest{}).swap(slots);
}

bool ReplayGuard::Second::insert(const Digest& digest) {
    static const Digest empty{};
    if (digest == empty) {
        if (holds_zero) return false;
        return holds_zero = true;
    }
    if (2 * (used + 1) > slots.size()) {  // keep the load under one half
        std::vector<Digest> old(slots.size() * 2, Digest{});
        old.swap(slots);
        used = 0;
        for (const auto& d : old)
            if (d != empty) insert(d);
    }
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = digest.words[0] & mask;; i = (i + 1) & mask) {  // digests are uniformly distributed
        if (slots[i] == empty) {
            slots[i] = digest;
            ++used;
            return true;
        }
        if (slots[i] == digest) return false;
    }
}

bool ReplayGuard::first_time(std::string_view key, std::int64_t signed_at) {
    std::array<unsigned char, 32> bytes;
    if (!decode_slack_signature(key, bytes)) std::memcpy(bytes.data(), sha256(key).data(), bytes.size());
    Digest digest;
    std::memcpy(digest.words.data(), bytes.data(), bytes.size());
    const auto n = static_cast<std::int64_t>(ring_.size());
    Second& second = *ring_[static_cast<std::size_t>(((signed_at % n) + n) % n)];
    std::lock_guard lock(second.mutex);
    if (second.stamp != signed_at) {
        const std::size_t hint = size_hint_.load(std::memory_order_relaxed);
        second.reset(signed_at, hint);
        size_hint_.store(std::max(initial_slots, hint - hint / 8), std::memory_order_relaxed);
    }
    const bool fresh = second.insert(digest);
    if (second.slots.size() > size_hint_.load(std::memory_order_relaxed))
        size_hint_.store(second.slots.size(), std::memory_order_relaxed);
    return fresh;
}

}  // namespace hpops::bot
