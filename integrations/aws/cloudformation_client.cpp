#include "integrations/aws/cloudformation_client.hpp"

#include "hpops/errors.hpp"
#include "integrations/aws/query_protocol.hpp"

namespace hpops::integrations::aws {
namespace asio = boost::asio;

namespace {

constexpr std::string_view api_version = "2010-05-15";

Stack stack_from(pugi::xml_node s) {
    Stack stack;
    stack.name = child_text(s, "StackName");
    stack.id = child_text(s, "StackId");
    stack.status = child_text(s, "StackStatus");
    stack.status_reason = child_text(s, "StackStatusReason");
    stack.creation_time = child_text(s, "CreationTime");
    stack.last_updated_time = child_text(s, "LastUpdatedTime");
    for (pugi::xml_node p : members(s, "Parameters"))
        stack.parameters.push_back({child_text(p, "ParameterKey"), child_text(p, "ParameterValue")});
    for (pugi::xml_node o : members(s, "Outputs"))
        stack.outputs.push_back({child_text(o, "OutputKey"), child_text(o, "OutputValue"), child_text(o, "Description")});
    for (pugi::xml_node t : members(s, "Tags")) stack.tags.push_back({child_text(t, "Key"), child_text(t, "Value")});
    return stack;
}

}  // namespace

asio::awaitable<void> CloudFormationClient::ask(const QueryRequest& request,
                                                std::function<void(pugi::xml_node)> read) {
    AwsCall call{"cloudformation", "POST", "/",
                 {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}}, request.body()};
    auto sending = transport_.call(std::move(call));
    const AwsResponse response = co_await std::move(sending);
    const QueryAnswer answer("cloudformation", request.action(), response.body, response.request_id);
    read(answer.result());
}

asio::awaitable<std::string> CloudFormationClient::create_stack(CreateStackRequest r) {
    if (r.template_body.empty() == r.template_url.empty())
        throw UserError("a stack needs exactly one of a template body or a template URL");
    QueryRequest request("CreateStack", api_version);
    request.add("StackName", r.name).add_if("TemplateBody", r.template_body).add_if("TemplateURL", r.template_url);
    std::vector<std::pair<std::string, std::string>> parameters, tags;
    for (auto& p : r.parameters) parameters.emplace_back(std::move(p.key), std::move(p.value));
    for (auto& t : r.tags) tags.emplace_back(std::move(t.key), std::move(t.value));
    request.add_pairs("Parameters", "ParameterKey", "ParameterValue", parameters)
        .add_list("Capabilities", r.capabilities)
        .add_pairs("Tags", "Key", "Value", tags)
        .add_if("ClientRequestToken", r.client_request_token);
    if (r.timeout_minutes > 0) request.add("TimeoutInMinutes", std::to_string(r.timeout_minutes));
    if (r.disable_rollback) request.add("DisableRollback", "true");
    std::string id;
    auto asking = ask(request, [&](pugi::xml_node result) { id = child_text(result, "StackId"); });
    co_await std::move(asking);
    co_return id;
}

asio::awaitable<std::optional<Stack>> CloudFormationClient::describe_stack(std::string name_or_id) {
    QueryRequest request("DescribeStacks", api_version);
    request.add("StackName", name_or_id);
    std::optional<Stack> stack;
    try {
        auto asking = ask(request, [&](pugi::xml_node result) {
            for (pugi::xml_node s : members(result, "Stacks")) return void(stack = stack_from(s));
        });
        co_await std::move(asking);
    } catch (const UpstreamError& e) {
        // The API's only word for "no such stack": ValidationError "Stack with id X does not exist".
        if (e.code() != "ValidationError" || e.upstream_message().find("does not exist") == std::string::npos) throw;
    }
    co_return stack;
}

asio::awaitable<StackEventsPage> CloudFormationClient::describe_stack_events(std::string name_or_id,
                                                                            std::string next_token) {
    QueryRequest request("DescribeStackEvents", api_version);
    request.add("StackName", name_or_id).add_if("NextToken", next_token);
    StackEventsPage page;
    auto asking = ask(request, [&](pugi::xml_node result) {
        for (pugi::xml_node e : members(result, "StackEvents"))
            page.events.push_back({child_text(e, "EventId"), child_text(e, "Timestamp"),
                                   child_text(e, "LogicalResourceId"), child_text(e, "PhysicalResourceId"),
                                   child_text(e, "ResourceType"), child_text(e, "ResourceStatus"),
                                   child_text(e, "ResourceStatusReason")});
        page.next_token = child_text(result, "NextToken");
    });
    co_await std::move(asking);
    co_return page;
}

asio::awaitable<std::vector<StackResource>> CloudFormationClient::describe_stack_resources(std::string name_or_id) {
    QueryRequest request("DescribeStackResources", api_version);
    request.add("StackName", name_or_id);
    std::vector<StackResource> resources;
    auto asking = ask(request, [&](pugi::xml_node result) {
        for (pugi::xml_node r : members(result, "StackResources"))
            resources.push_back({child_text(r, "LogicalResourceId"), child_text(r, "PhysicalResourceId"),
                                 child_text(r, "ResourceType"), child_text(r, "ResourceStatus"),
                                 child_text(r, "ResourceStatusReason"), child_text(r, "Timestamp")});
    });
    co_await std::move(asking);
    co_return resources;
}

asio::awaitable<void> CloudFormationClient::delete_stack(std::string name_or_id, std::string client_request_token) {
    QueryRequest request("DeleteStack", api_version);
    request.add("StackName", name_or_id).add_if("ClientRequestToken", client_request_token);
    auto asking = ask(request, [](pugi::xml_node) {});
    co_await std::move(asking);
}

asio::awaitable<TemplateSummary> CloudFormationClient::validate_template(std::string template_body,
                                                                         std::string template_url) {
    if (template_body.empty() == template_url.empty())
        throw UserError("validating a template needs exactly one of its body or its URL");
    QueryRequest request("ValidateTemplate", api_version);
    request.add_if("TemplateBody", template_body).add_if("TemplateURL", template_url);
    TemplateSummary summary;
    auto asking = ask(request, [&](pugi::xml_node result) {
        summary.description = child_text(result, "Description");
        summary.capabilities_reason = child_text(result, "CapabilitiesReason");
        for (pugi::xml_node c : members(result, "Capabilities")) summary.capabilities.push_back(c.text().get());
        for (pugi::xml_node p : members(result, "Parameters"))
            summary.parameters.push_back({child_text(p, "ParameterKey"), child_text(p, "DefaultValue"),
                                          child_text(p, "NoEcho") == "true", child_text(p, "Description"),
                                          static_cast<bool>(p.child("DefaultValue"))});
    });
    co_await std::move(asking);
    co_return summary;
}

asio::awaitable<std::vector<StackSummary>> CloudFormationClient::list_stacks(std::vector<std::string> statuses) {
    std::vector<StackSummary> stacks;
    std::string token;
    do {
        QueryRequest request("ListStacks", api_version);
        request.add_list("StackStatusFilter", statuses).add_if("NextToken", token);
        auto asking = ask(request, [&](pugi::xml_node result) {
            for (pugi::xml_node s : members(result, "StackSummaries"))
                stacks.push_back({child_text(s, "StackName"), child_text(s, "StackId"), child_text(s, "StackStatus"),
                                  child_text(s, "StackStatusReason"), child_text(s, "CreationTime"),
                                  child_text(s, "DeletionTime")});
            token = child_text(result, "NextToken");
        });
        co_await std::move(asking);
    } while (!token.empty());
    co_return stacks;
}

}  // namespace hpops::integrations::aws
