#pragma once
#include <string_view>

namespace hpops::handlers {

// hpops's own HyperPod EKS template, deploy/cloudformation/hyperpod-eks.yaml,
// built into the binary (CMake's hpops_embed_text) so
// a launch needs no file beside hpops and no S3 bucket.
std::string_view hpops_cluster_template();

// How many resources a YAML template written in the block style declares:
// the keys indented one level under its top-level `Resources:`. The launch
// job shows "done of total" from the first event on with it.
int template_resource_count(std::string_view yaml);

}  // namespace hpops::handlers
