#include "handlers/models.hpp"

#include "handlers/deploy_common.hpp"
#include "handlers/deploy_rollout.hpp"
#include "handlers/kube_custom.hpp"
#include "hpops/kube.hpp"

namespace hpops::handlers {
namespace {

using nlohmann::json;

const char* const inference_images[] = {"vllm", "text-generation-inference", "tgi", "tritonserver", "sglang",
                                        "lmdeploy", "tensorrt-llm", "djl-inference"};

std::string annotation_of(const json& object, const std::string& key) {
    return object["metadata"].value("annotations", json::object()).value(key, "");
}

}  // namespace

bool looks_like_inference(const json& deployment) {
    for (const auto& c : deployment["spec"]["template"]["spec"].value("containers", json::array())) {
        const std::string image = c.value("image", "");
        for (const char* marker : inference_images)
            if (image.find(marker) != std::string::npos) return true;
    }
    return false;
}

std::vector<std::string> deployment_row(const json& d, std::chrono::system_clock::time_point now) {
    const std::string name = d["metadata"].value("name", "");
    const std::string ns = d["metadata"].value("namespace", "");
    const int desired = d["spec"].value("replicas", 1);
    const int ready = d.value("status", json::object()).value("readyReplicas", 0);
    const int gpus = gpus_of(d["spec"]["template"]["spec"]);
    std::string model = annotation_of(d, model_annotation);
    std::string engine = label_of(d, engine_label);
    const bool managed = managed_by_hpops(d);
    if (model.empty()) model = "?";
    if (engine.empty()) engine = "other";
    return {name + (managed ? "" : " (not hpops)"), engine, model,
            std::to_string(ready) + "/" + std::to_string(desired) + (ready >= desired ? " ✓" : ""),
            std::to_string(gpus * desired), age_of(d, now),
            managed ? "http://" + name + "." + ns + ".svc:8000/v1" : "—"};
}

std::vector<std::string> inference_resource_row(const json& o, std::chrono::system_clock::time_point now) {
    const std::string kind = o.value("kind", "");
    const json spec = o.value("spec", json::object());
    std::string model = spec.value("model", json::object()).value("modelId", spec.value("modelName", "?"));
    const std::string endpoint = kind == "JumpStartModel"
                                     ? spec.value("sageMakerEndpoint", json::object()).value("name", "")
                                     : spec.value("endpointName", "");
    const int replicas = spec.value("replicas", 1);
    return {o["metadata"].value("name", "") + (managed_by_hpops(o) ? "" : " (not hpops)"),
            kind == "JumpStartModel" ? "jumpstart" : "endpoint", model, custom_resource_state(o),
            spec.value("server", json::object()).value("instanceType", spec.value("instanceType", "")) + " × " +
                std::to_string(replicas),
            age_of(o, now), endpoint.empty() ? "—" : "SageMaker endpoint " + endpoint};
}

boost::asio::awaitable<Reply> Models::handle(const Intent& intent, CommandContext& context) {
    Kube& kube = require_kube(context);
    const std::string ns = target_namespace(context, intent);
    const auto now = std::chrono::system_clock::now();
    std::vector<std::string> notes;

    auto listing = kube.list(kube::deployments, ns, {});
    KubeList deployments = co_await std::move(listing);
    Table table{{"Name", "Engine", "Model", "Ready", "GPUs", "Age", "Endpoint"}, {}};
    int managed = 0, others = 0;
    for (const auto& d : deployments.items) {
        const bool ours = managed_by_hpops(d);
        if (!ours && !looks_like_inference(d)) continue;
        (ours ? managed : others) += 1;
        table.rows.push_back(deployment_row(d, now));
    }
    for (const KubeResource& resource : {kube::jumpstart_models, kube::inference_endpoint_configs}) {
        auto fetch = list_if_served(kube, resource, ns);
        const std::optional<std::vector<json>> items = co_await std::move(fetch);
        if (!items) notes.push_back(resource.kind + " is not served (no HyperPod inference operator)");
        for (const auto& o : items.value_or(std::vector<json>{})) {
            (managed_by_hpops(o) ? managed : others) += 1;
            table.rows.push_back(inference_resource_row(o, now));
        }
    }

    Reply reply;
    reply.summary = std::to_string(managed) + " model deployments in " + ns;
    reply.heading("Models in `" + ns + "`");
    if (table.rows.empty()) {
        reply.text("No model deployments in `" + ns + "`. Start one with `/hp deploy MODEL`.");
    } else {
        reply.table(std::move(table));
    }
    std::string footer = std::to_string(managed) + " managed by hpops, " + std::to_string(others) + " other · " +
                         kube.server();
    for (const auto& n : notes) footer += " · " + n;
    reply.context(footer);
    co_return reply;
}

}  // namespace hpops::handlers
