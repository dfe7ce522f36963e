#include "handlers/kube_custom.hpp"

#include "hpops/errors.hpp"

namespace hpops::handlers {

boost::asio::awaitable<std::optional<std::vector<nlohmann::json>>> list_if_served(Kube& kube, KubeResource resource,
                                                                                 std::string ns) {
    std::optional<KubeList> list;
    // No co_await in a catch block (GCC 12): the answer is only kept there.
    try {
        auto listing = kube.list(resource, ns, {});
        list = co_await std::move(listing);
    } catch (const KubeError& error) {
        if (!error.not_found()) throw;
    }
    if (!list) co_return std::nullopt;
    co_return std::move(list->items);
}

boost::asio::awaitable<std::vector<nlohmann::json>> list_operator_kind(Kube& kube, KubeResource resource,
                                                                       std::string operator_name, std::string cluster) {
    auto listing = list_if_served(kube, resource, "");
    auto items = co_await std::move(listing);
    if (!items)
        throw UserError(operator_name + " is not installed on cluster `" + cluster + "` (no " + resource.api_version() +
                        " API).");
    co_return std::move(*items);
}

std::string kube_cluster_name(const KubernetesConfig& config, const Kube& kube) {
    if (!config.eks_cluster.empty()) return config.eks_cluster;
    // `aws eks update-kubeconfig` names its context after the cluster's ARN.
    if (const auto at = config.context.rfind(":cluster/"); at != std::string::npos)
        return config.context.substr(at + std::string_view(":cluster/").size());
    if (!config.context.empty()) return config.context;
    return kube.server();
}

}  // namespace hpops::handlers
