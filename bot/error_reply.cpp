#include "bot/error_reply.hpp"

namespace hpops::bot {
namespace {

Reply with_suggestion(std::string message, const std::string& suggestion) {
    if (!suggestion.empty()) message += "\nDid you mean `/hp " + suggestion + "`?";
    Reply reply = message_reply(std::move(message));
    reply.context("`/hp help` lists every command.");
    return reply;
}

}  // namespace

Reply reply_for_parse_error(const ParseError& error) { return with_suggestion(":warning: " + error.message, error.suggestion); }

Reply reply_for_user_error(const UserError& error) {
    return with_suggestion(":warning: " + std::string(error.what()), error.suggestion());
}

Reply reply_for_denial(const NotPermitted& denial) {
    return message_reply(":no_entry: Not permitted: `" + denial.command() + "` needs the " +
                         std::string(to_string(denial.needed())) + " role; you have " +
                         std::string(to_string(denial.held())) +
                         ". An admin can bind your user or this channel under `access:` in the hpops config.");
}

Reply reply_for_upstream_error(const UpstreamError& error) {
    std::string text = ":x: " + error.service() + ": " + mrkdwn_escape(error.upstream_message());
    if (!error.code().empty()) text += " (" + error.code() + ")";
    Reply reply = message_reply(std::move(text));
    if (!error.request_id().empty()) reply.context("Request id: " + error.request_id());
    return reply;
}

Reply reply_for_internal_error(const std::string& request_id) {
    Reply reply = message_reply(":x: Something went wrong inside hpops; nothing further was done.");
    reply.context("Request id " + request_id + ": the operator can find it in the logs.");
    return reply;
}

}  // namespace hpops::bot
