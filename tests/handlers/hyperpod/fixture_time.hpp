#pragma once
// The instant the HyperPod handlers' tests read their fixtures at: a pod's,
// job's or NodeClaim's age in a reply counts from it.
#include <chrono>

#include "common/timestamps.hpp"

namespace hpops::handlers {

inline const std::chrono::system_clock::time_point fixture_now = *parse_aws_timestamp("2026-12-05T12:00:00Z");

}  // namespace hpops::handlers
