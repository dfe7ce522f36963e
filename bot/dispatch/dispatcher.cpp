#include "bot/dispatch/dispatcher.hpp"

#include "bot/dispatch/authorizer.hpp"
#include "bot/dispatch/claimed_command.hpp"
#include "bot/dispatch/confirm_token.hpp"
#include "bot/dispatch/error_reply.hpp"
#include "command/parser.hpp"
#include "common/crypto.hpp"
#include "common/log_fields.hpp"
#include "common/metrics.hpp"
#include "hpops/command_spec.hpp"
#include "hpops/errors.hpp"
#include "hpops/progress.hpp"
#include "hpops/store.hpp"

namespace hpops::bot {
namespace {

std::int64_t now_unix_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Tokens stay valid across restarts: the key derives from the signing secret
// unless one is configured; with neither (a terminal run) a per-process key.
std::string confirm_key_for(const Config& config) {
    if (!config.confirm.secret.empty()) return config.confirm.secret;
    if (!config.slack.signing_secret.empty()) return hmac_sha256(config.slack.signing_secret, "hpops-confirm-v1");
    return random_bytes(32);
}

// The fields of a command's log lines.
log::Fields log_fields(const Caller& caller, std::string_view command, std::string_view backend_request_id = {}) {
    return {caller.request_id, caller.user_id, command, 0, backend_request_id};
}

// One line for each command that reaches the table, at its outcome: what a
// cluster's log search follows from the HTTP request to the audit row.
void log_outcome(const Caller& caller, std::string_view command, std::string_view outcome,
                 std::string_view detail = {}, std::string_view backend_request_id = {}) {
    log::info(log_fields(caller, command, backend_request_id), "command {}: {}{}{}", command, outcome,
              detail.empty() ? "" : ": ", detail);
}

}  // namespace

Dispatcher::Dispatcher(ConfigPtr config, Store& store, const BotInfo& bot, const HandlerRegistry& handlers,
                       Metrics& metrics, Clients clients)
    : config_(std::move(config)), store_(store), bot_(bot), handlers_(handlers), metrics_(metrics), clients_(clients),
      confirm_key_(confirm_key_for(*config_)) {}

Role Dispatcher::role_of(const Caller& caller) const {
    if (caller.role_override) return *caller.role_override;
    return effective_role(config_->access, caller.user_id, caller.channel);
}

std::int64_t Dispatcher::audit(const Caller& caller, const Intent& intent, std::string outcome, std::string detail) {
    AuditRecord record;
    record.time_unix_ms = now_unix_ms();
    record.platform = caller.platform;
    record.actor_id = caller.user_id;
    record.actor_name = caller.user_name;
    record.channel = caller.channel;
    record.command = intent.command;
    record.arguments = intent.to_text();
    record.outcome = std::move(outcome);
    record.detail = std::move(detail);
    record.request_id = caller.request_id;
    return store_.append_audit(record);
}

boost::asio::awaitable<Reply> Dispatcher::run_text(Caller caller, std::string text) {
    // Named, not a temporary in the co_await expression: GCC 12 destroys those twice.
    auto work = run_parsed(std::move(caller), parse_command(text));
    co_return co_await std::move(work);
}

bool Dispatcher::answers_at_once(const std::variant<Intent, ParseError>& parsed) const {
    const auto* intent = std::get_if<Intent>(&parsed);
    if (!intent) return true;
    const CommandSpec* spec = find_command(intent->command);
    if (!spec) return true;
    const Handler* handler = handlers_.find(spec->name);
    return !handler || handler->answers_at_once();
}

boost::asio::awaitable<Reply> Dispatcher::run_parsed(Caller caller, std::variant<Intent, ParseError> parsed) {
    if (auto* error = std::get_if<ParseError>(&parsed)) {
        metrics_.count_command("(unparsed)", "parse-error");
        co_return reply_for_parse_error(*error);
    }
    auto work = run_intent(std::move(caller), std::move(std::get<Intent>(parsed)));
    co_return co_await std::move(work);
}

boost::asio::awaitable<Reply> Dispatcher::run_intent(Caller caller, Intent intent) {
    const CommandSpec* spec = find_command(intent.command);
    if (!spec) co_return message_reply("Unknown command `" + intent.command + "`.");

    // Claimed in the store before anything else, a denial included: Slack's
    // retry of the request reaching another replica is answered, not run or
    // audited again.
    if (spec->mutating && !caller.idempotency_key.empty() &&
        !store_.remember_request("request:" + caller.idempotency_key,
                                 std::chrono::system_clock::now() + 2 * config_->slack.timestamp_tolerance)) {
        metrics_.count_error("duplicate_request");
        co_return message_reply("This request was already received and handled; not running it again.");
    }
    const Role held = role_of(caller);
    if (held < spec->role) {
        metrics_.count_command(spec->name, "denied");
        NotPermitted denial(spec->name, spec->role, held);
        log_outcome(caller, spec->name, "denied", denial.what());
        if (spec->mutating) audit(caller, intent, "denied", denial.what());
        co_return reply_for_denial(denial);
    }
    if (spec->always_confirm && !spec->handler_confirms && !intent.confirmed) {
        metrics_.count_command(spec->name, "confirm-requested");
        log_outcome(caller, spec->name, "confirm-requested");
        audit(caller, intent, "confirm-requested", {});
        co_return confirmation_request(caller, intent, {});
    }
    Handler* handler = handlers_.find(spec->name);
    if (!handler) {
        metrics_.count_command(spec->name, "unavailable");
        log_outcome(caller, spec->name, "unavailable");
        if (spec->mutating) audit(caller, intent, "unavailable", "no handler in this build");
        co_return message_reply("`" + spec->name + "` is not available in this build of hpops yet.");
    }

    const std::int64_t audit_id = spec->mutating ? audit(caller, intent, "started", {}) : 0;
    auto finish = [&](const char* outcome, const std::string& detail, const std::string& backend_id = {}) {
        metrics_.count_command(spec->name, outcome);
        if (outcome != std::string_view("failed")) log_outcome(caller, spec->name, outcome, detail, backend_id);
        if (audit_id) store_.finish_audit(audit_id, outcome, detail, backend_id);
    };
    NoProgress no_progress;
    CommandContext context{caller.platform, Actor{caller.user_id, caller.user_name, held}, caller.channel,
                           caller.request_id, *config_, store_, bot_, clients_,
                           caller.progress ? *caller.progress : static_cast<Progress&>(no_progress), {},
                           jobs_, audit_id, caller.response_url};
    try {
        Reply reply = co_await handler->handle(intent, context);
        if (context.handed_to_job) {
            // The job closes the row when it ends; the backend's id is kept now.
            metrics_.count_command(spec->name, "started");
            log_outcome(caller, spec->name, "started", reply.summary, context.backend_request_id);
            if (audit_id) store_.finish_audit(audit_id, "started", reply.summary, context.backend_request_id);
        } else {
            finish("ok", reply.summary, context.backend_request_id);
        }
        co_return reply;
    } catch (const ConfirmationNeeded& needed) {
        if (intent.confirmed && !needed.approval().empty()) {
            finish("approval-requested", needed.approval(), context.backend_request_id);
            co_return approval_request(caller, intent, needed);
        }
        finish("confirm-requested", needed.change(), context.backend_request_id);
        co_return confirmation_request(
            caller, intent,
            needed.approval().empty() ? needed.change()
                                      : needed.change() + "\nOnce you confirm, a second person must approve it: " +
                                            needed.approval() + ".");
    } catch (const UserError& error) {
        finish("rejected", error.what(), context.backend_request_id);
        co_return reply_for_user_error(error);
    } catch (const UpstreamError& error) {
        metrics_.count_error("upstream_" + error.service());
        const std::string& backend_id = error.request_id().empty() ? context.backend_request_id : error.request_id();
        log::warn(log_fields(caller, spec->name, backend_id), "request {}: {} failed: {}", caller.request_id,
                  spec->name, error.what());
        finish("failed", error.what(), backend_id);
        co_return reply_for_upstream_error(error);
    } catch (const std::exception& error) {
        metrics_.count_error("handler_exception");
        log::error(log_fields(caller, spec->name, context.backend_request_id), "request {}: {} failed: {}",
                   caller.request_id, spec->name, error.what());
        finish("failed", error.what());
    }
    co_return reply_for_internal_error(caller.request_id);
}

Reply Dispatcher::confirmation_request(const Caller& caller, const Intent& intent, const std::string& change) {
    const ConfirmClaim claim = make_claim(intent.to_text(), caller.user_id, caller.channel, config_->confirm.ttl);
    std::string token = sign_confirm_token(claim, confirm_key_);
    if (token.size() > max_button_value)
        return message_reply("That command is too long to confirm with a button; shorten its arguments.");

    Reply reply;
    reply.summary = "Confirm: " + claim.command_text;
    reply.heading("Confirm this change");
    reply.text("`/hp " + claim.command_text + "`" + (change.empty() ? "" : "\n" + change));
    reply.actions({Button{"Confirm", "hpops.confirm", token, ButtonStyle::danger},
                   Button{"Cancel", "hpops.cancel", token, ButtonStyle::normal}});
    reply.context("Expires in " + std::to_string(config_->confirm.ttl.count() / 60) + " min. Only " +
                  mention(caller.user_id, caller.user_name) + " can confirm; permission is checked again when you do.");
    return reply;
}

std::string Dispatcher::sign_action(const std::string& command_text, const std::string& channel,
                                    std::chrono::seconds ttl) const {
    return sign_confirm_token(make_claim(command_text, {}, channel, ttl), confirm_key_);  // no actor: anyone permitted
}

std::optional<ConfirmClaim> Dispatcher::claim_for(const Caller& caller, std::string_view token, Reply& refusal) {
    auto check = verify_confirm_token(token, confirm_key_, std::chrono::system_clock::now());
    if (!check.claim) {
        metrics_.count_error("confirm_token_invalid");
        refusal = message_reply("Not done: " + check.reason + ".");
    } else if (check.claim->approver) {
        // Confirm or Cancel with an approval's token would skip the second person.
        metrics_.count_error("confirm_token_is_approval");
        refusal = message_reply("Not done: this change waits for a second person's Approve or Reject.");
    } else if (!check.claim->actor_id.empty() && check.claim->actor_id != caller.user_id) {
        metrics_.count_error("confirm_wrong_actor");
        refusal = message_reply("Not done: only " + mention(check.claim->actor_id) + " can confirm or cancel this.");
    } else if (check.claim->channel != caller.channel) {
        metrics_.count_error("confirm_wrong_channel");
        refusal = message_reply("Not done: this confirmation belongs to another channel.");
    } else {
        return std::move(check.claim);
    }
    return std::nullopt;
}

bool Dispatcher::spend(const ConfirmClaim& claim) {
    // One nonce per token, spent by whichever of Confirm and Cancel comes first.
    return store_.remember_request("confirm:" + claim.nonce,
                                   std::chrono::system_clock::from_time_t(claim.expires_unix) + std::chrono::minutes(1));
}

boost::asio::awaitable<Reply> Dispatcher::confirm(Caller caller, std::string token) {
    Reply refusal;
    auto claim = claim_for(caller, token, refusal);
    if (!claim) co_return refusal;
    if (const CommandSpec* spec = find_command_of(claim->command_text);
        claim->actor_id.empty() && spec && role_of(caller) < spec->role) {
        // A token for anyone permitted (an alert's button): someone without the
        // role is refused before the token is spent, so it still works for others.
        auto parsed = parse_command(claim->command_text);
        auto denial = run_intent(caller, std::move(std::get<Intent>(parsed)));
        co_return co_await std::move(denial);
    }
    if (!spend(*claim)) co_return message_reply("Already answered: this button was confirmed or cancelled before.");
    auto parsed = parse_command(claim->command_text);
    if (auto* error = std::get_if<ParseError>(&parsed)) co_return reply_for_parse_error(*error);
    Intent intent = std::move(std::get<Intent>(parsed));
    intent.confirmed = true;
    Reply reply = co_await run_intent(caller, std::move(intent));
    reply.replace_original = true;
    co_return reply;
}

Reply Dispatcher::cancel(const Caller& caller, std::string_view token) {
    Reply refusal;
    auto claim = claim_for(caller, token, refusal);
    if (!claim) return refusal;
    auto parsed = parse_command(claim->command_text);
    const auto* intent = std::get_if<Intent>(&parsed);
    if (const CommandSpec* spec = intent ? find_command(intent->command) : nullptr;
        claim->actor_id.empty() && spec && role_of(caller) < spec->role) {
        // Spending an alert button's token would take it away from those who may press it.
        metrics_.count_command(spec->name, "denied");
        return reply_for_denial(NotPermitted(spec->name, spec->role, role_of(caller)));
    }
    if (!spend(*claim)) return message_reply("Already answered: this button was confirmed or cancelled before.");
    if (intent) {
        log_outcome(caller, intent->command, "cancelled");
        audit(caller, *intent, "cancelled", {});
        metrics_.count_command(intent->command, "cancelled");
    }
    Reply reply = message_reply("Cancelled `/hp " + claim->command_text + "`. Nothing was changed.");
    reply.replace_original = true;
    return reply;
}

}  // namespace hpops::bot
