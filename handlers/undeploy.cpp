#include "handlers/undeploy.hpp"

#include "handlers/deploy_common.hpp"
#include "handlers/deploy_manifests.hpp"
#include "handlers/start_job.hpp"
#include "handlers/undeploy_job.hpp"

namespace hpops::handlers {

boost::asio::awaitable<Reply> Undeploy::handle(const Intent& intent, CommandContext& context) {
    Kube& kube = require_kube(context);
    const std::string& name = intent.args.at(0);
    if (!is_dns_label(name)) throw UserError("`" + name + "` is not a valid Kubernetes name.");
    const std::string ns = target_namespace(context, intent);

    std::vector<KubeResource> removed;
    std::vector<std::string> left;
    for (const KubeResource& resource : deployable_kinds()) {
        std::optional<nlohmann::json> object;
        try {
            auto lookup = kube.get(resource, ns, name);
            object = co_await std::move(lookup);
        } catch (const KubeError& error) {
            if (error.not_found()) continue;  // a CRD that is not installed: nothing of that kind
            throw;
        }
        if (!object) continue;
        if (!managed_by_hpops(*object) || label_of(*object, instance_label) != name) {
            left.push_back(resource.kind);
            continue;
        }
        // Background: the API server deletes the object now and the garbage
        // collector its ReplicaSets and pods after.
        auto deleting = kube.remove(resource, ns, name, "Background");
        if (co_await std::move(deleting)) removed.push_back(resource);
    }
    if (removed.empty()) {
        std::string text = "Nothing deployed by hpops is named `" + name + "` in `" + ns + "`.";
        if (!left.empty()) text += " A " + left.front() + " of that name exists but hpops does not manage it; left alone.";
        throw UserError(text, "models namespace=" + ns);
    }
    // Followed as a job until every deleted object is gone (finalizers first).
    auto starting = start_job(context, undeploy_job(),
                              undeploy_state(name, ns, removed, left.empty() ? "" : left.front(), kube.server()),
                              "undeploy " + name, std::chrono::milliseconds(0));
    co_return co_await std::move(starting);
}

}  // namespace hpops::handlers
