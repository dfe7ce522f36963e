#include "common/replay_guard.hpp"

#include <algorithm>
#include <cstring>
#include <spdlog/spdlog.h>

#include "common/crypto.hpp"

namespace hpops {
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
constexpr std::int64_t no_stamp = std::numeric_limits<std::int64_t>::min();

}  // namespace

ReplayGuard::ReplayGuard(std::chrono::seconds tolerance, std::size_t max_signatures)
    : max_signatures_(max_signatures) {
    const auto seconds = static_cast<std::size_t>(2 * std::max<std::int64_t>(tolerance.count(), 0) + 60);
    ring_.reserve(seconds);
    for (std::size_t i = 0; i < seconds; ++i) ring_.push_back(std::make_unique<Second>());
}

ReplayGuard::~ReplayGuard() = default;

ReplayGuard::Second& ReplayGuard::second_for(std::int64_t stamp) {
    const auto n = static_cast<std::int64_t>(ring_.size());
    return *ring_[static_cast<std::size_t>(((stamp % n) + n) % n)];
}

void ReplayGuard::forget(Second& second) {
    remembered_.fetch_sub(second.used, std::memory_order_relaxed);
    bytes_reserved_.fetch_sub(second.slots.size() * sizeof(Digest), std::memory_order_relaxed);
    std::vector<Digest>().swap(second.slots);
    second.stamp = no_stamp;
    second.used = 0;
    second.holds_zero = false;
}

void ReplayGuard::forget_expired(std::int64_t signed_at) {
    std::int64_t newest = newest_.load(std::memory_order_relaxed);
    do {
        if (signed_at <= newest) return;
    } while (!newest_.compare_exchange_weak(newest, signed_at, std::memory_order_relaxed));
    // Only the thread that moved the newest second forward gets here. Nothing
    // signed a whole ring before it is accepted any more; the seconds that
    // just fell that far behind are the ones filed where the new ones go.
    const auto n = static_cast<std::int64_t>(ring_.size());
    const std::int64_t expired_up_to = signed_at - n;
    for (std::int64_t stamp = std::max(newest, expired_up_to) + 1; stamp <= signed_at; ++stamp) {
        Second& second = second_for(stamp);
        std::lock_guard lock(second.mutex);
        if (second.stamp != no_stamp && second.stamp <= expired_up_to) forget(second);
    }
}

void ReplayGuard::grow(Second& second) {
    static const Digest empty{};
    std::vector<Digest> old(std::max(initial_slots, second.slots.size() * 2), Digest{});
    old.swap(second.slots);
    bytes_reserved_.fetch_add((second.slots.size() - old.size()) * sizeof(Digest), std::memory_order_relaxed);
    const std::size_t mask = second.slots.size() - 1;
    for (const auto& digest : old) {
        if (digest == empty) continue;
        std::size_t i = digest.words[0] & mask;
        while (second.slots[i] != empty) i = (i + 1) & mask;
        second.slots[i] = digest;
    }
}

ReplayGuard::Added ReplayGuard::add(Second& second, const Digest& digest) {
    static const Digest empty{};
    auto room_for_one = [this] {
        if (remembered_.fetch_add(1, std::memory_order_relaxed) < max_signatures_) return true;
        remembered_.fetch_sub(1, std::memory_order_relaxed);
        return false;
    };
    if (digest == empty) {
        if (second.holds_zero) return Added::already;
        if (!room_for_one()) return Added::no_room;
        second.holds_zero = true;
        ++second.used;
        return Added::yes;
    }
    const std::size_t in_slots = second.used - (second.holds_zero ? 1 : 0);
    if (2 * (in_slots + 1) > second.slots.size()) grow(second);  // keep the load under one half
    const std::size_t mask = second.slots.size() - 1;
    for (std::size_t i = digest.words[0] & mask;; i = (i + 1) & mask) {  // digests are uniformly distributed
        if (second.slots[i] == digest) return Added::already;
        if (second.slots[i] == empty) {
            if (!room_for_one()) return Added::no_room;
            second.slots[i] = digest;
            ++second.used;
            return Added::yes;
        }
    }
}

ReplayGuard::Verdict ReplayGuard::check(std::string_view key, std::int64_t signed_at) {
    std::array<unsigned char, 32> bytes;
    if (!decode_slack_signature(key, bytes)) std::memcpy(bytes.data(), sha256(key).data(), bytes.size());
    Digest digest;
    std::memcpy(digest.words.data(), bytes.data(), bytes.size());
    forget_expired(signed_at);
    Second& second = second_for(signed_at);
    Added added;
    {
        std::lock_guard lock(second.mutex);
        if (second.stamp != signed_at) {
            forget(second);
            second.stamp = signed_at;
        }
        added = add(second, digest);
    }
    if (added == Added::yes) return Verdict::first_time;
    if (added == Added::already) return Verdict::replay;
    if (auto held_back = full_log_.allow())
        spdlog::warn("replay guard full: {} signed requests remembered (server.max_replay_signatures); "
                     "new ones get 503 ({} more refused since the last report)",
                     max_signatures_, *held_back);
    return Verdict::window_full;
}

}  // namespace hpops
