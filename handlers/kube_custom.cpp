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

namespace {

const nlohmann::json& member(const nlohmann::json& object, std::string_view key, bool (nlohmann::json::*is)() const noexcept,
                             const nlohmann::json& empty) {
    if (!object.is_object()) return empty;
    const auto it = object.find(key);
    return it != object.end() && ((*it).*is)() ? *it : empty;
}

}  // namespace

const nlohmann::json& field(const nlohmann::json& object, std::string_view key) {
    static const nlohmann::json empty = nlohmann::json::object();
    return member(object, key, &nlohmann::json::is_object, empty);
}

const nlohmann::json& list_field(const nlohmann::json& object, std::string_view key) {
    static const nlohmann::json empty = nlohmann::json::array();
    return member(object, key, &nlohmann::json::is_array, empty);
}

std::string name_of(const nlohmann::json& object) { return field(object, "metadata").value("name", ""); }
std::string namespace_of(const nlohmann::json& object) { return field(object, "metadata").value("namespace", ""); }

const nlohmann::json& condition_of(const nlohmann::json& object, std::string_view type) {
    for (const auto& c : list_field(field(object, "status"), "conditions"))
        if (c.is_object() && c.value("type", "") == type) return c;
    return field(object, "");  // an empty object
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
