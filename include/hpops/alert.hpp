#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hpops {

// One alert from any receiver (Alertmanager, Grafana, AWS SNS), normalised so
// the pipeline (dedupe, routing, posting) never looks at a source's format.
enum class AlertStatus { firing, resolved };

struct AlertLink {
    std::string label;  // "Source", "Runbook", "Dashboard"
    std::string url;
};

struct Alert {
    std::string source;       // "alertmanager", "grafana", "sns"
    std::string fingerprint;  // stable identity of the alert across deliveries
    AlertStatus status = AlertStatus::firing;
    std::string severity;  // from the `severity` label when present
    std::string name;      // alertname, or the CloudWatch alarm name
    std::string summary;   // annotation `summary`, else `description`
    std::map<std::string, std::string> labels;
    std::map<std::string, std::string> annotations;
    std::chrono::system_clock::time_point starts_at{};
    std::optional<std::chrono::system_clock::time_point> ends_at;  // set when resolved
    std::vector<AlertLink> links;
    std::string group_key;  // alerts delivered together share it
};

// An alert as kept in the store, for listings (`/hp alerts`).
struct StoredAlert {
    std::string source;
    std::string fingerprint;
    AlertStatus status = AlertStatus::firing;
    std::string severity;
    std::string name;
    std::string summary;
    std::string channel;
    std::int64_t starts_unix_ms = 0;
    std::int64_t ends_unix_ms = 0;  // 0 while firing
    std::string post_error;         // Slack's refusal of its message, if any
};

// Read side of the alert store, as handlers see it. Awaited: reading a large
// store takes time, which must not stall a server thread.
class AlertLog {
public:
    virtual ~AlertLog() = default;
    // Newest first; `status` nullopt means both.
    virtual boost::asio::awaitable<std::vector<StoredAlert>> list_alerts(std::optional<AlertStatus> status,
                                                                         std::int64_t since_unix_ms,
                                                                         std::size_t limit) const = 0;
};

inline const char* to_string(AlertStatus s) { return s == AlertStatus::firing ? "firing" : "resolved"; }

}  // namespace hpops
