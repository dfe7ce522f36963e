#pragma once
// Capacity attached to alerts that name an EKS node group, a HyperPod
// instance group or a cluster, and the action buttons configured for them.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alert_router.hpp"
#include "hpops/alert.hpp"
#include "hpops/config.hpp"
#include "hpops/handler.hpp"
#include "hpops/reply.hpp"

namespace hpops::alerts {

// What an alert's labels name; label names as exporters write them
// (kube-state-metrics sanitises eks.amazonaws.com/nodegroup and so on).
struct CapacityTarget {
    enum class Kind { nodegroup, instancegroup, cluster } kind = Kind::nodegroup;
    std::string name;     // group name (empty for kind cluster)
    std::string cluster;  // from the labels; empty: the configured or only one
};
std::optional<CapacityTarget> capacity_target(const Alert& alert);

struct AlertEnrichment {
    std::vector<Field> fields;
    std::vector<Button> buttons;
    std::string note;  // why there is no capacity, when there is none
};

// Signs a confirm token of `command_text` for clicks in `channel`.
using ActionSigner = std::function<std::string(const std::string& command_text, const std::string& channel)>;

class AlertCapacity {
public:
    AlertCapacity(Clients clients, const Config& config, ActionSigner signer);
    // Parameters by value: the lane that awaits it may outlive its caller's frame.
    boost::asio::awaitable<AlertEnrichment> enrich(Alert alert, std::string channel);

private:
    boost::asio::awaitable<AlertEnrichment> nodegroup(const Alert& alert, CapacityTarget target, std::string channel);
    boost::asio::awaitable<AlertEnrichment> instancegroup(const Alert& alert, CapacityTarget target,
                                                          std::string channel);
    boost::asio::awaitable<AlertEnrichment> cluster(CapacityTarget target);
    std::vector<Button> buttons(const Alert& alert, const std::function<std::string(int scale)>& command,
                                const std::string& channel) const;

    Clients clients_;
    const Config& config_;
    ActionSigner signer_;
    std::vector<std::pair<LabelMatcher, AlertActionRule>> actions_;
};

}  // namespace hpops::alerts
