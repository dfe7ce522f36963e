#include "bot/routes/router.hpp"

#include <algorithm>
#include <chrono>

#include "bot/routes/alert_receivers.hpp"
#include "bot/routes/alert_sns.hpp"
#include "bot/routes/health.hpp"
#include "bot/slack/slack_commands.hpp"
#include "bot/slack/slack_interactions.hpp"
#include "bot/slack/slack_signature.hpp"
#include "common/log_fields.hpp"

namespace hpops::bot {
namespace {

HttpOut method_not_allowed(std::string_view allowed) {
    HttpOut out = text_response(405, "method not allowed; use " + std::string(allowed));
    out.headers.emplace_back("Allow", std::string(allowed));
    return out;
}

// One line per request, with the id its command's lines and audit row carry
// (a Slack request's). The path only: a query may hold a webhook's token.
// Probes, scrapes and unknown paths at debug: a kubelet asks every few seconds.
struct RequestLine {
    std::string method, path, remote, request_id;
};
void log_request(const RequestLine& line, std::string_view route, int status,
                 std::chrono::steady_clock::duration took) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
    const bool quiet = route == "other" || route == "/healthz" || route == "/readyz" || route == "/metrics";
    const log::Fields fields{.request_id = line.request_id};
    if (quiet)
        log::debug(fields, "{} {} {} in {} ms from {}", line.method, line.path, status, ms, line.remote);
    else
        log::info(fields, "{} {} {} in {} ms from {}", line.method, line.path, status, ms, line.remote);
}

}  // namespace

std::size_t body_limit_for_target(const ServerConfig& server, std::string_view target) {
    const std::string_view path = target.substr(0, target.find('?'));
    if (path == "/alerts/sns") return std::min(server.webhook_body_limit, sns_body_limit);
    // Alertmanager sends a whole alert group in one request.
    if (path.starts_with("/alerts/")) return server.webhook_body_limit;
    return server.body_limit;
}

boost::asio::awaitable<HttpOut> route_request(Services& services, HttpIn in) {
    const auto started = std::chrono::steady_clock::now();
    // What the log line needs of the request, which is moved into its route.
    const RequestLine line{in.method, std::string(in.path()), in.remote,
                           in.path().starts_with("/slack/") ? slack_request_id(in.header("x-slack-signature")) : ""};
    const std::string& path = line.path;
    const bool get = in.method == "GET", post = in.method == "POST";
    std::string_view route = "other";
    HttpOut out;
    if (path == "/slack/commands") {
        route = "/slack/commands";
        // No co_await inside ?: here: GCC 12 destroys such temporaries twice.
        if (post)
            out = co_await handle_slack_command(services, std::move(in));
        else
            out = method_not_allowed("POST");
    } else if (path == "/slack/interactions") {
        route = "/slack/interactions";
        if (post)
            out = co_await handle_slack_interaction(services, std::move(in));
        else
            out = method_not_allowed("POST");
    } else if (path == "/alerts/alertmanager") {
        route = "/alerts/alertmanager";
        if (post)
            out = co_await handle_alertmanager_webhook(services, std::move(in));
        else
            out = method_not_allowed("POST");
    } else if (path == "/alerts/grafana") {
        route = "/alerts/grafana";
        if (post)
            out = co_await handle_grafana_webhook(services, std::move(in));
        else
            out = method_not_allowed("POST");
    } else if (path == "/alerts/sns") {
        route = "/alerts/sns";
        if (post)
            out = co_await handle_sns_webhook(services, std::move(in));
        else
            out = method_not_allowed("POST");
    } else if (path == "/healthz") {
        route = "/healthz";
        out = get ? handle_healthz() : method_not_allowed("GET");
    } else if (path == "/readyz") {
        route = "/readyz";
        out = get ? handle_readyz(services) : method_not_allowed("GET");
    } else if (path == "/metrics") {
        route = "/metrics";
        out = get ? handle_metrics(services) : method_not_allowed("GET");
    } else {
        out = text_response(404, "no such endpoint: " + path);
    }
    const auto took = std::chrono::steady_clock::now() - started;
    services.metrics.count_request(route, out.status, took);
    log_request(line, route, out.status, took);
    co_return out;
}

}  // namespace hpops::bot
