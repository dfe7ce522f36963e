#include "handlers/job_kinds.hpp"

#include "handlers/cluster_stack_job.hpp"
#include "handlers/deploy_rollout_job.hpp"
#include "handlers/digest_job.hpp"
#include "handlers/hyperpod_follow_job.hpp"
#include "handlers/node_recovery_job.hpp"
#include "handlers/nodegroup_lifecycle_job.hpp"
#include "handlers/scale_nodegroup_job.hpp"
#include "handlers/undeploy_job.hpp"

namespace hpops::handlers {

std::vector<JobKind*> job_kinds() {
    return {&scale_nodegroup_job(), &nodegroup_lifecycle_job(), &hyperpod_follow_job(), &node_recovery_job(), &deploy_rollout_job(),
            &undeploy_job(), &cluster_stack_job(), &digest_job()};
}

}  // namespace hpops::handlers
