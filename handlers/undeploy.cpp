#include "handlers/undeploy.hpp"

#include "handlers/deploy_common.hpp"
#include "handlers/deploy_manifests.hpp"

namespace hpops::handlers {

boost::asio::awaitable<Reply> Undeploy::handle(const Intent& intent, CommandContext& context) {
    Kube& kube = require_kube(context);
    const std::string& name = intent.args.at(0);
    if (!is_dns_label(name)) throw UserError("`" + name + "` is not a valid Kubernetes name.");
    const std::string ns = target_namespace(context, intent);

    std::vector<std::string> removed, left;
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
        if (co_await std::move(deleting)) removed.push_back(resource.kind);
    }
    if (removed.empty()) {
        std::string text = "Nothing deployed by hpops is named `" + name + "` in `" + ns + "`.";
        if (!left.empty()) text += " A " + left.front() + " of that name exists but hpops does not manage it; left alone.";
        throw UserError(text, "models namespace=" + ns);
    }
    std::string kinds;
    for (const auto& k : removed) kinds += (kinds.empty() ? "" : ", ") + k;
    Reply reply = message_reply(":wastebasket: Removed `" + name + "` from `" + ns + "`: " + kinds + ".",
                                Visibility::channel);
    if (!left.empty()) reply.text("Left alone (not managed by hpops): " + left.front() + " `" + name + "`.");
    reply.context("by <@" + context.actor.id + "> · " + kube.server());
    co_return reply;
}

}  // namespace hpops::handlers
