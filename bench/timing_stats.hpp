#pragma once
// Mean and 99th percentile of per-iteration times, for the benches that print them.
#include <algorithm>
#include <vector>

namespace hpops::bench {

struct Stats {
    double mean_ms = 0, p99_ms = 0;
};

inline Stats stats(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    double sum = 0;
    for (double s : samples) sum += s;
    const std::size_t p99 = std::min(samples.size() - 1, static_cast<std::size_t>(samples.size() * 0.99));
    return {sum / static_cast<double>(samples.size()), samples[p99]};
}

}  // namespace hpops::bench
