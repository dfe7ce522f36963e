#pragma once
// Grafana signs a payload but puts nothing in it that makes each delivery
// unique, so a captured request could be sent again: a resolved alert would
// fire again. Signatures are remembered (in a ReplayGuard of their own) and a
// repeat is refused with 409 (Grafana does not retry a 4xx, which is right
// for a replay).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/replay_guard.hpp"

namespace hpops::alerts {

// How long the guard must remember: the timestamp tolerance with a signed
// timestamp; two periods of `window` without one (see grafana_first_delivery).
std::chrono::seconds grafana_replay_memory(std::chrono::seconds timestamp_tolerance, std::chrono::seconds window);

// `replay` when a delivery signed `signature_hex` has been seen before;
// `window_full` when the guard cannot remember another (refuse, retry later). With a
// signed timestamp (`signed_at`, Unix seconds, already checked against the
// tolerance), it is filed under that second, as Slack's are: a replay carries
// the same one. Without one there is no window to rely on, so it is filed
// under the `window`-long period it arrived in and looked for in the period
// before too: a repeat is refused for at least `window` (and at most two).
ReplayGuard::Verdict grafana_first_delivery(ReplayGuard& guard, std::string_view signature_hex, std::optional<std::int64_t> signed_at,
                            std::chrono::seconds window, std::int64_t now_unix_s);

}  // namespace hpops::alerts
