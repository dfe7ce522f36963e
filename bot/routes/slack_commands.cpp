#include "bot/routes/slack_commands.hpp"

#include <nlohmann/json.hpp>

#include "bot/deferred_reply.hpp"
#include "bot/parser.hpp"
#include "bot/routes/slack_progress.hpp"
#include "bot/routes/slack_request.hpp"
#include "hpops/command_spec.hpp"
#include "integrations/slack/block_kit_renderer.hpp"

namespace hpops::bot {
namespace {

std::string field(const FormFields& form, std::string_view name) {
    auto it = form.find(name);
    return it == form.end() ? std::string{} : it->second;
}

// "Scaling spot-ng…" from the command table's ack phrase; generic otherwise.
std::string acknowledgement(std::string_view text) {
    auto parsed = parse_command(text);
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

}  // namespace

boost::asio::awaitable<HttpOut> handle_slack_command(Services& services, HttpIn in) {
    SlackRequest request = accept_slack_request(services, in);
    if (request.rejection) co_return std::move(*request.rejection);
    const FormFields& form = *request.form;
    for (const char* required : {"user_id", "channel_id", "command"})
        if (field(form, required).empty()) {
            services.metrics.count_error("slack_missing_field");
            co_return text_response(400, std::string("missing form field: ") + required);
        }

    Caller caller{"slack", field(form, "user_id"), field(form, "user_name"), field(form, "channel_id"),
                  request.request_id, std::nullopt, std::string(in.header("x-slack-signature"))};
    const std::string text = field(form, "text");
    const std::string response_url = field(form, "response_url");
    caller.progress = std::make_shared<SlackProgress>(services, response_url, request.request_id);
    // Named, not temporaries in the co_await expression: GCC 12 destroys those twice.
    auto work = services.dispatcher.run_text(caller, text);
    std::function<void(Reply)> deliver_late = [&services, response_url, id = request.request_id](Reply reply) {
        // The answer takes the place of the acknowledgement and any progress.
        reply.replace_original = true;
        post_reply_later(services, response_url, reply, id);
    };
    auto inline_reply = co_await run_with_budget(std::move(work), services.config->slack.inline_budget, std::move(deliver_late));

    if (!inline_reply) {
        Reply ack = message_reply(":hourglass_flowing_sand: " + acknowledgement(text));
        co_return json_response(200, integrations::to_wire(integrations::render_block_kit_single(ack)));
    }
    auto pages = integrations::render_block_kit(*inline_reply);
    // One message fits in the HTTP answer; further pages follow through response_url.
    if (pages.size() > 1)
        post_pages_later(services, response_url, {pages.begin() + 1, pages.end()}, request.request_id);
    co_return json_response(200, integrations::to_wire(pages.front()));
}

}  // namespace hpops::bot
