#pragma once
#include <optional>
#include <string>
#include <vector>

#include "hpops/cloudformation.hpp"
#include "hpops/handler.hpp"
#include "hpops/job.hpp"

namespace hpops::handlers {

// The tag every stack hpops launches carries (value: the launcher's user id);
// `/hp cluster delete` refuses a stack without it unless told `force=yes`.
inline constexpr std::string_view launched_by_tag = "hpops:launched-by";

// The CloudFormation client, or a UserError saying how to set it up; region=
// other than aws.region is refused, as hpops signs for one region.
CloudFormation& require_cloudformation(CommandContext& context, const Intent& intent);

// The region a cluster command acts in, for messages.
std::string cluster_region(const CommandContext& context);

// hpops's cluster_stack jobs for a stack name, oldest first (of the newest 500 jobs).
std::vector<JobRecord> cluster_jobs(const CommandContext& context, const std::string& stack_name);

bool launched_by_hpops(const Stack& stack);

}  // namespace hpops::handlers
