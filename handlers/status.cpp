#include "handlers/status.hpp"

#include "hpops/store.hpp"

namespace hpops::handlers {

std::string format_uptime(std::chrono::seconds uptime) {
    const long long s = uptime.count();
    const long long days = s / 86400, hours = s % 86400 / 3600, minutes = s % 3600 / 60;
    if (days > 0) return std::to_string(days) + "d " + std::to_string(hours) + "h";
    if (hours > 0) return std::to_string(hours) + "h " + std::to_string(minutes) + "m";
    if (minutes > 0) return std::to_string(minutes) + "m " + std::to_string(s % 60) + "s";
    return std::to_string(s) + "s";
}

Reply render_status(const StatusFacts& facts) {
    Reply reply;
    reply.summary = std::string("hpops ") + facts.version + ": " + (facts.store_healthy ? "healthy" : "store unavailable");
    reply.heading("hpops status");
    std::vector<Chip> chips{{facts.store_healthy ? "store ok" : "store unavailable",
                             facts.store_healthy ? Status::ok : Status::bad}};
    for (const auto& [name, configured] : facts.integrations)
        chips.push_back({name + (configured ? " configured" : " not configured"),
                         configured ? Status::ok : Status::unknown});
    reply.chips(std::move(chips));
    reply.fields({{"Version", facts.version}, {"Uptime", format_uptime(facts.uptime)}, {"Store", facts.store}});
    return reply;
}

boost::asio::awaitable<Reply> StatusCommand::handle(const Intent&, CommandContext& context) {
    StatusFacts facts;
    facts.version = context.bot.version;
    facts.uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now() -
                                                                     context.bot.started_at);
    facts.store = context.store.describe();
    facts.store_healthy = context.store.healthy();
    facts.integrations = {{"Slack signing", !context.config.slack.signing_secret.empty()},
                          {"Slack bot token", !context.config.slack.bot_token.empty()},
                          {"AWS", context.clients.node_groups != nullptr},
                          {"MLflow", context.clients.tracking != nullptr}};
    co_return render_status(facts);
}

}  // namespace hpops::handlers
