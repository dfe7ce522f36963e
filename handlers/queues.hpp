#pragma once
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hpops/handler.hpp"
#include "hpops/kube.hpp"

namespace hpops::handlers {

// Kueue's kinds as hpops reads them: v1beta1, which every Kueue release with
// v1beta1 CRDs serves (from v0.15 through conversion).
namespace kueue {
inline const KubeResource cluster_queues{"kueue.x-k8s.io", "v1beta1", "clusterqueues", "ClusterQueue", false};
inline const KubeResource local_queues{"kueue.x-k8s.io", "v1beta1", "localqueues", "LocalQueue"};
inline const KubeResource workloads{"kueue.x-k8s.io", "v1beta1", "workloads", "Workload"};
}  // namespace kueue

// `/hp queues [queue=NAME]`: Kueue's ClusterQueues with quota per flavor
// against usage, pending and admitted workloads, the oldest pending one and
// Kueue's reason; the LocalQueues that feed them.
class Queues final : public Handler {
public:
    std::string_view command() const override { return "queues"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// What the API server holds, as listed.
struct KueueObjects {
    std::vector<nlohmann::json> cluster_queues;
    std::vector<nlohmann::json> local_queues;
    std::vector<nlohmann::json> workloads;
};

// A Kubernetes quantity as a number: "8", "500m", "36Gi", "1.5e3". nullopt
// when it is not one.
std::optional<double> parse_quantity(std::string_view text);

// Not yet holding quota (QuotaReserved is not True) and not finished.
bool workload_pending(const nlohmann::json& workload);
// Why Kueue holds it back: the message of QuotaReserved when False, else of
// Admitted when False; "no reason given yet" when Kueue wrote neither.
std::string pending_reason(const nlohmann::json& workload);

// One row per flavor and resource of a ClusterQueue's quota: flavor,
// resource, nominal quota, reserved (with its share of the quota), in use.
std::vector<std::vector<std::string>> quota_rows(const nlohmann::json& cluster_queue);

// The whole answer; `selected` (queue=) names a ClusterQueue or a LocalQueue
// (NAME or NAMESPACE/NAME), an unknown one a UserError listing those there are.
Reply render_queues(const KueueObjects& objects, const std::string& selected, const std::string& cluster,
                    std::chrono::system_clock::time_point now);

}  // namespace hpops::handlers
