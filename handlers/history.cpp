#include "handlers/history.hpp"

#include <algorithm>
#include <cctype>

#include "handlers/listing.hpp"
#include "handlers/training_query.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {
namespace {

constexpr std::size_t max_group_name = 128;

// Names of node groups, instance groups, deployments and clusters: what AWS
// and Kubernetes allow, and nothing that could be read as command text.
bool plausible_target_name(const std::string& name) {
    return !name.empty() && name.size() <= max_group_name &&
           std::all_of(name.begin(), name.end(), [](unsigned char c) {
               return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':' || c == '/';
           });
}

// "ok", "failed: AccessDenied …": the outcome, with the reason when it did not go as asked.
std::string outcome_text(const AuditRecord& r) {
    if (r.outcome == "ok" || r.outcome == "started" || r.detail.empty()) return r.outcome;
    constexpr std::size_t shown = 80;
    return r.outcome + ": " + (r.detail.size() > shown ? r.detail.substr(0, shown) + "…" : r.detail);
}

Mark outcome_mark(const std::string& outcome) {
    if (outcome == "ok") return Mark::done;
    if (outcome == "failed") return Mark::failed;
    if (outcome == "denied") return Mark::denied;
    if (outcome == "started") return Mark::working;
    if (outcome == "cancelled") return Mark::stopped;
    return Mark::warning;  // rejected, unavailable: asked and not done
}

}  // namespace

AuditQuery history_query(const std::map<std::string, std::string>& options, std::int64_t now_unix_ms) {
    AuditQuery query;
    query.mentions = option_or_empty(options, "group");
    if (options.count("group") && !plausible_target_name(query.mentions))
        throw UserError("`group` takes the name of a node group, instance group, deployment or cluster, such as "
                        "`gpu-ng`.");
    if (const std::string since = option_or_empty(options, "since"); !since.empty())
        query.since_unix_ms = parse_since(since, now_unix_ms);
    query.limit = parse_list_limit(option_or_empty(options, "limit")) + 1;
    return query;
}

Reply render_history(const std::vector<AuditRecord>& rows, const AuditQuery& query, std::int64_t now_unix_ms) {
    const std::size_t limit = query.limit - 1;
    const bool more = rows.size() > limit;
    const std::size_t shown = std::min(rows.size(), limit);
    const std::string subject = query.mentions.empty() ? "" : " on `" + query.mentions + "`";
    const std::string period = query.since_unix_ms > 0 ? " since " + utc_time_text(query.since_unix_ms) + " UTC" : "";
    Reply reply;
    reply.heading("History" + subject);
    if (rows.empty()) {
        reply.summary = "No audited operation" + subject + period + ".";
        reply.text(reply.summary + " Commands that only read are not audited.");
        return reply;
    }
    // A line each, not a table: request ids and command texts outgrow a table's cells.
    std::vector<Text> lines;
    for (std::size_t i = 0; i < shown; ++i) {
        const AuditRecord& r = rows[i];
        lines.push_back({utc_time_text(r.time_unix_ms) + " (" + age_text(r.time_unix_ms, now_unix_ms) + " ago) · " +
                             mrkdwn_escape(r.actor_name.empty() ? r.actor_id : r.actor_name) + " · `" +
                             mrkdwn_escape(r.arguments) + "` · " + mrkdwn_escape(outcome_text(r)) +
                             (r.backend_request_id.empty() ? "" : " · request " + mrkdwn_escape(r.backend_request_id)),
                         outcome_mark(r.outcome)});
    }
    reply.lines(std::move(lines));
    reply.summary = std::to_string(shown) + (more ? "+" : "") + " audited operations" + subject + period;
    reply.context(reply.summary + (more ? " · more match: use `limit=` or `since=`" : "") +
                  " · newest first; commands that only read are not audited");
    return reply;
}

boost::asio::awaitable<Reply> History::handle(const Intent& intent, CommandContext& context) {
    const std::int64_t now = now_unix_ms();
    const AuditQuery query = history_query(intent.options, now);
    co_return render_history(context.store.audit_history(query), query, now);
}

}  // namespace hpops::handlers
