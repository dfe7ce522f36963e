#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hpops/config.hpp"
#include "hpops/intent.hpp"
#include "hpops/kube.hpp"

namespace hpops::handlers {

enum class Engine { vllm, jumpstart, endpoint };

// What `/hp deploy` asked for, validated.
struct DeploySpec {
    std::string model;  // Hugging Face id or JumpStart model id, as given
    std::string name;   // a valid DNS-1035 label
    std::string name_note;  // non-empty when the name was derived from an invalid model name
    Engine engine = Engine::vllm;
    int replicas = 1;
    int gpus = 1;  // per replica
    std::string instance_type;
    std::string image;
    std::string ns;
    std::string s3;  // s3://bucket/prefix
    std::string actor;
};

struct Manifest {
    KubeResource resource;
    nlohmann::json object;
};

// Lower-case letters, digits and '-', starting with a letter, at most 63:
// what a Service name must be (so the Deployment's is too).
bool is_dns_label(std::string_view name);
// The last path segment of the model id, made a valid name ("Llama-3.1-8B" -> "llama-3-1-8b").
std::string derive_name(std::string_view model);
// A label value (63 chars of [A-Za-z0-9._-]) standing for the model id.
std::string label_value(std::string_view text);
std::string_view engine_name(Engine engine);

// Validates options against the config's bounds; throws UserError with the reason.
DeploySpec parse_deploy(const Intent& intent, const KubernetesConfig& config, const std::string& ns);
// The objects `deploy` applies, in order: vllm a Deployment and a Service;
// jumpstart a JumpStartModel; endpoint an InferenceEndpointConfig.
std::vector<Manifest> deploy_manifests(const DeploySpec& spec, const KubernetesConfig& config);
// Every kind deploy may create, for undeploy and models.
const std::vector<KubeResource>& deployable_kinds();

}  // namespace hpops::handlers
