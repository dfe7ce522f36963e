#pragma once
// Reading timestamps from the outside world: two readers of the one ISO 8601
// form, because the senders differ in what a bad value should mean.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace hpops {

// Milliseconds since the epoch: how the stores keep times and jobs plan them.
inline std::int64_t unix_ms(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline std::int64_t now_unix_ms() { return unix_ms(std::chrono::system_clock::now()); }

// ISO 8601 as AWS and Kubernetes write it: 2024-05-01T12:00:00Z, with optional
// fractional seconds and a numeric offset instead of Z. A credential's expiry
// or an object's age must be right or absent: nullopt when malformed or
// outside 1970-2200.
std::optional<std::chrono::system_clock::time_point> parse_aws_timestamp(std::string_view text);

// RFC 3339 as Alertmanager and Grafana write it ("2024-05-01T10:00:00.123Z",
// offsets allowed, also CloudWatch's "+0000"). Go's zero time (year 1) means
// "not set": nullopt. An alert's far-future end ("9999-12-31") is clamped to
// 2200, not refused: the alert itself is still good.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

}  // namespace hpops
