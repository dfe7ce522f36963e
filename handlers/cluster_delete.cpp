#include "handlers/approval_rules.hpp"
#include "handlers/cluster_delete.hpp"

#include <map>

#include "handlers/aws_targets.hpp"
#include "handlers/cluster_common.hpp"
#include "handlers/cluster_stack_job.hpp"
#include "handlers/start_job.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {
namespace {

// The resources people recognise, named one by one; the rest are counted by type.
bool is_notable(std::string_view type) {
    return type == "AWS::EKS::Cluster" || type == "AWS::SageMaker::Cluster" || type == "AWS::EC2::VPC" ||
           type == "AWS::S3::Bucket" || type == "AWS::EC2::NatGateway" || type == "AWS::CloudFormation::Stack";
}

std::string deletion_question(const Stack& stack, const std::vector<StackResource>& resources, bool foreign) {
    std::string q = "Delete cluster `" + stack.name + "`: stack " + stack.status + ", with its " +
                    std::to_string(resources.size()) + " resources.";
    std::map<std::string, int> others;
    for (const auto& r : resources) {
        if (is_notable(r.resource_type))
            q += "\n• " + r.resource_type.substr(5) + " `" + (r.physical_id.empty() ? r.logical_id : r.physical_id) + "`";
        else
            ++others[r.resource_type.starts_with("AWS::") ? r.resource_type.substr(5) : r.resource_type];
    }
    if (!others.empty()) {
        std::string rest;
        for (const auto& [type, n] : others) rest += (rest.empty() ? "" : ", ") + std::to_string(n) + " " + type;
        q += "\n• and " + rest;
    }
    q += "\nEvery instance of its HyperPod cluster is terminated and cannot be brought back.";
    if (foreign) q += "\n*hpops did not launch this stack* (`force=yes`).";
    return q;
}

}  // namespace

boost::asio::awaitable<Reply> ClusterDelete::handle(const Intent& intent, CommandContext& context) {
    const std::string& name = intent.args.at(0);
    const ClusterScope scope = cluster_scope(context, intent, name);
    CloudFormation& cfn = scope.cloudformation();
    const std::string force = option(intent, "force");
    if (!force.empty() && force != "yes") throw UserError("`force=` takes only `yes`.");
    const std::optional<Stack> stack = co_await cfn.describe_stack(name);
    if (!stack || stack->status == "DELETE_COMPLETE")
        throw UserError("No stack named `" + name + "` in " + scope.region + "; `/hp clusters` lists them.");
    const bool foreign = !launched_by_hpops(*stack);
    if (foreign && force.empty())
        throw UserError("`" + name + "` was not launched by hpops (its stack has no `" + std::string(launched_by_tag) +
                        "` tag), so hpops will not delete it unasked. If it should go with everything in it, add "
                        "`force=yes`.");
    if (stack->status == "DELETE_IN_PROGRESS")
        throw UserError("`" + name + "` is already being deleted; `/hp cluster status " + name + "` follows it.");
    const std::vector<StackResource> resources = co_await cfn.describe_stack_resources(stack->id);
    // Its size is not read here: a rule with a threshold counts it as reached.
    ask_before_change(intent, context.config, "a deletion", deletion_question(*stack, resources, foreign),
                      CapacityChange{name, 0, std::nullopt, std::nullopt});

    auto deleting = cfn.delete_stack(stack->id, "hpops-delete-" + std::to_string(context.audit_id));
    co_await std::move(deleting);
    const std::string state =
        cluster_stack_state("delete", *stack, scope.region, static_cast<int>(resources.size()), "");
    auto starting = start_job(context, cluster_stack_job(), state, cluster_target(name), std::chrono::milliseconds(0));
    co_return co_await std::move(starting);
}

}  // namespace hpops::handlers
