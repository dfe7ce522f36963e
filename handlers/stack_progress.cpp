#include "handlers/stack_progress.hpp"

#include <algorithm>
#include <map>

#include "handlers/listing.hpp"

namespace hpops::handlers {
namespace {

bool ends_with(std::string_view s, std::string_view tail) { return s.size() >= tail.size() && s.ends_with(tail); }

// The reasons AWS gives the resources it stops because another one failed.
bool is_cascade(std::string_view reason) {
    return reason == "Resource creation cancelled" || reason == "Resource update cancelled" ||
           reason == "Resource deletion cancelled";
}

}  // namespace

bool is_terminal_stack_status(std::string_view status) {
    if (status.empty() || ends_with(status, "_IN_PROGRESS")) return false;
    return ends_with(status, "_COMPLETE") || ends_with(status, "_FAILED");
}

StackProgress stack_progress(const std::vector<StackEvent>& events, std::string_view stack_name,
                             int template_resources, bool teardown) {
    StackProgress p;
    const std::string complete = teardown ? "DELETE_COMPLETE" : "CREATE_COMPLETE";
    const std::string working = teardown ? "DELETE_IN_PROGRESS" : "CREATE_IN_PROGRESS";
    // The latest status of each resource, in the order each was first seen.
    std::vector<std::string> order;
    std::map<std::string, std::pair<std::string, std::string>> latest;  // id -> (status, type)
    for (const StackEvent& e : events) {
        if (e.resource_type == "AWS::CloudFormation::Stack" && e.logical_id == stack_name) {
            p.stack_status = e.status;
            continue;
        }
        if (!latest.contains(e.logical_id)) order.push_back(e.logical_id);
        latest[e.logical_id] = {e.status, e.resource_type};
        if (!p.first_failure && ends_with(e.status, "_FAILED") && !is_cascade(e.status_reason)) p.first_failure = e;
    }
    for (const std::string& id : order) {
        const auto& [status, type] = latest[id];
        if (status == complete) ++p.done;
        if (status == working) p.in_progress.push_back(id + " (" + type + ")");
    }
    p.total = std::max<int>(template_resources, static_cast<int>(order.size()));
    p.finished = is_terminal_stack_status(p.stack_status);
    p.succeeded = p.stack_status == complete;
    return p;
}

Reply render_stack_progress(const StackProgress& p, std::string_view cluster, std::int64_t started_unix_ms,
                            std::int64_t now_unix_ms, bool teardown) {
    Reply reply;
    reply.visibility = Visibility::channel;
    const std::string name = "`" + std::string(cluster) + "`";
    const std::string elapsed = age_text(started_unix_ms, now_unix_ms);
    const std::string verb = teardown ? "Deleting" : "Launching";
    if (p.first_failure) {
        const StackEvent& f = *p.first_failure;
        reply.summary = std::string(teardown ? "Deleting " : "Launching ") + std::string(cluster) + " failed";
        reply.text("*" + mrkdwn_escape(f.logical_id) + "* (" + mrkdwn_escape(f.resource_type) + ") failed: " +
                       mrkdwn_escape(f.status_reason.empty() ? f.status : f.status_reason),
                   Mark::failed);
    }
    if (p.succeeded) {
        reply.summary = std::string(teardown ? "Deleted " : "Launched ") + std::string(cluster);
        reply.text((teardown ? "Deleted " : "Launched ") + name + " in " + elapsed + ".", Mark::done);
    } else if (p.finished) {
        if (reply.summary.empty()) reply.summary = std::string(cluster) + " " + p.stack_status;
        const bool rolling_back = p.stack_status.ends_with("_IN_PROGRESS");
        reply.text(name + " ended " + p.stack_status + " after " + elapsed +
                       (rolling_back ? " (CloudFormation goes on rolling it back)" : "") +
                       (teardown ? "." : "; the stack is left as it is for a look (`/hp cluster logs`)."),
                   p.first_failure ? Mark::warning : Mark::failed);
    } else {
        if (reply.summary.empty()) reply.summary = verb + " " + std::string(cluster) + "…";
        reply.text(verb + " " + name + ": " + (p.stack_status.empty() ? "starting" : p.stack_status) + ", " +
                       elapsed + " so far.",
                   p.stack_status.starts_with("ROLLBACK") ? Mark::warning : Mark::working);
    }
    reply.progress(teardown ? "resources deleted" : "resources created", p.done, p.total);
    if (!p.finished && !p.in_progress.empty()) {
        std::string now = "Now: ";
        for (std::size_t i = 0; i < p.in_progress.size() && i < 3; ++i)
            now += (i ? ", " : "") + mrkdwn_escape(p.in_progress[i]);
        if (p.in_progress.size() > 3) now += " and " + std::to_string(p.in_progress.size() - 3) + " more";
        reply.context(now);
    }
    return reply;
}

Reply render_stack_log(const std::vector<StackEvent>& events, std::string_view stack_name, std::size_t last) {
    Reply reply;
    const std::size_t shown = std::min(last, events.size());
    reply.summary = std::to_string(shown) + " events of stack " + std::string(stack_name);
    reply.heading("Stack " + std::string(stack_name) + ": last " + std::to_string(shown) + " of " +
                  std::to_string(events.size()) + " events");
    const StackProgress progress = stack_progress(events, stack_name, 0, false);
    if (progress.first_failure)
        reply.text("First failure: *" + mrkdwn_escape(progress.first_failure->logical_id) + "*: " +
                       mrkdwn_escape(progress.first_failure->status_reason),
                   Mark::failed);
    Table table{{"Time (UTC)", "Resource", "Type", "Status", "Reason"}, {}};
    for (std::size_t i = events.size() - shown; i < events.size(); ++i) {
        const StackEvent& e = events[i];
        // 2026-12-05T10:00:00.123Z -> 10:00:00; the context line gives the date.
        const std::string time = e.timestamp.size() >= 19 ? e.timestamp.substr(11, 8) : e.timestamp;
        const std::string type = e.resource_type.starts_with("AWS::") ? e.resource_type.substr(5) : e.resource_type;
        table.rows.push_back({time, e.logical_id, type, e.status, e.status_reason.substr(0, 120)});
    }
    if (table.rows.empty()) reply.text("No events yet.");
    else reply.table(std::move(table));
    if (!events.empty())
        reply.context("From " + events.front().timestamp.substr(0, 10) + "; `last=N` shows more (up to 200).");
    return reply;
}

}  // namespace hpops::handlers
