#pragma once
#include <stdexcept>
#include <string>

#include "hpops/role.hpp"

namespace hpops {

// Errors in two layers: these carry what the caller may read; one place
// (bot/error_reply) turns them into chat text and HTTP status.

// The user asked for something invalid; the message is shown as is.
class UserError : public std::runtime_error {
public:
    explicit UserError(std::string message, std::string suggestion = {})
        : std::runtime_error(std::move(message)), suggestion_(std::move(suggestion)) {}
    const std::string& suggestion() const { return suggestion_; }
private:
    std::string suggestion_;
};

class NotPermitted : public std::runtime_error {
public:
    NotPermitted(std::string command, Role needed, Role held)
        : std::runtime_error("`" + command + "` needs the " + std::string(to_string(needed)) + " role"),
          command_(std::move(command)), needed_(needed), held_(held) {}
    const std::string& command() const { return command_; }
    Role needed() const { return needed_; }
    Role held() const { return held_; }
private:
    std::string command_;
    Role needed_;
    Role held_;
};

// A backend (AWS, Kubernetes, MLflow, Slack) refused or failed.
class UpstreamError : public std::runtime_error {
public:
    UpstreamError(std::string service, std::string code, std::string message, std::string request_id = {}, int http_status = 0)
        : std::runtime_error(service + ": " + code + ": " + message),
          service_(std::move(service)), code_(std::move(code)), message_(std::move(message)),
          request_id_(std::move(request_id)), http_status_(http_status) {}
    const std::string& service() const { return service_; }
    const std::string& code() const { return code_; }
    const std::string& upstream_message() const { return message_; }
    const std::string& request_id() const { return request_id_; }
    int http_status() const { return http_status_; }
private:
    std::string service_, code_, message_, request_id_;
    int http_status_;
};

}  // namespace hpops

namespace hpops {

// Thrown by a handler that found, after looking at the current state, that the
// change is destructive or large (scale to zero, a big scale-down). The
// dispatcher answers with Confirm / Cancel buttons carrying a signed token of
// the exact intent; the handler runs again with intent.confirmed set.
//
// With `approval` set, a rule of approvals.rules covers the change: once its
// requester confirms, a second person with at least `approver`'s role must
// approve it (the handler runs again with intent.approved_by set).
class ConfirmationNeeded : public std::exception {
public:
    explicit ConfirmationNeeded(std::string change, std::string approval = {}, Role approver = Role::operator_)
        : change_(std::move(change)), approval_(std::move(approval)), approver_(approver) {}
    const char* what() const noexcept override { return change_.c_str(); }
    const std::string& change() const { return change_; }  // e.g. "spot-ng: desired 4 → 0"
    const std::string& approval() const { return approval_; }  // why a second person must approve; empty: no one
    Role approver() const { return approver_; }

private:
    std::string change_;
    std::string approval_;
    Role approver_;
};

}  // namespace hpops
