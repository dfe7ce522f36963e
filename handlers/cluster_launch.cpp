#include "handlers/approval_rules.hpp"
#include "handlers/cluster_launch.hpp"

#include <algorithm>
#include <chrono>

#include "handlers/cluster_common.hpp"
#include "handlers/cluster_launch_request.hpp"
#include "handlers/listing.hpp"
#include "handlers/cluster_plan.hpp"
#include "handlers/cluster_stack_job.hpp"
#include "handlers/cluster_template.hpp"
#include "handlers/start_job.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {
namespace {

std::string parameter_lines(const std::vector<StackParameter>& parameters, const TemplateSummary& summary) {
    std::string out;
    for (const auto& p : parameters) {
        bool secret = false;
        for (const auto& declared : summary.parameters)
            if (declared.key == p.key) secret = declared.no_echo;
        std::string value = secret ? "****" : p.value;
        if (value.size() > 120) value = value.substr(0, 117) + "...";
        out += "\n   " + p.key + " = " + value;
    }
    return out;
}

// The question a launch asks before it creates anything.
std::string launch_question(const ClusterLaunchRequest& request, const std::string& region,
                            const std::string& template_source, const std::vector<StackParameter>& parameters,
                            const TemplateSummary& summary, const std::vector<PlannedGroup>& groups,
                            const CostEstimate& cost) {
    std::string q = "Launch cluster `" + request.name + "` in " + region + " from " + template_source + ".";
    for (const auto& g : groups)
        q += "\n• Instance group `" + g.name + "`: " + std::to_string(g.count) + " × " + g.instance_type;
    q += "\n• Cost: " + cost_text(cost) + ".";
    if (!summary.capabilities.empty()) {
        std::string caps;
        for (const auto& c : summary.capabilities) caps += (caps.empty() ? "" : ", ") + c;
        q += "\n• Acknowledges " + caps + (summary.capabilities_reason.empty() ? "" : ": " + summary.capabilities_reason);
    }
    q += "\n• Parameters:```" + parameter_lines(parameters, summary) + "```";
    q += "\nIt is followed in this channel; `/hp cluster delete " + request.name + "` tears it down.";
    return q;
}

}  // namespace

boost::asio::awaitable<Reply> ClusterLaunch::handle(const Intent& intent, CommandContext& context) {
    const ClusterLaunchRequest request = parse_cluster_launch(intent);
    const ClusterScope scope = cluster_scope(context, intent);
    CloudFormation& cfn = scope.cloudformation();
    if (request.spot)
        throw UserError("HyperPod instance groups have no spot capacity: they run on demand or on a training plan's "
                        "reserved capacity. For spot GPUs, add an EKS node group once the cluster is up: `/hp nodegroup "
                        "create NAME capacity=spot instance-type=g5.12xlarge`.");
    const std::string& region = scope.region;
    const std::string url = !request.template_url.empty() ? request.template_url : context.config.clusters.template_url;
    const std::string body = url.empty() ? std::string(hpops_cluster_template()) : std::string();

    // A name in use is refused before anything else is asked of AWS.
    const std::optional<Stack> existing = co_await cfn.describe_stack(request.name);
    if (existing && existing->status != "DELETE_COMPLETE")
        throw UserError("A stack named `" + request.name + "` already exists (" + existing->status + ", created " +
                        existing->creation_time.substr(0, 10) + "); choose another name, or see `/hp cluster status " +
                        request.name + "`.");

    const TemplateSummary summary = co_await cfn.validate_template(body, url);
    const std::vector<StackParameter> parameters = template_parameters(request, summary);
    const std::vector<PlannedGroup> groups = planned_groups(parameters, summary);
    const CostEstimate cost = estimate_cost(groups, context.config.clusters.hourly_prices);
    const std::string source = url.empty() ? "hpops's template (hyperpod-eks.yaml)" : "`" + url + "`";
    // A template by URL may make IAM roles in nested stacks, which ValidateTemplate
    // does not list for the parent (AWS's HyperPod template does): they are
    // acknowledged as AWS's quick-create link for it asks, and the question says so.
    TemplateSummary acknowledged = summary;
    if (!url.empty()) {
        for (const char* c : {"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"})
            if (std::find(acknowledged.capabilities.begin(), acknowledged.capabilities.end(), c) ==
                acknowledged.capabilities.end())
                acknowledged.capabilities.push_back(c);
        acknowledged.capabilities_reason = "a template by URL may create IAM roles and expand macros in nested stacks";
    }
    ask_before_change(intent, context.config, "a launch",
                      launch_question(request, region, source, parameters, acknowledged, groups, cost),
                      launch_change(request.name, groups, cost));

    CreateStackRequest create;
    create.name = request.name;
    create.template_body = body;
    create.template_url = url;
    create.parameters = parameters;
    create.capabilities = acknowledged.capabilities;
    create.tags = {{std::string(launched_by_tag), context.actor.id}, {"hpops:cluster", request.name}};
    // One token per confirmed command: the transport's retries of this call never create a second stack.
    create.client_request_token = "hpops-launch-" + std::to_string(context.audit_id) + "-" + std::to_string(now_unix_ms());
    Stack stack;
    stack.name = request.name;
    stack.status = "CREATE_IN_PROGRESS";
    stack.id = co_await cfn.create_stack(std::move(create));

    std::string plan;
    for (const auto& g : groups) plan += (plan.empty() ? "" : ", ") + std::to_string(g.count) + " × " + g.instance_type;
    plan += (plan.empty() ? "" : ", ") + hourly_text(cost);
    const int resources = url.empty() ? template_resource_count(body) : 0;
    auto starting = start_job(context, cluster_stack_job(), cluster_stack_state("create", stack, region, resources, plan),
                              cluster_target(request.name), std::chrono::milliseconds(0));
    co_return co_await std::move(starting);
}

}  // namespace hpops::handlers
