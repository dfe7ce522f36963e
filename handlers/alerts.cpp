#include "handlers/alerts.hpp"

#include "handlers/listing.hpp"
#include "handlers/training_query.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {

Reply render_alert_list(const std::vector<StoredAlert>& alerts, std::string_view status_word, std::size_t limit,
                        std::int64_t now_ms) {
    Reply r;
    const bool more = alerts.size() > limit;
    const std::size_t shown = std::min(alerts.size(), limit);
    if (alerts.empty()) {
        r.summary = "No " + std::string(status_word) + " alerts.";
        r.text(r.summary, Mark::done);
        return r;
    }
    r.summary = std::to_string(shown) + (more ? "+ " : " ") + std::string(status_word) + " alerts";
    r.heading(r.summary, status_word == "firing" ? Mark::firing : Mark::none);
    Table t;
    t.columns = {"Alert", "Severity", "Status", "For", "Channel", "Summary"};
    for (std::size_t i = 0; i < shown; ++i) {
        const StoredAlert& a = alerts[i];
        const std::int64_t until = a.ends_unix_ms != 0 ? a.ends_unix_ms : now_ms;
        std::string status = to_string(a.status);
        if (!a.post_error.empty()) status += " (not posted: " + a.post_error + ")";
        t.rows.push_back({a.name.empty() ? a.fingerprint : a.name, a.severity.empty() ? "-" : a.severity, status,
                          a.starts_unix_ms ? age_text(a.starts_unix_ms, until) : "-", a.channel,
                          a.summary.substr(0, 120)});
    }
    r.table(std::move(t));
    if (more) r.context("Showing the newest " + std::to_string(limit) + "; use `limit=` or `since=` for others.");
    return r;
}

boost::asio::awaitable<Reply> Alerts::handle(const Intent& intent, CommandContext& context) {
    if (!context.clients.alerts)
        throw UserError("Alerts are not set up: add an `alerts` section to the configuration.");
    const std::string status = option_or_empty(intent.options, "status");
    std::optional<AlertStatus> wanted = AlertStatus::firing;
    if (status == "resolved") wanted = AlertStatus::resolved;
    else if (status == "all") wanted = std::nullopt;
    else if (!status.empty() && status != "firing")
        throw UserError("`status` is one of firing, resolved, all — not `" + status + "`.");
    const std::size_t limit = parse_list_limit(option_or_empty(intent.options, "limit"));
    const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch()).count();
    const std::string since = option_or_empty(intent.options, "since");
    const std::int64_t since_ms = since.empty() ? 0 : parse_since(since, now_ms);
    auto list = context.clients.alerts->list_alerts(wanted, since_ms, limit + 1);
    const auto alerts = co_await std::move(list);
    co_return render_alert_list(alerts, status.empty() ? "firing" : status, limit, now_ms);
}

}  // namespace hpops::handlers
