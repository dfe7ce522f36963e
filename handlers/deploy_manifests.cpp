#include "handlers/deploy_manifests.hpp"

#include <cctype>
#include <charconv>

#include "handlers/deploy_common.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {
namespace {

using nlohmann::json;

int bounded(const Intent& intent, const std::string& key, int fallback, int lo, int hi, const std::string& why) {
    auto it = intent.options.find(key);
    if (it == intent.options.end()) return fallback;
    int value = 0;
    auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
    if (ec != std::errc{} || end != it->second.data() + it->second.size() || value < lo || value > hi)
        throw UserError("`" + key + "=" + it->second + "` must be a whole number from " + std::to_string(lo) + " to " +
                        std::to_string(hi) + why + ".");
    return value;
}

json labels(const DeploySpec& spec) {
    return {{managed_by_label, "hpops"},
            {instance_label, spec.name},
            {"app.kubernetes.io/name", spec.name},
            {model_label, label_value(spec.model)},
            {engine_label, std::string(engine_name(spec.engine))}};
}

json metadata(const DeploySpec& spec) {
    return {{"name", spec.name},
            {"namespace", spec.ns},
            {"labels", labels(spec)},
            {"annotations", {{model_annotation, spec.model}, {"hpops.dev/deployed-by", spec.actor}}}};
}

json vllm_deployment(const DeploySpec& spec, const KubernetesConfig& config) {
    const json selector = {{managed_by_label, "hpops"}, {instance_label, spec.name}};
    json args = json::array({"--model", spec.model, "--port", "8000", "--tensor-parallel-size",
                             std::to_string(spec.gpus)});
    json env = json::array();
    if (!spec.s3.empty()) env.push_back({{"name", "MODEL_S3_URI"}, {"value", spec.s3}});
    json container = {
        {"name", "vllm"},
        {"image", spec.image.empty() ? config.vllm_image : spec.image},
        {"args", args},
        {"env", env},
        {"ports", json::array({{{"name", "http"}, {"containerPort", 8000}}})},
        {"resources", {{"requests", {{"nvidia.com/gpu", std::to_string(spec.gpus)}}},
                       {"limits", {{"nvidia.com/gpu", std::to_string(spec.gpus)}}}}},
        {"readinessProbe", {{"httpGet", {{"path", "/health"}, {"port", 8000}}},
                            {"initialDelaySeconds", 30}, {"periodSeconds", 10}}},
    };
    json pod_spec = {
        {"containers", json::array({container})},
        // GPU nodes are tainted so that only pods asking for GPUs land there.
        {"tolerations", json::array({{{"key", "nvidia.com/gpu"}, {"operator", "Exists"}, {"effect", "NoSchedule"}}})},
    };
    if (!spec.instance_type.empty()) pod_spec["nodeSelector"] = {{"node.kubernetes.io/instance-type", spec.instance_type}};
    json template_labels = labels(spec);
    return {{"metadata", metadata(spec)},
            {"spec", {{"replicas", spec.replicas},
                      {"selector", {{"matchLabels", selector}}},
                      {"template", {{"metadata", {{"labels", template_labels}}}, {"spec", pod_spec}}}}}};
}

json vllm_service(const DeploySpec& spec) {
    return {{"metadata", metadata(spec)},
            {"spec", {{"selector", {{managed_by_label, "hpops"}, {instance_label, spec.name}}},
                      {"ports", json::array({{{"name", "http"}, {"port", 8000}, {"targetPort", "http"}}})}}}};
}

// Shaped as HyperPod's inference operator documents it (seed 002).
json jumpstart_model(const DeploySpec& spec) {
    return {{"metadata", metadata(spec)},
            {"spec", {{"sageMakerEndpoint", {{"name", spec.name}}},
                      {"model", {{"modelHubName", "SageMakerPublicHub"}, {"modelId", spec.model}}},
                      {"server", {{"instanceType", spec.instance_type}}},
                      {"metrics", {{"enabled", true}}}}}};
}

json endpoint_config(const DeploySpec& spec) {
    // s3://bucket/prefix -> bucketName, modelLocation
    const std::string rest = spec.s3.substr(5);
    const auto slash = rest.find('/');
    json s3 = {{"bucketName", rest.substr(0, slash)}};
    return {{"metadata", metadata(spec)},
            {"spec", {{"modelName", spec.model},
                      {"endpointName", spec.name},
                      {"instanceType", spec.instance_type},
                      {"invocationEndpoint", "v1/chat/completions"},
                      {"replicas", spec.replicas},
                      {"modelSourceConfig", {{"modelSourceType", "s3"},
                                             {"s3Storage", s3},
                                             {"modelLocation", slash == std::string::npos ? "" : rest.substr(slash + 1)}}}}}};
}

}  // namespace

bool is_dns_label(std::string_view name) {
    if (name.empty() || name.size() > 63 || !std::islower(static_cast<unsigned char>(name.front()))) return false;
    if (name.back() == '-') return false;
    for (char c : name)
        if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-'))
            return false;
    return true;
}

