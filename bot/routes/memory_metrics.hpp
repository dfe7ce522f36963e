#pragma once
#include <string>

#include "common/replay_guard.hpp"

namespace hpops::bot {

// Where the process's memory is, for /metrics: resident set and descriptors
// under Prometheus's standard process_* names, and the parts that can grow
// with traffic (the heap in use and held free by malloc, SQLite's page
// caches, the replay guards' tables). The soak (bench/soak.py) samples these
// to tell growth from a heap that is merely warm.
std::string memory_metrics(const ReplayGuard& slack_replays, const ReplayGuard& grafana_replays);

}  // namespace hpops::bot
