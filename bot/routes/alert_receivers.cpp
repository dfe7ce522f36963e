#include "bot/routes/alert_receivers.hpp"

#include <atomic>
#include <charconv>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "alerts/alert_intake.hpp"
#include "alerts/grafana_replay.hpp"
#include "alerts/receiver_auth.hpp"
#include "alerts/webhook_payload.hpp"

namespace hpops::bot {
using alerts::IntakeOutcome;
using alerts::IntakeResult;
using alerts::ParsedAlerts;
using alerts::alertmanager_authorized;
using alerts::grafana_first_delivery;
using alerts::grafana_signature_valid;
using alerts::parse_alertmanager_payload;
using alerts::parse_grafana_payload;
namespace {

HttpOut refuse(Services& services, std::string_view receiver, int status, const std::string& kind,
               const std::string& reason, const std::string& remote) {
    services.metrics.count_error("alerts_" + std::string(receiver) + "_" + kind);
    spdlog::warn("alerts: {} from {} refused with {}: {}", receiver, remote, status, reason);
    return text_response(status, reason);
}

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Grafana's timestamp header is in Unix seconds; a stale one is a replay.
// The seconds when fresh.
std::optional<std::int64_t> fresh_timestamp(std::string_view text, std::chrono::seconds tolerance) {
    long long seconds = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    if (std::llabs(unix_now() - seconds) > tolerance.count()) return std::nullopt;
    return seconds;
}

// A burst refuses thousands of payloads a second: one log line per second
// says so (the metric counts each one).
HttpOut overloaded(Services& services, std::string_view receiver, const std::string& remote) {
    static std::atomic<std::int64_t> last_logged_s{0};
    static std::atomic<std::uint64_t> unlogged{0};
    services.metrics.count_error("alerts_" + std::string(receiver) + "_overloaded");
    const std::int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::steady_clock::now().time_since_epoch()).count();
    std::int64_t last = last_logged_s.load(std::memory_order_relaxed);
    if (now_s != last && last_logged_s.compare_exchange_strong(last, now_s))
        spdlog::warn("alerts: {} from {} refused with 503: intake queue full ({} more refused since the last line)",
                     receiver, remote, unlogged.exchange(0));
    else
        unlogged.fetch_add(1, std::memory_order_relaxed);
    return text_response(503, "alert intake is full; retry later");
}

}  // namespace

boost::asio::awaitable<HttpOut> store_alerts(Services& services, std::string_view receiver, std::vector<Alert> alerts,
                                             std::string remote) {
    const std::size_t count = alerts.size();
    auto work = services.alerts->submit(std::move(alerts));
    IntakeResult result = co_await std::move(work);
    if (result.outcome == IntakeOutcome::overloaded) co_return overloaded(services, receiver, remote);
    if (result.outcome == IntakeOutcome::store_failed) {
        spdlog::error("alerts: store failed for a {} payload of {} alerts: {}", receiver, count, result.error);
        co_return refuse(services, receiver, 503, "store_failed", "alert store unavailable; retry later", remote);
    }
    const AcceptCounts& c = result.counts;
    if (c.dropped > 0) services.metrics.count_error("alerts_firing_dropped", c.dropped);
    nlohmann::json body{{"received", count}, {"new", c.fresh},    {"changed", c.changed},
                        {"unchanged", c.unchanged}, {"ignored", c.ignored}, {"flooded", c.flooded}};
    co_return json_response(200, body.dump());
}

boost::asio::awaitable<HttpOut> handle_alertmanager_webhook(Services& services, HttpIn in) {
    const std::string remote = in.remote;
    if (!services.alerts) co_return refuse(services, "alertmanager", 404, "disabled", "alerts are not configured", remote);
    const AlertsConfig& config = services.config->alerts;
    if (config.alertmanager_token.empty() && config.alertmanager_username.empty())
        co_return refuse(services, "alertmanager", 403, "no_credentials",
                         "the alertmanager receiver has no credentials configured", remote);
    if (!alertmanager_authorized(config, in.header("authorization"))) {
        HttpOut out = refuse(services, "alertmanager", 401, "unauthorized", "missing or wrong credentials", remote);
        out.headers.emplace_back("WWW-Authenticate", "Bearer, Basic realm=\"hpops\"");
        co_return out;
    }
    if (services.alerts->saturated()) co_return overloaded(services, "alertmanager", remote);
    ParsedAlerts parsed = parse_alertmanager_payload(in.body, config.label_limits);
    if (!parsed.error.empty()) co_return refuse(services, "alertmanager", 400, "bad_payload", parsed.error, remote);
    if (parsed.truncated > 0)
        spdlog::warn("alerts: alertmanager receiver {} truncated {} alerts (max_alerts)", parsed.receiver,
                     parsed.truncated);
    auto work = store_alerts(services, "alertmanager", std::move(parsed.alerts), remote);
    co_return co_await std::move(work);
}

boost::asio::awaitable<HttpOut> handle_grafana_webhook(Services& services, HttpIn in) {
    const std::string remote = in.remote;
    if (!services.alerts) co_return refuse(services, "grafana", 404, "disabled", "alerts are not configured", remote);
    const AlertsConfig& config = services.config->alerts;
    if (config.grafana_secret.empty())
        co_return refuse(services, "grafana", 403, "no_credentials", "the grafana receiver has no secret configured",
                         remote);
    const bool with_timestamp = !config.grafana_timestamp_header.empty();
    std::string timestamp_header = config.grafana_timestamp_header;
    for (char& c : timestamp_header) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string_view timestamp = with_timestamp ? in.header(timestamp_header) : std::string_view{};
    const std::string_view signature = in.header("x-grafana-alerting-signature");
    if (!grafana_signature_valid(config.grafana_secret, timestamp, in.body, signature, with_timestamp))
        co_return refuse(services, "grafana", 401, "bad_signature", "missing or wrong X-Grafana-Alerting-Signature",
                         remote);
    std::optional<std::int64_t> signed_at;
    if (with_timestamp) {
        signed_at = fresh_timestamp(timestamp, services.config->slack.timestamp_tolerance);
        if (!signed_at)
            co_return refuse(services, "grafana", 401, "stale", "timestamp is not within the tolerance window", remote);
    }
    if (services.alerts->saturated()) co_return overloaded(services, "grafana", remote);
    ParsedAlerts parsed = parse_grafana_payload(in.body, config.label_limits);
    if (!parsed.error.empty()) co_return refuse(services, "grafana", 400, "bad_payload", parsed.error, remote);
    // Checked last, just before the store: a delivery refused before this
    // point (a 503 while intake is full) comes again with the same signature.
    const auto seen = grafana_first_delivery(services.grafana_replays, signature, signed_at,
                                             config.grafana_replay_window, unix_now());
    if (seen == ReplayGuard::Verdict::replay)
        co_return refuse(services, "grafana", 409, "replay", "this signed payload was delivered before (a replay)",
                         remote);
    if (seen == ReplayGuard::Verdict::window_full) co_return overloaded(services, "grafana", remote);
    auto work = store_alerts(services, "grafana", std::move(parsed.alerts), remote);
    co_return co_await std::move(work);
}

}  // namespace hpops::bot
