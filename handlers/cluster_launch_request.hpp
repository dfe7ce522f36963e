#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hpops/cloudformation.hpp"
#include "hpops/intent.hpp"

namespace hpops::handlers {

// `/hp cluster launch NAME [template=URL] [region=] [instance-type=] [count=]
// [az=] [eks-version=] [spot=yes] [recovery=automatic|none] [param.KEY=VALUE ...]`,
// checked and turned into what CreateStack needs. Every refusal is a
// UserError that says the rule (stack names, https S3 template URLs,
// regions, instance types, counts, zones).
struct ClusterLaunchRequest {
    std::string name;          // the stack name, and the cluster's name prefix
    std::string template_url;  // empty: hpops's own deploy/cloudformation/hyperpod-eks.yaml
    std::string region;        // empty: the configured one
    std::string instance_type = "ml.g5.8xlarge";
    int count = 2;
    std::vector<std::string> zones;  // az=us-west-2a,us-west-2b (names) or usw2-az1,usw2-az2 (ids)
    std::string kubernetes_version;  // empty: the template's default
    bool spot = false;
    std::string recovery = "Automatic";  // Automatic | None, as CloudFormation spells them
    // param.KEY=VALUE, keys as typed but lower-cased by the command parser;
    // template_parameters() gives them the template's own spelling.
    std::vector<StackParameter> extra;
};

ClusterLaunchRequest parse_cluster_launch(const Intent& intent);

// CloudFormation's rule for stack names: a letter, then letters, digits and
// hyphens, at most 128 characters. Empty when `name` follows it, else why not.
std::string stack_name_problem(std::string_view name);
// A template URL CloudFormation can read: https, on S3. Empty when fine.
std::string template_url_problem(std::string_view url);

// The stack parameters for `summary`'s template: the request's fields under
// the names that template declares (hpops's own: InstanceType, InstanceCount,
// AvailabilityZone1/2, ...; AWS's main-stack-eks-based-template.yaml:
// ResourceNamePrefix, HyperPodClusterName, EKSClusterName (NAME-eks),
// AvailabilityZoneIds, KubernetesVersion, NodeRecovery, InstanceGroupSettings1
// as a JSON string), then param.KEY=VALUE matched to
// the declared names without regard to case. Throws UserError naming a
// param. the template does not declare, and listing the required parameters
// still missing with their descriptions.
std::vector<StackParameter> template_parameters(const ClusterLaunchRequest& request, const TemplateSummary& summary);

}  // namespace hpops::handlers
