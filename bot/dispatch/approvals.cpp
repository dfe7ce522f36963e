// The Dispatcher's two-person approval: a change a rule of approvals.rules
// covers, once its requester confirms, becomes a request in the channel
// that someone else with the rule's role approves (the change then runs as
// the requester's, with the approver recorded) or rejects. Every answer is
// audited; the requester can withdraw but never approve their own.
#include <spdlog/spdlog.h>

#include "bot/dispatch/claimed_command.hpp"
#include "bot/dispatch/confirm_token.hpp"
#include "bot/dispatch/dispatcher.hpp"
#include "bot/dispatch/error_reply.hpp"
#include "command/parser.hpp"
#include "common/metrics.hpp"
#include "hpops/command_spec.hpp"
#include "hpops/errors.hpp"
#include "hpops/store.hpp"

namespace hpops::bot {
namespace {

std::string minutes_text(std::chrono::seconds ttl) {
    const auto minutes = std::max<std::int64_t>(1, ttl.count() / 60);
    return std::to_string(minutes) + " min";
}

}  // namespace

Reply Dispatcher::approval_request(const Caller& caller, const Intent& intent, const ConfirmationNeeded& needed) {
    ConfirmClaim claim = make_claim(intent.to_text(), caller.user_id, caller.channel, config_->approvals.ttl);
    claim.approver = needed.approver();
    std::string token = sign_confirm_token(claim, confirm_key_);
    if (token.size() > max_button_value)
        return message_reply("That command is too long to approve with a button; shorten its arguments.");
    Reply reply;
    reply.visibility = Visibility::channel;  // the second person must see it
    reply.summary = "Approval needed: " + claim.command_text;
    reply.heading("Approval needed");
    reply.text(mention(caller.user_id, caller.user_name) + " asks to run `/hp " + claim.command_text + "`\n" +
               needed.change() + "\nA second person must approve it: " + needed.approval() + ".");
    reply.actions({Button{"Approve", "hpops.approve", token, ButtonStyle::primary},
                   Button{"Reject", "hpops.reject", token, ButtonStyle::danger}});
    reply.context("Expires in " + minutes_text(config_->approvals.ttl) + ". Anyone but " +
                  mention(caller.user_id, caller.user_name) + " with the " + std::string(to_string(*claim.approver)) +
                  " role or above can approve; " + mention(caller.user_id, caller.user_name) +
                  " can withdraw it with Reject.");
    return reply;
}

std::optional<ConfirmClaim> Dispatcher::approval_claim_for(const Caller& caller, std::string_view token,
                                                           Reply& refusal) {
    auto check = verify_confirm_token(token, confirm_key_, std::chrono::system_clock::now());
    if (check.expired && check.expired->approver) {
        if (auto intent = intent_of(*check.expired))
            audit(caller, *intent, "approval-expired", "requested by " + check.expired->actor_id);
        refusal = message_reply("Not done: this approval request expired; nothing was changed. " +
                                mention(check.expired->actor_id) + " can ask again with `/hp " +
                                check.expired->command_text + "`.");
        refusal.replace_original = true;
        return std::nullopt;
    }
    if (!check.claim) {
        metrics_.count_error("confirm_token_invalid");
        refusal = message_reply("Not done: " + check.reason + ".");
    } else if (!check.claim->approver) {
        metrics_.count_error("approval_token_not_approval");
        refusal = message_reply("Not done: that button is not an approval request.");
    } else if (check.claim->channel != caller.channel) {
        metrics_.count_error("confirm_wrong_channel");
        refusal = message_reply("Not done: this approval request belongs to another channel.");
    } else {
        return std::move(check.claim);
    }
    return std::nullopt;
}

// The least role that may answer `claim`: the rule's, or the command's when higher.
Role Dispatcher::approver_role(const ConfirmClaim& claim) const {
    const CommandSpec* spec = find_command_of(claim.command_text);
    return std::max(claim.approver.value_or(Role::operator_), spec ? spec->role : Role::admin);
}

boost::asio::awaitable<Reply> Dispatcher::approve(Caller caller, std::string token) {
    Reply refusal;
    auto claim = approval_claim_for(caller, token, refusal);
    if (!claim) co_return refusal;
    auto intent = intent_of(*claim);
    if (!intent) co_return message_reply("Not done: the request's command no longer reads.");
    if (caller.user_id == claim->actor_id) {
        metrics_.count_command(intent->command, "approval-by-requester");
        audit(caller, *intent, "denied", "the requester cannot approve their own request");
        co_return message_reply("Not done: you asked for this change, so someone else must approve it.");
    }
    if (const Role needed = approver_role(*claim); role_of(caller) < needed) {
        metrics_.count_command(intent->command, "denied");
        NotPermitted denial(intent->command + " (approve)", needed, role_of(caller));
        audit(caller, *intent, "denied", denial.what());
        co_return reply_for_denial(denial);
    }
    if (!spend(*claim)) co_return message_reply("Already answered: this request was approved or rejected before.");
    spdlog::info("request {}: {} approved by {} for {}", caller.request_id, claim->command_text, caller.user_id,
                 claim->actor_id);
    audit(caller, *intent, "approved", "requested by " + claim->actor_id);
    // The change is the requester's: their role is checked again and the
    // audit row of the change names them; the approver's row says who let it.
    Caller requester = caller;
    requester.user_id = claim->actor_id;
    requester.user_name.clear();
    requester.role_override.reset();
    intent->confirmed = true;
    intent->approved_by = caller.user_id;
    auto work = run_intent(requester, std::move(*intent));
    Reply reply = co_await std::move(work);
    reply.replace_original = true;
    reply.visibility = Visibility::channel;
    reply.context("Approved by " + mention(caller.user_id, caller.user_name) + " for " + mention(claim->actor_id) + ".");
    co_return reply;
}

Reply Dispatcher::reject(const Caller& caller, std::string_view token) {
    Reply refusal;
    auto claim = approval_claim_for(caller, token, refusal);
    if (!claim) return refusal;
    auto intent = intent_of(*claim);
    if (!intent) return message_reply("Not done: the request's command no longer reads.");
    const bool withdrawn = caller.user_id == claim->actor_id;
    if (const Role needed = approver_role(*claim); !withdrawn && role_of(caller) < needed) {
        metrics_.count_command(intent->command, "denied");
        return reply_for_denial(NotPermitted(intent->command + " (reject)", needed, role_of(caller)));
    }
    if (!spend(*claim)) return message_reply("Already answered: this request was approved or rejected before.");
    audit(caller, *intent, withdrawn ? "withdrawn" : "rejected", "requested by " + claim->actor_id);
    metrics_.count_command(intent->command, withdrawn ? "withdrawn" : "rejected");
    Reply reply = message_reply((withdrawn ? "Withdrawn by " : "Rejected by ") + mention(caller.user_id, caller.user_name) +
                                    ": `/hp " + claim->command_text + "` was not run. Nothing was changed.",
                                Visibility::channel);
    reply.replace_original = true;
    return reply;
}

}  // namespace hpops::bot
