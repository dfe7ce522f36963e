#include "handlers/train_jobs.hpp"

#include <algorithm>
#include <set>

#include "handlers/deploy_common.hpp"
#include "handlers/kube_custom.hpp"
#include "handlers/listing.hpp"
#include "hpops/errors.hpp"
#include "hpops/reply.hpp"

namespace hpops::handlers {
namespace {

using nlohmann::json;

// "no kubeflow.org/v1 API" for each missing kind, joined.
std::string missing_text(const std::vector<const TrainJobKind*>& missing, const char* joiner = " and ") {
    std::string out;
    for (std::size_t i = 0; i < missing.size(); ++i)
        out += std::string(i == 0 ? "" : joiner) + missing[i]->operator_name + " (no " +
               missing[i]->resource.api_version() + " API)";
    return out;
}

int replicas_of(const json& replica_spec) {
    const auto it = replica_spec.find("replicas");
    return it != replica_spec.end() && it->is_number_integer() ? it->get<int>() : 1;
}

}  // namespace

const std::vector<TrainJobKind>& train_job_kinds() {
    static const std::vector<TrainJobKind> kinds{
        {trainjob_kinds::pytorch_jobs, "Kubeflow's training operator", true},
        // HyperPod's training operator publishes no schema with a suspend
        // field (its CRD ships only inside the EKS add-on): hpops does not
        // guess one.
        {trainjob_kinds::hyperpod_pytorch_jobs, "HyperPod's training operator", false},
    };
    return kinds;
}

boost::asio::awaitable<TrainJobs> read_train_jobs(Kube& kube, std::string ns, std::string cluster) {
    TrainJobs out;
    for (const TrainJobKind& kind : train_job_kinds()) {
        auto listing = list_if_served(kube, kind.resource, ns);
        auto items = co_await std::move(listing);
        if (!items) {
            out.missing.push_back(&kind);
            continue;
        }
        for (auto& job : *items) {
            job["kind"] = kind.resource.kind;  // a list's items may leave it out
            out.jobs.push_back(std::move(job));
        }
    }
    if (out.missing.size() == train_job_kinds().size())
        throw UserError("No training operator is installed on cluster `" + cluster + "`: neither " +
                        missing_text(out.missing, " nor ") + ".");
    auto pods = kube.list(kube::pods, ns, {});
    out.pods = (co_await std::move(pods)).items;
    std::sort(out.jobs.begin(), out.jobs.end(),
              [](const json& a, const json& b) { return qualified(a) < qualified(b); });
    co_return out;
}

const TrainJobKind& kind_of(const json& job) {
    const std::string kind = job.value("kind", "");
    for (const auto& k : train_job_kinds())
        if (k.resource.kind == kind) return k;
    return train_job_kinds().front();
}

bool job_suspended_in_spec(const json& job) {
    const json& policy = field(field(job, "spec"), "runPolicy");
    const auto it = policy.find("suspend");
    return it != policy.end() && it->is_boolean() && it->get<bool>();
}

std::string job_state(const json& job) {
    if (condition_true(job, "Failed")) return "Failed";
    for (const char* done : {"Succeeded", "Completed", "Complete"})
        if (condition_true(job, done)) return "Succeeded";
    if (condition_true(job, "Suspended")) return "Suspended";
    if (job_suspended_in_spec(job)) return "Suspending";
    for (const char* state : {"Restarting", "Running", "Created"})
        if (condition_true(job, state)) return state;
    return "Pending";
}

bool job_finished(const json& job) {
    const std::string state = job_state(job);
    return state == "Failed" || state == "Succeeded";
}

std::vector<std::pair<std::string, int>> replica_specs(const json& job) {
    std::vector<std::pair<std::string, int>> out;
    const json& spec = field(job, "spec");
    for (const auto& [name, replica] : field(spec, "pytorchReplicaSpecs").items())
        out.emplace_back(name, replicas_of(replica));
    for (const auto& replica : list_field(spec, "replicaSpecs"))
        if (replica.is_object()) out.emplace_back(replica.value("name", "replicas"), replicas_of(replica));
    return out;
}

int replicas_total(const json& job) {
    int total = 0;
    for (const auto& [name, n] : replica_specs(job)) total += n;
    return total;
}

int gpus_total(const json& job) {
    int total = 0;
    const json& spec = field(job, "spec");
    auto add = [&](const json& replica) {
        total += replicas_of(replica) * gpus_of(field(field(replica, "template"), "spec"));
    };
    for (const auto& [name, replica] : field(spec, "pytorchReplicaSpecs").items()) add(replica);
    for (const auto& replica : list_field(spec, "replicaSpecs")) add(replica);
    return total;
}

std::vector<const json*> pods_of(const json& job, const std::vector<json>& pods) {
    std::vector<const json*> out;
    const std::string kind = job.value("kind", ""), name = name_of(job), ns = namespace_of(job);
    const std::string uid = field(job, "metadata").value("uid", "");
    for (const auto& pod : pods) {
        if (namespace_of(pod) != ns) continue;
        for (const auto& owner : list_field(field(pod, "metadata"), "ownerReferences")) {
            const bool same = owner.value("kind", "") == kind && owner.value("name", "") == name &&
                              (uid.empty() || owner.value("uid", uid) == uid);
            if (same) {
                out.push_back(&pod);
                break;
            }
        }
    }
    std::sort(out.begin(), out.end(), [](const json* a, const json* b) { return name_of(*a) < name_of(*b); });
    return out;
}


int restarts_of(const std::vector<const json*>& pods) {
    int total = 0;
    for (const json* pod : pods)
        for (const auto& c : list_field(field(*pod, "status"), "containerStatuses")) total += c.value("restartCount", 0);
    return total;
}

std::string replicas_text(const json& job, const std::vector<const json*>& pods) {
    int ready = static_cast<int>(std::count_if(pods.begin(), pods.end(), [](const json* p) { return condition_true(*p, "Ready"); }));
    if (pods.empty()) {
        // No pods listed (cleaned up, or a cluster that hides them): the
        // operator's own count of active replicas.
        for (const auto& [type, status] : field(field(job, "status"), "replicaStatuses").items())
            ready += status.is_object() ? status.value("active", 0) : 0;
    }
    return std::to_string(ready) + "/" + std::to_string(replicas_total(job));
}

std::string queue_of(const json& job) {
    const std::string queue = label_of(job, queue_label);
    return queue.empty() ? "—" : queue;
}

std::string qualified(const json& object) { return namespace_of(object) + "/" + name_of(object); }

const json& find_train_job(const TrainJobs& jobs, const std::string& name, const std::string& ns,
                           const std::string& cluster) {
    std::vector<const json*> found;
    for (const auto& job : jobs.jobs)
        if (name_of(job) == name && (ns.empty() || namespace_of(job) == ns)) found.push_back(&job);
    if (found.size() == 1) return *found.front();
    if (found.size() > 1) {
        std::vector<std::string> where;
        for (const json* job : found) where.push_back(job->value("kind", "") + " " + qualified(*job));
        throw UserError("Several training jobs are named `" + name + "`: " + comma_joined(where) +
                        ". Say which with `namespace=`.");
    }
    // The name and namespace as typed: escaped, they cannot become a mention or a link.
    std::string text = "No training job `" + mrkdwn_escape(name) + "`" +
                       (ns.empty() ? "" : " in `" + mrkdwn_escape(ns) + "`") + " on cluster `" + cluster + "`. ";
    std::vector<std::string> names;
    for (const auto& job : jobs.jobs)
        if (ns.empty() || namespace_of(job) == ns) names.push_back(qualified(job));
    if (names.empty()) text += "There are no PyTorchJobs or HyperPodPyTorchJobs" + std::string(ns.empty() ? "" : " there") + ".";
    else if (names.size() > 20) text += "There are " + std::to_string(names.size()) + "; `/hp trainjobs` lists them.";
    else text += "Training jobs: " + comma_joined(names) + ".";
    if (!jobs.missing.empty()) text += " Not installed: " + missing_text(jobs.missing) + ".";
    throw UserError(text, "trainjobs");
}

}  // namespace hpops::handlers
