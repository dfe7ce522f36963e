#pragma once
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hpops {

// AWS CloudFormation, as handlers and the cluster launch job see it.
// Implemented over the Query API in integrations/aws/cloudformation_client.

struct StackParameter {
    std::string key;
    std::string value;
};

struct StackTag {
    std::string key;
    std::string value;
};

struct CreateStackRequest {
    std::string name;
    std::string template_body;  // one of these two
    std::string template_url;   // https://...s3...amazonaws.com/...
    std::vector<StackParameter> parameters;
    std::vector<std::string> capabilities;  // CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND
    std::vector<StackTag> tags;
    // The same token makes a retried CreateStack a no-op on AWS's side, so a
    // launch resumed after a crash never creates the stack twice.
    std::string client_request_token;
    int timeout_minutes = 0;  // 0: none
    bool disable_rollback = false;
};

struct StackOutput {
    std::string key;
    std::string value;
    std::string description;
};

struct Stack {
    std::string name;
    std::string id;      // the stack ARN
    std::string status;  // CREATE_IN_PROGRESS, CREATE_COMPLETE, ROLLBACK_COMPLETE, ...
    std::string status_reason;
    std::string creation_time;  // ISO 8601, as AWS sends it
    std::string last_updated_time;
    std::vector<StackParameter> parameters;
    std::vector<StackOutput> outputs;
    std::vector<StackTag> tags;
};

struct StackSummary {
    std::string name;
    std::string id;
    std::string status;
    std::string status_reason;
    std::string creation_time;
    std::string deletion_time;  // set for DELETE_COMPLETE stacks
};

struct StackEvent {
    std::string event_id;
    std::string timestamp;  // ISO 8601
    std::string logical_id;
    std::string physical_id;
    std::string resource_type;
    std::string status;
    std::string status_reason;
};

struct StackEventsPage {
    std::vector<StackEvent> events;  // newest first, as AWS returns them
    std::string next_token;          // empty: the last page
};

struct StackResource {
    std::string logical_id;
    std::string physical_id;
    std::string resource_type;
    std::string status;
    std::string status_reason;
    std::string timestamp;
};

struct TemplateParameter {
    std::string key;
    std::string default_value;
    bool no_echo = false;
    std::string description;
    bool has_default = false;  // a default of "" is still a default
};

struct TemplateSummary {
    std::vector<TemplateParameter> parameters;
    std::string description;
    std::vector<std::string> capabilities;  // what CreateStack must acknowledge
    std::string capabilities_reason;
};

class CloudFormation {
public:
    virtual ~CloudFormation() = default;
    // The new stack's id (ARN).
    virtual boost::asio::awaitable<std::string> create_stack(CreateStackRequest request) = 0;
    // nullopt when no stack has that name (AWS answers ValidationError).
    virtual boost::asio::awaitable<std::optional<Stack>> describe_stack(std::string name_or_id) = 0;
    virtual boost::asio::awaitable<StackEventsPage> describe_stack_events(std::string name_or_id,
                                                                         std::string next_token) = 0;
    virtual boost::asio::awaitable<std::vector<StackResource>> describe_stack_resources(std::string name_or_id) = 0;
    virtual boost::asio::awaitable<void> delete_stack(std::string name_or_id, std::string client_request_token) = 0;
    // Exactly one of body or url.
    virtual boost::asio::awaitable<TemplateSummary> validate_template(std::string template_body,
                                                                      std::string template_url) = 0;
    // Every page; `statuses` filters (empty: all but DELETE_COMPLETE older than AWS keeps).
    virtual boost::asio::awaitable<std::vector<StackSummary>> list_stacks(std::vector<std::string> statuses) = 0;
};

}  // namespace hpops
