#include "bot/dispatch/handler_registry.hpp"

#include <stdexcept>

#include "hpops/command_spec.hpp"

#include "handlers/alerts.hpp"
#include "handlers/capacity.hpp"
#include "handlers/cluster_delete.hpp"
#include "handlers/cluster_launch.hpp"
#include "handlers/cluster_logs.hpp"
#include "handlers/cluster_status.hpp"
#include "handlers/clusters_list.hpp"
#include "handlers/deploy.hpp"
#include "handlers/digest_commands.hpp"
#include "handlers/help.hpp"
#include "handlers/history.hpp"
#include "handlers/instancegroup_add.hpp"
#include "handlers/jobs.hpp"
#include "handlers/kube_nodes.hpp"
#include "handlers/models.hpp"
#include "handlers/nodegroup_lifecycle.hpp"
#include "handlers/nodegroups.hpp"
#include "handlers/pools.hpp"
#include "handlers/queues.hpp"
#include "handlers/node_health.hpp"
#include "handlers/node_recovery.hpp"
#include "handlers/scale_instancegroup.hpp"
#include "handlers/scale_nodegroup.hpp"
#include "handlers/status.hpp"
#include "handlers/train_job_actions.hpp"
#include "handlers/train_job_show.hpp"
#include "handlers/train_jobs_list.hpp"
#include "handlers/training.hpp"
#include "handlers/undeploy.hpp"

namespace hpops::bot {

void HandlerRegistry::add(std::unique_ptr<Handler> handler) {
    std::string key(handler->command());
    if (!find_command(key)) throw std::logic_error("handler for unknown command: " + key);
    if (!handlers_.emplace(key, std::move(handler)).second) throw std::logic_error("two handlers for: " + key);
}

Handler* HandlerRegistry::find(std::string_view command) const {
    auto it = handlers_.find(command);
    return it == handlers_.end() ? nullptr : it->second.get();
}

HandlerRegistry default_handlers() {
    HandlerRegistry registry;
    registry.add(std::make_unique<handlers::Help>());
    registry.add(std::make_unique<handlers::StatusCommand>());
    registry.add(std::make_unique<handlers::Nodegroups>());
    registry.add(std::make_unique<handlers::ScaleNodegroup>());
    registry.add(std::make_unique<handlers::ScaleInstancegroup>());
    registry.add(std::make_unique<handlers::NodegroupCreate>());
    registry.add(std::make_unique<handlers::NodegroupDelete>());
    registry.add(std::make_unique<handlers::InstancegroupAdd>());
    registry.add(std::make_unique<handlers::ClusterLaunch>());
    registry.add(std::make_unique<handlers::ClusterStatus>());
    registry.add(std::make_unique<handlers::ClusterLogs>());
    registry.add(std::make_unique<handlers::ClusterDelete>());
    registry.add(std::make_unique<handlers::ClustersList>());
    registry.add(std::make_unique<handlers::DigestNow>());
    registry.add(std::make_unique<handlers::DigestScheduleCommand>());
    registry.add(std::make_unique<handlers::Digests>());
    registry.add(std::make_unique<handlers::DigestOff>());
    registry.add(std::make_unique<handlers::Capacity>());
    registry.add(std::make_unique<handlers::Training>());
    registry.add(std::make_unique<handlers::TrainingShow>());
    registry.add(std::make_unique<handlers::TrainingCompare>());
    registry.add(std::make_unique<handlers::TrainingDelete>());
    registry.add(std::make_unique<handlers::Deploy>());
    registry.add(std::make_unique<handlers::Models>());
    registry.add(std::make_unique<handlers::Undeploy>());
    registry.add(std::make_unique<handlers::KubeNodes>());
    registry.add(std::make_unique<handlers::NodeHealthReport>());
    registry.add(std::make_unique<handlers::NodeRecovery>(handlers::NodeRecovery::Action::reboot));
    registry.add(std::make_unique<handlers::NodeRecovery>(handlers::NodeRecovery::Action::replace));
    registry.add(std::make_unique<handlers::Queues>());
    registry.add(std::make_unique<handlers::Pools>());
    registry.add(std::make_unique<handlers::TrainJobsList>());
    registry.add(std::make_unique<handlers::TrainJobShow>());
    registry.add(std::make_unique<handlers::TrainJobSuspend>());
    registry.add(std::make_unique<handlers::TrainJobResume>());
    registry.add(std::make_unique<handlers::TrainJobDelete>());
    registry.add(std::make_unique<handlers::History>());
    registry.add(std::make_unique<handlers::Alerts>());
    registry.add(std::make_unique<handlers::JobsList>());
    registry.add(std::make_unique<handlers::JobShow>());
    registry.add(std::make_unique<handlers::JobCancel>());
    return registry;
}

}  // namespace hpops::bot