std::string derive_name(std::string_view model) {
    if (auto slash = model.find_last_of('/'); slash != std::string_view::npos && slash + 1 < model.size())
        model = model.substr(slash + 1);
    std::string out;
    for (char c : model) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) out += static_cast<char>(std::tolower(u));
        else if (!out.empty() && out.back() != '-') out += '-';
    }
    if (out.empty() || !std::islower(static_cast<unsigned char>(out.front()))) out = "model-" + out;
    if (out.size() > 63) out.resize(63);
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

std::string label_value(std::string_view text) {
    std::string out;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        out += std::isalnum(u) || c == '-' || c == '_' || c == '.' ? c : '_';
    }
    if (out.size() > 63) out.resize(63);
    while (!out.empty() && !std::isalnum(static_cast<unsigned char>(out.back()))) out.pop_back();
    while (!out.empty() && !std::isalnum(static_cast<unsigned char>(out.front()))) out.erase(0, 1);
    return out;
}

std::string_view engine_name(Engine engine) {
    switch (engine) {
        case Engine::jumpstart: return "jumpstart";
        case Engine::endpoint: return "endpoint";
        default: return "vllm";
    }
}

DeploySpec parse_deploy(const Intent& intent, const KubernetesConfig& config, const std::string& ns) {
    DeploySpec spec;
    spec.model = intent.args.at(0);
    for (char c : spec.model)
        if (std::iscntrl(static_cast<unsigned char>(c)) || c == ' ')
            throw UserError("The model id `" + spec.model + "` has spaces or control characters.");
    if (spec.model.size() > 200) throw UserError("The model id is longer than 200 characters.");
    const std::string engine = option_or_empty(intent.options, "engine");
    if (engine.empty() || engine == "vllm") spec.engine = Engine::vllm;
    else if (engine == "jumpstart") spec.engine = Engine::jumpstart;
    else if (engine == "endpoint") spec.engine = Engine::endpoint;
    else throw UserError("`engine=" + engine + "` is not one of vllm, jumpstart, endpoint.");

    spec.name = option_or_empty(intent.options, "name");
    if (spec.name.empty()) {
        spec.name = derive_name(spec.model);
        if (spec.name != spec.model)
            spec.name_note = "`" + spec.model + "` is not a valid Kubernetes name, so the deployment is named `" +
                             spec.name + "` (give `name=` to choose).";
    } else if (!is_dns_label(spec.name)) {
        throw UserError("`name=" + spec.name + "` is not a valid Kubernetes name: lower-case letters, digits and '-', "
                        "starting with a letter, at most 63 characters.",
                        "deploy " + spec.model + " name=" + derive_name(spec.name));
    }
    if (!is_dns_label(ns)) throw UserError("`namespace=" + ns + "` is not a valid namespace name.");
    spec.ns = ns;
    spec.replicas = bounded(intent, "replicas", 1, 1, config.max_replicas, "");
    spec.gpus = bounded(intent, "gpus", 1, 1, config.max_gpus_per_replica, " (GPUs per replica)");
    spec.instance_type = option_or_empty(intent.options, "instance-type");
    for (char c : spec.instance_type)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-'))
            throw UserError("`instance-type=" + spec.instance_type + "` is not an instance type (like g5.12xlarge).");
    spec.image = option_or_empty(intent.options, "image");
    for (char c : spec.image)
        if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c)))
            throw UserError("`image=` must not contain spaces.");
    spec.s3 = option_or_empty(intent.options, "s3");
    if (!spec.s3.empty() && (!spec.s3.starts_with("s3://") || spec.s3.size() <= 5))
        throw UserError("`s3=" + spec.s3 + "` is not an S3 URI like s3://bucket/prefix.");
    if (spec.engine != Engine::vllm && spec.instance_type.empty())
        throw UserError("`engine=" + engine + "` needs `instance-type=` (a SageMaker type like ml.g5.xlarge).");
    if (spec.engine == Engine::endpoint && spec.s3.empty())
        throw UserError("`engine=endpoint` needs `s3=s3://bucket/path` where the model weights are.");
    return spec;
}

std::vector<Manifest> deploy_manifests(const DeploySpec& spec, const KubernetesConfig& config) {
    switch (spec.engine) {
        case Engine::jumpstart: return {{kube::jumpstart_models, jumpstart_model(spec)}};
        case Engine::endpoint: return {{kube::inference_endpoint_configs, endpoint_config(spec)}};
        default: return {{kube::deployments, vllm_deployment(spec, config)}, {kube::services, vllm_service(spec)}};
    }
}

const std::vector<KubeResource>& deployable_kinds() {
    static const std::vector<KubeResource> kinds{kube::deployments, kube::services, kube::jumpstart_models,
                                                 kube::inference_endpoint_configs};
    return kinds;
}

}  // namespace hpops::handlers
