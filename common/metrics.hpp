#pragma once
#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace hpops {

// Prometheus counters and one latency histogram, rendered in text format.
// Labelled counters take a short lock; the request path touches two of them.
class Metrics {
public:
    static constexpr std::array<double, 12> latency_buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                            0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

    void count_request(std::string_view route, int status, std::chrono::nanoseconds latency);
    // hpops_commands_total{command,outcome}
    void count_command(std::string_view command, std::string_view outcome);
    // hpops_errors_total{kind}: every failure path has a name here.
    void count_error(std::string_view kind, std::uint64_t times = 1);
    void job_started() { jobs_in_flight_.fetch_add(1, std::memory_order_relaxed); }
    void job_finished() { jobs_in_flight_.fetch_sub(1, std::memory_order_relaxed); }
    long jobs_in_flight() const { return jobs_in_flight_.load(std::memory_order_relaxed); }

    std::string render_prometheus() const;

private:
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, std::uint64_t> requests_;
    std::map<std::pair<std::string, std::string>, std::uint64_t> commands_;
    std::map<std::string, std::uint64_t, std::less<>> errors_;
    std::array<std::uint64_t, latency_buckets.size() + 1> latency_counts_{};  // last: +Inf
    double latency_sum_ = 0;
    std::uint64_t latency_count_ = 0;
    std::atomic<long> jobs_in_flight_{0};
};

}  // namespace hpops
