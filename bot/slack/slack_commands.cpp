#include "bot/slack/slack_commands.hpp"

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "bot/dispatch/deferred_reply.hpp"
#include "bot/slack/block_kit_renderer.hpp"
#include "bot/slack/slack_progress.hpp"
#include "bot/slack/slack_request.hpp"
#include "command/parser.hpp"
#include "hpops/command_spec.hpp"

namespace hpops::bot {
namespace {

// "Scaling spot-ng…" from the command table's ack phrase; generic otherwise.
std::string acknowledgement(const std::variant<Intent, ParseError>& parsed) {
    if (auto* intent = std::get_if<Intent>(&parsed)) {
        if (const CommandSpec* spec = find_command(intent->command); spec && !spec->ack.empty()) {
            std::string ack = spec->ack;
            if (auto at = ack.find("{0}"); at != std::string::npos)
                ack.replace(at, 3, intent->args.empty() ? std::string{} : intent->args.front());
            return ack;
        }
    }
    return "Working on it…";
}

// The inline HTTP answer. A reply that is the same for everyone (help) is
// rendered once per thread and its bytes reused: rendering is most of the
// cost of `/hp help` (bench/README.md).
std::string inline_wire(const Reply& reply, std::vector<nlohmann::json>& later_pages) {
    thread_local std::unordered_map<std::string, std::string> constant_pages;
    if (!reply.constant_key.empty())
        if (auto it = constant_pages.find(reply.constant_key); it != constant_pages.end()) return it->second;
    auto pages = bot::render_block_kit(reply);
    std::string first = to_wire(pages.front());
    if (pages.size() > 1) later_pages.assign(std::make_move_iterator(pages.begin() + 1), std::make_move_iterator(pages.end()));
    else if (!reply.constant_key.empty()) constant_pages.emplace(reply.constant_key, first);
    return first;
}

}  // namespace

boost::asio::awaitable<HttpOut> handle_slack_command(Services& services, HttpIn in) {
    SlackRequest request = accept_slack_request(services, in);
    if (request.rejection) co_return std::move(*request.rejection);
    const FormFields& form = *request.form;
    // Each field is decoded once: for the caller, then checked.
    Caller caller{"slack", form.value_or_empty("user_id"), form.value_or_empty("user_name"),
                  form.value_or_empty("channel_id"), request.request_id, std::nullopt,
                  std::string(in.header("x-slack-signature"))};
    const std::pair<const char*, bool> required[] = {{"user_id", caller.user_id.empty()},
                                                     {"channel_id", caller.channel.empty()},
                                                     {"command", form.value_or_empty("command").empty()}};
    for (const auto& [name, missing] : required)
        if (missing) {
            services.metrics.count_error("slack_missing_field");
            co_return text_response(400, std::string("missing form field: ") + name);
        }
    const std::string response_url = form.value_or_empty("response_url");
    if (!response_url.empty() && !response_url_allowed(services.config->slack, response_url)) {
        services.metrics.count_error("slack_response_url_refused");
        co_return text_response(400, "response_url is not under slack.response_url_allow");
    }
    auto parsed = parse_command(form.value_or_empty("text"));
    std::optional<Reply> inline_reply;
    if (services.dispatcher.answers_at_once(parsed)) {
        // No I/O to wait for: skip the budget race (its timer, channel and task).
        auto work = services.dispatcher.run_parsed(std::move(caller), std::move(parsed));
        inline_reply = co_await std::move(work);
    } else {
        const std::string ack = acknowledgement(parsed);
        caller.progress = std::make_shared<SlackProgress>(services, response_url, request.request_id);
        caller.response_url = response_url;
        // Named, not temporaries in the co_await expression: GCC 12 destroys those twice.
        // run_with_budget turns an exception into an internal-error reply.
        auto work = services.dispatcher.run_parsed(std::move(caller), std::move(parsed));
        std::function<void(Reply)> deliver_late = [&services, response_url, id = request.request_id](Reply reply) {
            // The answer takes the place of the acknowledgement and any progress.
            reply.replace_original = true;
            post_reply_later(services, response_url, reply, id);
        };
        inline_reply = co_await run_with_budget(std::move(work), services.config->slack.inline_budget,
                                                std::move(deliver_late));
        if (!inline_reply) {
            Reply ack_reply = message_reply(":hourglass_flowing_sand: " + ack);
            co_return json_response(200, to_wire(render_block_kit_single(ack_reply)));
        }
    }
    // One message fits in the HTTP answer; further pages follow through response_url.
    std::vector<nlohmann::json> later_pages;
    std::string body = inline_wire(*inline_reply, later_pages);
    if (!later_pages.empty()) post_pages_later(services, response_url, std::move(later_pages), request.request_id);
    co_return json_response(200, std::move(body));
}

}  // namespace hpops::bot
