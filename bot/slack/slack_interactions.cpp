#include "bot/slack/slack_interactions.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "bot/dispatch/error_reply.hpp"
#include "bot/dispatch/reply_or_error.hpp"
#include "bot/slack/slack_interaction_payload.hpp"
#include "bot/slack/slack_request.hpp"
#include "common/log_fields.hpp"

namespace hpops::bot {

boost::asio::awaitable<HttpOut> handle_slack_interaction(Services& services, HttpIn in) {
    SlackRequest request = accept_slack_request(services, in);
    if (request.rejection) co_return std::move(*request.rejection);
    auto payload_field = request.form->find("payload");
    if (!payload_field) co_return text_response(400, "missing form field: payload");
    DecodedInteraction decoded = decode_interaction_payload(*payload_field);
    if (const auto* problem = std::get_if<PayloadProblem>(&decoded)) co_return text_response(400, problem->reason);
    if (std::holds_alternative<OtherInteraction>(decoded)) co_return text_response(200, "");  // not ours to answer
    const ButtonPress press = std::move(std::get<ButtonPress>(decoded));
    if (!response_url_allowed(services.config->slack, press.response_url)) {
        services.metrics.count_error("slack_response_url_refused");
        co_return text_response(400, "response_url is missing or not under slack.response_url_allow");
    }
    const std::string& response_url = press.response_url;
    const std::string& action_id = press.action_id;
    const std::string& value = press.value;

    Caller caller{"slack", press.user_id, press.user_name, press.channel,
                  request.request_id, std::nullopt, std::string(in.header("x-slack-signature"))};
    caller.response_url = response_url;
    if (action_id == "hpops.cancel" || action_id == "hpops.reject") {
        Reply reply;
        try {
            reply = action_id == "hpops.reject" ? services.dispatcher.reject(caller, value)
                                                : services.dispatcher.cancel(caller, value);
        } catch (const std::exception& error) {
            services.metrics.count_error("cancel_exception");
            log::error({.request_id = request.request_id, .actor = caller.user_id}, "request {}: cancel failed: {}",
                       request.request_id, error.what());
            reply = reply_for_internal_error(request.request_id);
        }
        post_reply_later(services, response_url, reply, request.request_id);
    } else if (action_id == "hpops.confirm" || action_id == "hpops.alert_action" || action_id == "hpops.approve") {
        // An alert's action button carries the same signed token as a Confirm
        // button; its answer is a new message, so the alert stays in place.
        const bool keep_original = action_id == "hpops.alert_action";
        const bool approval = action_id == "hpops.approve";
        boost::asio::co_spawn(
            services.executor,
            [&services, caller, value, response_url, keep_original, approval]() -> boost::asio::awaitable<void> {
                JobInFlight counted(services.metrics);
                auto work = approval ? services.dispatcher.approve(caller, value) : services.dispatcher.confirm(caller, value);
                Reply reply = co_await reply_or_error(std::move(work), &services.metrics, caller.request_id);
                if (keep_original) reply.replace_original = false;
                post_reply_later(services, response_url, reply, caller.request_id);
            },
            boost::asio::detached);
    } else {
        services.metrics.count_error("slack_unknown_action");
        post_reply_later(services, response_url, message_reply("That button is not one of hpops's."), request.request_id);
    }
    co_return text_response(200, "");
}

}  // namespace hpops::bot
