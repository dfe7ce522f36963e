#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "bot/dispatch/confirm_token.hpp"
#include "bot/dispatch/handler_registry.hpp"
#include "hpops/config.hpp"
#include "hpops/handler.hpp"
#include "hpops/intent.hpp"
#include "hpops/job.hpp"
#include "hpops/reply.hpp"

namespace hpops {
class ConfirmationNeeded;
class Metrics;
class Store;
}

namespace hpops::bot {

// Who is asking, from where. Built by each platform's route from a verified request.
struct Caller {
    std::string platform;  // "slack", "terminal"
    std::string user_id;
    std::string user_name;
    std::string channel;
    std::string request_id;
    std::optional<Role> role_override;  // the terminal runs as the local admin
    // Names the delivery (Slack: its signature). A mutating intent runs at most
    // once per key, across restarts too.
    std::string idempotency_key;
    // Where long work reports progress; none when null.
    std::shared_ptr<Progress> progress;
    std::string response_url;  // Slack: the command's or the click's
};

// parse -> authorize -> confirm? -> audit -> handler. Every path returns a Reply;
// nothing a user types can make it throw.
class Dispatcher {
public:
    Dispatcher(ConfigPtr config, Store& store, const BotInfo& bot, const HandlerRegistry& handlers, Metrics& metrics,
               Clients clients = {});

    // Coroutine parameters are taken by value: the work may outlive the request
    // that started it (a slow command finishes after the acknowledgement).
    boost::asio::awaitable<Reply> run_text(Caller caller, std::string text);
    // run_text in two steps, for routes that look at the parse first.
    boost::asio::awaitable<Reply> run_parsed(Caller caller, std::variant<Intent, ParseError> parsed);
    // True when run_parsed answers without I/O and never suspends: parse
    // errors, unknown commands, and handlers that answer at once (help).
    bool answers_at_once(const std::variant<Intent, ParseError>& parsed) const;
    boost::asio::awaitable<Reply> run_intent(Caller caller, Intent intent);
    // A Confirm button: verify the token, re-check permission, run the exact intent.
    boost::asio::awaitable<Reply> confirm(Caller caller, std::string token);
    // A Cancel button: the same token checks as Confirm (asker, channel), and
    // it spends the token, so a later Confirm of it does nothing.
    Reply cancel(const Caller& caller, std::string_view token);
    // Approve / Reject of a two-person approval request (dispatch/approvals.cpp):
    // someone other than the requester, with the rule's role; the requester
    // may withdraw with Reject. Approve runs the change as the requester's.
    boost::asio::awaitable<Reply> approve(Caller caller, std::string token);
    Reply reject(const Caller& caller, std::string_view token);

    const Config& config() const { return *config_; }
    // Long work from here on goes to `jobs` (the server's runner, made after
    // the dispatcher); without it handlers follow inline.
    void set_jobs(Jobs* jobs) { jobs_ = jobs; }
    // A confirm token of `command_text` for a button that anyone in `channel`
    // may press (permission is checked at the press), valid for `ttl`: alert
    // action buttons.
    std::string sign_action(const std::string& command_text, const std::string& channel,
                            std::chrono::seconds ttl) const;

private:
    // The claim of a valid token pressed by its asker in its channel; else
    // nullopt with `refusal` saying why.
    std::optional<ConfirmClaim> claim_for(const Caller& caller, std::string_view token, Reply& refusal);
    bool spend(const ConfirmClaim& claim);  // false: already confirmed or cancelled
    Reply confirmation_request(const Caller& caller, const Intent& intent, const std::string& change);
    Reply approval_request(const Caller& caller, const Intent& intent, const ConfirmationNeeded& needed);
    std::optional<ConfirmClaim> approval_claim_for(const Caller& caller, std::string_view token, Reply& refusal);
    Role approver_role(const ConfirmClaim& claim) const;
    std::int64_t audit(const Caller& caller, const Intent& intent, std::string outcome, std::string detail);
    Role role_of(const Caller& caller) const;

    ConfigPtr config_;
    Store& store_;
    const BotInfo& bot_;
    const HandlerRegistry& handlers_;
    Metrics& metrics_;
    Clients clients_;
    std::string confirm_key_;
    Jobs* jobs_ = nullptr;
};

}  // namespace hpops::bot
