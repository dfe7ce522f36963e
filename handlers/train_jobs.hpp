#pragma once
// Training jobs on the cluster: Kubeflow's PyTorchJob and HyperPod's
// HyperPodPyTorchJob, read as the API server holds them. The pure parts
// (state, replicas, restarts, the pods of a job) are apart from the reading
// so tests can give them objects shaped as the API server returns them.
// Named `trainjobs` so they are never confused with hpops's own `/hp jobs`.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hpops/kube.hpp"

namespace hpops::handlers {

namespace trainjob_kinds {
// Kubeflow's training operator (v1), which hpops can suspend through
// spec.runPolicy.suspend.
inline const KubeResource pytorch_jobs{"kubeflow.org", "v1", "pytorchjobs", "PyTorchJob"};
// HyperPod's training operator (an EKS add-on).
inline const KubeResource hyperpod_pytorch_jobs{"sagemaker.amazonaws.com", "v1", "hyperpodpytorchjobs",
                                                "HyperPodPyTorchJob"};
}  // namespace trainjob_kinds

// A kind of training job and the operator that serves it.
struct TrainJobKind {
    KubeResource resource;
    std::string operator_name;  // "Kubeflow's training operator"
    bool suspendable = false;   // hpops knows a suspend field of its schema
};
const std::vector<TrainJobKind>& train_job_kinds();

// Kueue's label naming the LocalQueue a job was submitted to.
inline constexpr const char* queue_label = "kueue.x-k8s.io/queue-name";

// What the cluster holds: the jobs of every kind that is served, their pods,
// and the kinds whose operator is missing.
struct TrainJobs {
    std::vector<nlohmann::json> jobs;  // each with its kind in "kind"
    std::vector<nlohmann::json> pods;
    std::vector<const TrainJobKind*> missing;
};

// Lists both kinds and the pods in `ns` (empty: every namespace). A UserError
// naming both operators when neither kind is served, never a 404.
boost::asio::awaitable<TrainJobs> read_train_jobs(Kube& kube, std::string ns, std::string cluster);

const TrainJobKind& kind_of(const nlohmann::json& job);

// Running, Succeeded, Failed, Suspended, Restarting, Created, or Pending
// before the operator wrote a condition; "Suspending" while spec asks for
// it and the operator has not said so yet.
std::string job_state(const nlohmann::json& job);
bool job_finished(const nlohmann::json& job);
bool job_suspended_in_spec(const nlohmann::json& job);

// The replica sets of a job's spec: name -> replicas (PyTorchJob's
// pytorchReplicaSpecs map, HyperPod's replicaSpecs list).
std::vector<std::pair<std::string, int>> replica_specs(const nlohmann::json& job);
// Replicas the spec asks for, and GPUs (nvidia.com/gpu) over all of them.
int replicas_total(const nlohmann::json& job);
int gpus_total(const nlohmann::json& job);

// The pods a job owns (ownerReferences), by name.
std::vector<const nlohmann::json*> pods_of(const nlohmann::json& job, const std::vector<nlohmann::json>& pods);
// Container restarts, summed over the pods.
int restarts_of(const std::vector<const nlohmann::json*>& pods);
// "3/4": ready pods (else the operator's active count) of the replicas asked for.
std::string replicas_text(const nlohmann::json& job, const std::vector<const nlohmann::json*>& pods);
// The LocalQueue, or "—".
std::string queue_of(const nlohmann::json& job);

// The job named `name` (in `ns` when given). A UserError listing the jobs
// there are when none is, or naming the namespaces when several are.
const nlohmann::json& find_train_job(const TrainJobs& jobs, const std::string& name, const std::string& ns,
                                     const std::string& cluster);

// "team-a/llama-sft": a job or pod by namespace and name.
std::string qualified(const nlohmann::json& object);

}  // namespace hpops::handlers
