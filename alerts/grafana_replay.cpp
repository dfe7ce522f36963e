#include "alerts/grafana_replay.hpp"

#include <algorithm>
#include <string>

namespace hpops::alerts {

std::chrono::seconds grafana_replay_memory(std::chrono::seconds timestamp_tolerance, std::chrono::seconds window) {
    return std::max(timestamp_tolerance, 2 * window);
}

ReplayGuard::Verdict grafana_first_delivery(ReplayGuard& guard, std::string_view signature_hex, std::optional<std::int64_t> signed_at,
                            std::chrono::seconds window, std::int64_t now_unix_s) {
    // The signature check ignores the hex digits' case; so must the memory of it.
    std::string key(signature_hex);
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (signed_at) return guard.check(key, *signed_at);
    using Verdict = ReplayGuard::Verdict;
    const std::int64_t period = std::max<std::int64_t>(window.count(), 1);
    const std::int64_t this_period = now_unix_s - now_unix_s % period;
    // Both calls record the signature, so a repeat in the next period still finds it.
    const Verdict now = guard.check(key, this_period);
    if (now == Verdict::window_full) return now;
    const Verdict before = guard.check(key, this_period - period);
    if (before == Verdict::window_full) return before;
    return now == Verdict::first_time && before == Verdict::first_time ? Verdict::first_time : Verdict::replay;
}

}  // namespace hpops::alerts
