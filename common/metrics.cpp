#include "common/metrics.hpp"

#include <sstream>

namespace hpops {

void Metrics::count_request(std::string_view route, int status, std::chrono::nanoseconds latency) {
    const double seconds = std::chrono::duration<double>(latency).count();
    std::size_t bucket = 0;
    while (bucket < latency_buckets.size() && seconds > latency_buckets[bucket]) ++bucket;
    std::lock_guard lock(mutex_);
    ++requests_[{std::string(route), status}];
    ++latency_counts_[bucket];
    latency_sum_ += seconds;
    ++latency_count_;
}

void Metrics::count_command(std::string_view command, std::string_view outcome) {
    std::lock_guard lock(mutex_);
    ++commands_[{std::string(command), std::string(outcome)}];
}

void Metrics::count_error(std::string_view kind, std::uint64_t times) {
    std::lock_guard lock(mutex_);
    auto it = errors_.find(kind);
    if (it == errors_.end()) it = errors_.emplace(std::string(kind), 0).first;
    it->second += times;
}

std::string Metrics::render_prometheus() const {
    std::ostringstream out;
    std::lock_guard lock(mutex_);
    out << "# HELP hpops_http_requests_total HTTP requests by route and status.\n"
           "# TYPE hpops_http_requests_total counter\n";
    for (const auto& [key, n] : requests_)
        out << "hpops_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << n << '\n';
    out << "# HELP hpops_http_request_duration_seconds Time from request read to response ready.\n"
           "# TYPE hpops_http_request_duration_seconds histogram\n";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < latency_buckets.size(); ++i) {
        cumulative += latency_counts_[i];
        out << "hpops_http_request_duration_seconds_bucket{le=\"" << latency_buckets[i] << "\"} " << cumulative << '\n';
    }
    cumulative += latency_counts_.back();
    out << "hpops_http_request_duration_seconds_bucket{le=\"+Inf\"} " << cumulative << '\n'
        << "hpops_http_request_duration_seconds_sum " << latency_sum_ << '\n'
        << "hpops_http_request_duration_seconds_count " << latency_count_ << '\n';
    out << "# HELP hpops_commands_total Commands by outcome.\n# TYPE hpops_commands_total counter\n";
    for (const auto& [key, n] : commands_)
        out << "hpops_commands_total{command=\"" << key.first << "\",outcome=\"" << key.second << "\"} " << n << '\n';
    out << "# HELP hpops_errors_total Failures by kind.\n# TYPE hpops_errors_total counter\n";
    for (const auto& [kind, n] : errors_) out << "hpops_errors_total{kind=\"" << kind << "\"} " << n << '\n';
    out << "# HELP hpops_followups_in_flight Replies being delivered after the inline budget (response_url posts).\n"
           "# TYPE hpops_followups_in_flight gauge\n"
        << "hpops_followups_in_flight " << jobs_in_flight() << '\n';
    return out.str();
}

}  // namespace hpops
