#include "alerts/alert_message.hpp"

#include <ctime>

namespace hpops::alerts {
namespace {

using std::chrono::system_clock;

Mark status_mark(const Alert& a) {
    if (a.status == AlertStatus::resolved) return Mark::resolved;
    if (a.severity == "critical" || a.severity == "page") return Mark::critical;
    if (a.severity == "warning") return Mark::major;
    return Mark::minor;
}

std::string display_name(const Alert& a) { return a.name.empty() ? a.fingerprint : a.name; }

// Field values are plain text (the renderer escapes them), so no <!date> token.
std::string utc_time(system_clock::time_point t) {
    const std::time_t tt = system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char utc[32];
    std::strftime(utc, sizeof utc, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return utc;
}

std::string fired_for(const Alert& a, system_clock::time_point now) {
    if (a.starts_at.time_since_epoch().count() == 0) return {};
    const auto end = a.ends_at.value_or(now);
    return format_duration(std::chrono::duration_cast<std::chrono::seconds>(end - a.starts_at));
}

// One line per alert in group and flood messages.
Text alert_line(const Alert& a, system_clock::time_point now) {
    std::string line = "*" + mrkdwn_escape(display_name(a)) + "*";
    if (!a.severity.empty()) line += " `" + mrkdwn_escape(a.severity) + "`";
    if (!a.summary.empty()) line += " — " + mrkdwn_escape(a.summary.substr(0, 200));
    if (a.status == AlertStatus::resolved) line += " _(resolved after " + fired_for(a, now) + ")_";
    return Text{std::move(line), status_mark(a)};
}

std::string links_text(const Alert& a) {
    std::string out;
    for (const AlertLink& l : a.links) {
        if (l.url.find('|') != std::string::npos || l.url.find('>') != std::string::npos) continue;
        if (!out.empty()) out += " · ";
        out += "<" + l.url + "|" + mrkdwn_escape(l.label) + ">";
    }
    return out;
}

std::string labels_text(const Alert& a) {
    std::string out;
    for (const auto& [k, v] : a.labels) {
        if (k == "alertname" || k == "severity") continue;
        if (!out.empty()) out += ", ";
        out += mrkdwn_escape(k) + "=" + mrkdwn_escape(v);
    }
    return out;
}

Reply single(const Alert& a, system_clock::time_point now, const AlertEnrichment* enrichment) {
    Reply r;
    r.visibility = Visibility::channel;
    const bool resolved = a.status == AlertStatus::resolved;
    r.summary = std::string(resolved ? "RESOLVED: " : "FIRING: ") + display_name(a);
    r.heading((resolved ? "Resolved: " : "Firing: ") + display_name(a), status_mark(a));
    if (!a.summary.empty()) r.text(mrkdwn_escape(a.summary));
    std::vector<Field> fields;
    if (!a.severity.empty()) fields.push_back({"Severity", a.severity});
    fields.push_back({"Status", resolved ? "resolved" : "firing"});
    if (a.starts_at.time_since_epoch().count() != 0) fields.push_back({"Started", utc_time(a.starts_at)});
    if (resolved) fields.push_back({"Duration", "fired for " + fired_for(a, now)});
    fields.push_back({"Source", a.source});
    r.fields(std::move(fields));
    if (enrichment && !enrichment->fields.empty()) r.fields(enrichment->fields);
    if (enrichment && !enrichment->note.empty()) r.context(mrkdwn_escape(enrichment->note));
    if (auto links = links_text(a); !links.empty()) r.text(links);
    if (enrichment && !enrichment->buttons.empty()) {
        r.actions(enrichment->buttons);
        r.context("Buttons run the `/hp` command they name once, with your permissions.");
    }
    if (auto labels = labels_text(a); !labels.empty()) r.context(labels);
    return r;
}

Reply many(const PendingMessage& m, system_clock::time_point now) {
    Reply r;
    r.visibility = Visibility::channel;
    const std::size_t total = m.firing + m.resolved;
    const bool flood = m.kind == MessageKind::flood;
    std::string title = flood ? "Alert flood: " + std::to_string(total) + " alerts" : std::to_string(total) + " alerts";
    title += " (" + std::to_string(m.firing) + " firing, " + std::to_string(m.resolved) + " resolved)";
    r.summary = title;
    r.heading(title, m.firing == 0 ? Mark::resolved : Mark::firing);
    if (flood)
        r.text("More new alerts arrived here than the flood limit allows; they are collected in this message, "
               "which is kept up to date.");
    std::vector<Text> lines;
    lines.reserve(m.alerts.size());
    for (const Alert& a : m.alerts) lines.push_back(alert_line(a, now));
    if (!lines.empty()) r.lines(std::move(lines));
    if (total > m.alerts.size())
        r.context("…and " + std::to_string(total - m.alerts.size()) + " more. `/hp alerts` lists them all.");
    return r;
}

}  // namespace

std::string format_duration(std::chrono::seconds d) {
    long s = std::max<long>(0, static_cast<long>(d.count()));
    const long days = s / 86400, hours = s / 3600 % 24, minutes = s / 60 % 60, seconds = s % 60;
    if (days > 0) return std::to_string(days) + "d " + std::to_string(hours) + "h";
    if (hours > 0) return std::to_string(hours) + "h " + std::to_string(minutes) + "m";
    if (minutes > 0) return std::to_string(minutes) + "m " + std::to_string(seconds) + "s";
    return std::to_string(seconds) + "s";
}

Reply render_alert_message(const PendingMessage& m, system_clock::time_point now,
                           const AlertEnrichment* enrichment) {
    if (m.kind == MessageKind::alert && m.alerts.size() == 1) return single(m.alerts.front(), now, enrichment);
    return many(m, now);
}

}  // namespace hpops::alerts
