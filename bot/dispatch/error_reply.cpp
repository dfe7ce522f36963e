#include "bot/dispatch/error_reply.hpp"

namespace hpops::bot {
namespace {

// Both may echo what the user typed: `<!channel>` or `<@U123>` must reach the
// channel as text, not as a notification of everyone in it.
Reply with_suggestion(std::string_view message, const std::string& suggestion) {
    std::string text = mrkdwn_escape(message);
    if (!suggestion.empty()) text += "\nDid you mean `/hp " + mrkdwn_escape(suggestion) + "`?";
    Reply reply = message_reply(Mark::warning, std::move(text));
    reply.context("`/hp help` lists every command.");
    return reply;
}

}  // namespace

Reply reply_for_parse_error(const ParseError& error) { return with_suggestion(error.message, error.suggestion); }

Reply reply_for_user_error(const UserError& error) { return with_suggestion(error.what(), error.suggestion()); }

Reply reply_for_denial(const NotPermitted& denial) {
    return message_reply(Mark::denied, "Not permitted: `" + denial.command() + "` needs the " +
                         std::string(to_string(denial.needed())) + " role; you have " +
                         std::string(to_string(denial.held())) +
                         ". An admin can bind your user or this channel under `access:` in the hpops config.");
}

namespace {

// What the people in chat know the service as.
std::string display_name(const std::string& service) {
    static const std::pair<const char*, const char*> names[] = {
        {"eks", "AWS EKS"},          {"sagemaker", "Amazon SageMaker"}, {"sts", "AWS STS"},
        {"cloudformation", "AWS CloudFormation"}, {"aws", "AWS"}, {"mlflow", "MLflow"},
        {"kubernetes", "The Kubernetes API server"}, {"slack", "Slack"}, {"store", "hpops's database"}};
    for (const auto& [key, name] : names)
        if (service == key) return name;
    return "A backend (" + service + ")";
}

}  // namespace

bool is_transport_failure(const UpstreamError& error) {
    return error.service() == "http" || error.code() == "Unreachable" || error.code() == "Timeout";
}

Reply reply_for_upstream_error(const UpstreamError& error) {
    if (is_transport_failure(error)) {
        // The details name internal hosts and ports: they go to the log, not the channel.
        Reply reply = message_reply(Mark::failed, display_name(error.service()) + " did not answer (" + error.code() +
                                                      "). Nothing more was done; try again in a minute.");
        reply.context("hpops's log has the details.");
        return reply;
    }
    // A bare 5xx (a load balancer's, say) has no message: say what came back.
    const std::string name = display_name(error.service());
    const std::string& said = error.upstream_message();
    std::string text;
    if (said.empty())
        text += name + " answered HTTP " + (error.http_status() ? std::to_string(error.http_status()) : error.code());
    else if (said.rfind(name, 0) == 0)  // "MLflow failed (HTTP 503)" names itself already
        text += mrkdwn_escape(said);
    else
        text += name + ": " + mrkdwn_escape(said);
    if (!error.code().empty() && error.code() != "HTTP" + std::to_string(error.http_status()))
        text += " (" + error.code() + ")";
    Reply reply = message_reply(Mark::failed, std::move(text));
    if (!error.request_id().empty()) reply.context("Request id: " + error.request_id());
    return reply;
}

Reply reply_for_internal_error(const std::string& request_id) {
    Reply reply = message_reply(Mark::failed, "Something went wrong inside hpops; nothing further was done.");
    reply.context("Request id " + request_id + ": the operator can find it in the logs.");
    return reply;
}

}  // namespace hpops::bot
