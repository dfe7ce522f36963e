#pragma once
#include <functional>

#include "hpops/cloudformation.hpp"
#include "integrations/aws/aws_transport.hpp"

namespace pugi {
class xml_node;
}

namespace hpops::integrations::aws {

class QueryRequest;

// CloudFormation over its Query API (cloudformation.{region}.amazonaws.com,
// API version 2010-05-15), signed and retried by the AwsTransport like every
// AWS client here. Errors are UpstreamError("cloudformation", Code, Message,
// RequestId): ValidationError, AlreadyExistsException, LimitExceededException,
// InsufficientCapabilitiesException, TokenAlreadyExistsException, ...
class CloudFormationClient final : public CloudFormation {
public:
    explicit CloudFormationClient(AwsTransport& transport) : transport_(transport) {}

    boost::asio::awaitable<std::string> create_stack(CreateStackRequest request) override;
    boost::asio::awaitable<std::optional<Stack>> describe_stack(std::string name_or_id) override;
    boost::asio::awaitable<StackEventsPage> describe_stack_events(std::string name_or_id,
                                                                 std::string next_token) override;
    boost::asio::awaitable<std::vector<StackResource>> describe_stack_resources(std::string name_or_id) override;
    boost::asio::awaitable<void> delete_stack(std::string name_or_id, std::string client_request_token) override;
    boost::asio::awaitable<TemplateSummary> validate_template(std::string template_body,
                                                              std::string template_url) override;
    boost::asio::awaitable<std::vector<StackSummary>> list_stacks(std::vector<std::string> statuses) override;

private:
    // Sends `request` and hands its <ActionResult> to `read` while the answer's document lives. `read`
    // is taken by value: the coroutine starts when awaited, after a temporary argument is gone.
    boost::asio::awaitable<void> ask(const QueryRequest& request, std::function<void(pugi::xml_node)> read);
    AwsTransport& transport_;
};

}  // namespace hpops::integrations::aws
