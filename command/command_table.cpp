#include "hpops/command_spec.hpp"

#include <cctype>
#include <string_view>
#include <utility>

namespace hpops {

namespace {

// Options with the same key mean the same thing in every command, so their
// descriptions and value placeholders are written once here.
struct OptionInfo {
    std::string_view key;
    std::string_view placeholder;  // shown in usage: "[min=N]"
    std::string_view description;
};

constexpr OptionInfo option_catalogue[] = {
    {"instance-type", "TYPE", "Instance type, e.g. g5.12xlarge (EKS) or ml.g5.12xlarge (HyperPod)"},
    {"min", "N", "Smallest number of nodes the group may scale to"},
    {"max", "N", "Largest number of nodes the group may scale to"},
    {"desired", "N", "Number of nodes wanted now (min <= desired <= max)"},
    {"count", "N", "Number of instances"},
    {"capacity", "spot|on-demand", "Capacity type of the nodes"},
    {"subnets", "ID,ID", "Comma-separated subnet ids; defaults to the cluster's subnets"},
    {"role", "ARN", "IAM role the nodes assume; defaults to the configured node role"},
    {"ami-type", "TYPE", "EKS AMI type, e.g. AL2_x86_64_GPU"},
    {"labels", "K:V,K:V", "Kubernetes labels for the nodes, comma-separated"},
    {"cluster", "NAME", "EKS cluster; defaults to the configured cluster"},
    {"hyperpod", "NAME", "HyperPod cluster; defaults to the configured cluster"},
    {"region", "REGION", "AWS region, e.g. us-east-1; defaults to the configured one, or for a cluster hpops launched, to where it did"},
    {"az", "ZONE", "Availability zone for the instances, e.g. us-west-2a"},
    {"name", "NAME", "Name of the deployment; defaults to one derived from the model"},
    {"engine", "vllm|jumpstart|endpoint", "Serving engine: vLLM on GPUs, a SageMaker JumpStart model, or an S3 model on a HyperPod inference endpoint"},
    {"replicas", "N", "Number of serving replicas"},
    {"gpus", "N", "GPUs per replica"},
    {"image", "IMAGE", "Container image overriding the engine's default"},
    {"namespace", "NS", "Kubernetes namespace; defaults to the configured namespace"},
    {"s3", "URI", "S3 location of the model weights, e.g. s3://bucket/prefix"},
    {"experiment", "NAME", "MLflow experiment"},
    {"status", "STATUS", "Only items in this state, e.g. running, failed, firing"},
    {"since", "DURATION", "Only items newer than this, e.g. 2h, 3d"},
    {"model", "NAME", "Only runs of this model"},
    {"limit", "N", "Show at most N items"},
    {"channel", "#CHANNEL", "Channel to post to; defaults to this one"},
    {"tz", "ZONE", "IANA time zone the schedule is read in, e.g. Europe/Berlin; defaults to UTC"},
    {"sections", "A,B", "Digest sections, comma-separated: fleet, health, alerts, training, gpu-hours; defaults to all"},
    {"template", "URL", "https URL of a CloudFormation template in S3; defaults to hpops's own HyperPod EKS template"},
    {"eks-version", "1.NN", "Kubernetes version of the EKS cluster, e.g. 1.33; defaults to the template's"},
    {"spot", "yes|no", "Spot capacity; HyperPod instance groups have none, so yes is refused with what to do instead"},
    {"recovery", "automatic|none", "HyperPod node recovery: replace faulty instances automatically, or not"},
    {"param.", "KEY=VALUE", "Any template parameter by its name, e.g. param.VpcCidr=10.1.0.0/16; repeatable"},
    {"force", "yes", "Act on a stack hpops did not launch"},
    {"last", "N", "Show the last N items"},
    {"group", "NAME", "Only this node group or instance group"},
    {"dry-run", "yes", "Show the change and its hourly cost without making it"},
    {"queue", "NAME", "Only this Kueue ClusterQueue or LocalQueue"},
    {"pool", "NAME", "Only this Karpenter NodePool"},
};

const OptionInfo* option_info(std::string_view key) {
    for (const auto& info : option_catalogue)
        if (info.key == key) return &info;
    return nullptr;
}

// Builds option specs from catalogue keys; an unknown key is a programming
// error caught by the command table tests (empty description).
std::vector<OptionSpec> opts(std::initializer_list<std::string_view> keys) {
    std::vector<OptionSpec> out;
    out.reserve(keys.size());
    for (auto key : keys) {
        const auto* info = option_info(key);
        out.push_back({std::string(key), info ? std::string(info->description) : std::string()});
    }
    return out;
}

CommandSpec spec(std::string name, std::vector<std::string> positionals, std::size_t required,
                 std::vector<OptionSpec> options, std::string summary, std::string details, Role role,
                 std::string ack) {
    CommandSpec s;
    s.name = std::move(name);
    s.positionals = std::move(positionals);
    s.required_positionals = required;
    s.options = std::move(options);
    s.summary = std::move(summary);
    s.details = std::move(details);
    s.role = role;
    s.mutating = role != Role::viewer;
    s.ack = std::move(ack);
    return s;
}

CommandSpec& confirm(CommandSpec& s) {
    s.always_confirm = true;
    return s;
}

CommandSpec& handler_confirms(CommandSpec& s) {
    s.handler_confirms = true;
    return confirm(s);
}

std::vector<CommandSpec> build_table() {
    std::vector<CommandSpec> t;
    auto add = [&t](CommandSpec s) -> CommandSpec& { return t.emplace_back(std::move(s)); };

    add(spec("help", {"command"}, 0, {}, "List commands, or explain one",
             "`help` alone lists every command; `help <command>` shows its options, the role it needs "
             "and whether it asks for confirmation.",
             Role::viewer, ""))
        .variadic = true;
    add(spec("status", {}, 0, {}, "hpops's own health: version, uptime, store, what is configured",
             "About the bot, not the fleet: `digest now` shows the fleet, the alerts and what changed.",
             Role::viewer, "Checking hpops…"));
    add(spec("nodegroups", {}, 0, opts({"cluster", "hyperpod"}), "EKS node groups and HyperPod instance groups",
             "Lists every EKS node group and HyperPod instance group with instance type and min/desired/max "
             "counts.",
             Role::viewer, "Listing node groups…"));

    add(spec("scale nodegroup", {"name"}, 1, opts({"min", "max", "desired", "cluster", "dry-run"}),
             "Change an EKS node group's size",
             "Give at least one of `min`, `max`, `desired`; the others keep their current values. Counts must "
             "stay within the configured bounds and satisfy min <= desired <= max. Scaling to zero or down by "
             "more than the configured share asks for confirmation, which shows the change in instances and its "
             "hourly cost (`clusters.hourly_prices`); `dry-run=yes` shows them and changes nothing.",
             Role::operator_, "Scaling {0}…"));
    add(spec("scale instancegroup", {"name"}, 1, opts({"count", "hyperpod", "dry-run"}),
             "Change a HyperPod instance group's instance count",
             "`count` is required and must stay within the configured bounds. Scaling to zero or down by more "
             "than the configured share asks for confirmation, which shows the change in instances and its hourly "
             "cost; `dry-run=yes` shows them and changes nothing.",
             Role::operator_, "Scaling instance group {0}…"));

    // Creating capacity costs money from the first minute: it asks first.
    // These ask once they have looked, so the question can show the change's hourly cost.
    handler_confirms(add(spec("nodegroup create", {"name"}, 1,
                     opts({"instance-type", "min", "max", "desired", "capacity", "subnets", "role", "ami-type",
                           "labels", "cluster"}),
                     "Create an EKS managed node group",
                     "`instance-type` is required. Subnets and node role default to those of an existing node "
                     "group of the cluster. Labels are `labels=k:v,k2:v2`. Followed until ACTIVE.",
                     Role::operator_, "Creating node group {0}…")));
    confirm(add(spec("nodegroup delete", {"name"}, 1, opts({"cluster"}), "Delete an EKS node group",
                     "Its nodes are drained and terminated. Runs as a job.", Role::admin,
                     "Deleting node group {0}…")));

    handler_confirms(add(spec("instancegroup add", {"name"}, 1, opts({"instance-type", "count", "hyperpod"}),
                     "Add an instance group to a HyperPod cluster",
                     "`instance-type` (e.g. ml.g5.12xlarge) and `count` are required. Execution role and lifecycle "
                     "scripts are copied from an existing group.",
                     Role::operator_, "Adding instance group {0}…")));

    // The two below ask once they have looked, so the question can show the
    // launch's parameters and estimated cost, or the stack's resources.
    handler_confirms(add(spec("cluster launch", {"name"}, 1,
                              opts({"template", "region", "instance-type", "count", "az", "eks-version", "spot",
                                    "recovery", "param."}),
                              "Launch a HyperPod EKS cluster from a CloudFormation stack",
                              "Creates a stack (VPC, EKS, HyperPod) from hpops's template or `template=`, behind a "
                              "confirmation that shows its parameters, instance groups and estimated hourly cost. "
                              "Followed as a job: resources done, the current step, the first failure on top.",
                              Role::admin, "Launching cluster {0}…")));
    add(spec("cluster status", {"name"}, 0, opts({"region"}),
             "A cluster's stack, EKS cluster, HyperPod instance groups and nodes",
             "Without a name, shows the newest cluster hpops launched.", Role::viewer, "Checking cluster status…"));
    add(spec("cluster logs", {"name"}, 1, opts({"last", "region"}), "A cluster stack's events as a log",
             "The last N events (default 20, up to 200), oldest first, with the first failure named above them. "
             "Kept by hpops after the stack is gone.",
             Role::viewer, "Fetching cluster logs…"));
    handler_confirms(add(spec("cluster delete", {"name"}, 1, opts({"region", "force"}),
                              "Delete a cluster's CloudFormation stack and everything in it",
                              "Behind a confirmation naming the resources that go with it; followed to "
                              "DELETE_COMPLETE. A stack hpops did not launch needs `force=yes`.",
                              Role::admin, "Deleting cluster {0}…")));
    add(spec("clusters", {}, 0, opts({"region"}), "Clusters hpops launched and those it finds",
             "Stacks launched from chat with their status, and the HyperPod and EKS clusters of the region.",
             Role::viewer, "Listing clusters…"));

    add(spec("deploy", {"model"}, 1,
             opts({"name", "engine", "replicas", "gpus", "instance-type", "image", "namespace", "s3", "dry-run"}),
             "Deploy a model for inference",
             "The model is a Hugging Face id or a JumpStart model id. `vllm` (default) runs a Deployment and "
             "Service; `jumpstart` and `endpoint` (needs `s3=`) create HyperPod inference resources and need "
             "`instance-type=`. More GPUs in total than the configured threshold asks first, showing the "
             "instances they amount to and their hourly cost; `dry-run=yes` shows them and changes nothing. "
             "The rollout is followed until ready or failed.",
             Role::operator_, "Deploying {0}…"));
    add(spec("models", {}, 0, opts({"namespace"}), "Model deployments and their readiness", "", Role::viewer,
             "Listing deployments…"));
    confirm(add(spec("undeploy", {"name"}, 1, opts({"namespace"}), "Remove a model deployment",
                     "Stops serving at once; requests in flight fail.", Role::operator_, "Undeploying {0}…")));
    add(spec("nodes", {}, 0, opts({"status"}), "Kubernetes nodes: instance type, readiness, GPUs",
             "GPU capacity, allocatable and in use (requested by pods) per node. `status` is ready or notready.",
             Role::viewer, "Listing nodes…"));

    add(spec("health", {}, 0, opts({"group", "hyperpod", "cluster"}),
             "HyperPod node health: instance status, health labels, cordons, GPUs lost",
             "Each HyperPod node per instance group with its instance status (and SageMaker's reason when it is "
             "not Running), the `sagemaker.amazonaws.com/node-health-status` and `deep-health-check-status` labels "
             "HyperPod sets on its Kubernetes node, whether it is cordoned, and the GPUs of the nodes that are not "
             "schedulable. `group` shows one instance group.",
             Role::viewer, "Checking node health…"));
    handler_confirms(add(spec("node reboot", {"node"}, 1, opts({"hyperpod", "cluster"}),
                              "Reboot a HyperPod node (SageMaker BatchRebootClusterNodes)",
                              "NODE is an instance id (i-…) or its Kubernetes node name (hyperpod-i-…). Asks first; "
                              "refused while the node is being replaced. Followed until the instance is Running again.",
                              Role::operator_, "Rebooting node {0}…")));
    handler_confirms(add(spec("node replace", {"node"}, 1, opts({"hyperpod", "cluster"}),
                              "Replace a HyperPod node with new hardware (SageMaker BatchReplaceClusterNodes)",
                              "Destroys the instance's volumes. NODE is an instance id (i-…) or its Kubernetes node "
                              "name (hyperpod-i-…). Asks first; followed until the new instance is Running.",
                              Role::operator_, "Replacing node {0}…")));

    add(spec("queues", {}, 0, opts({"queue"}), "Kueue team queues: quota against usage, pending work",
             "Each ClusterQueue's quota per flavor and resource (nominalQuota) against what its workloads reserve "
             "and use, its pending and admitted workloads, and the oldest pending workload with the reason Kueue "
             "gives; the LocalQueues that feed it. `queue` shows one ClusterQueue or LocalQueue.",
             Role::viewer, "Reading queues…"));
    add(spec("pools", {}, 0, opts({"pool"}), "Karpenter node pools and the nodes they hold",
             "Each NodePool's limits, disruption settings (consolidation, budgets) and capacity types, and its "
             "NodeClaims: instance type, zone, spot or on-demand, age and readiness. `pool` shows one.",
             Role::viewer, "Listing node pools…"));
    // Training jobs on the cluster: `trainjobs`, never to be confused with hpops's own `jobs`.
    // Changing one asks once the handler has found it, so the question names
    // the job and its GPUs, and a job that cannot be changed so is refused first.
    add(spec("trainjobs", {}, 0, opts({"namespace", "status", "limit"}),
             "PyTorchJobs and HyperPodPyTorchJobs on the cluster, with their MLflow runs",
             "Kubeflow's PyTorchJobs and HyperPod's HyperPodPyTorchJobs in every namespace, or `namespace`'s, "
             "newest first: state, replicas ready of those asked for, container restarts, age, Kueue queue, and the "
             "MLflow run that belongs to each (the newest run of the experiment named after the job). `status` is "
             "pending, created, running, restarting, suspending, suspended, succeeded or failed; `limit` 1 to 200, "
             "default 20.",
             Role::viewer, "Listing training jobs…"));
    add(spec("trainjobs show", {"name"}, 1, opts({"namespace"}), "One training job: conditions, pods, log, run",
             "Its conditions, its pods, why a failed pod ended (termination reason and exit code), the last lines "
             "of the master's log through the API server, and its MLflow run. `namespace` when the name is in "
             "several.",
             Role::viewer, "Reading training job {0}…"));
    handler_confirms(add(spec("trainjobs suspend", {"name"}, 1, opts({"namespace"}), "Suspend a PyTorchJob",
                     "Sets spec.runPolicy.suspend: the training operator deletes the job's pods and keeps the job; "
                     "`trainjobs resume` starts them again. HyperPodPyTorchJobs cannot be suspended (their operator "
                     "publishes no suspend field).",
                     Role::operator_, "Suspending training job {0}…")));
    handler_confirms(add(spec("trainjobs resume", {"name"}, 1, opts({"namespace"}), "Resume a suspended PyTorchJob",
                     "Clears spec.runPolicy.suspend: the training operator creates the job's pods again.",
                     Role::operator_, "Resuming training job {0}…")));
    handler_confirms(add(spec("trainjobs delete", {"name"}, 1, opts({"namespace"}), "Delete a training job and its pods",
                     "Deletes the PyTorchJob or HyperPodPyTorchJob; its pods go with it. Its MLflow runs stay. "
                     "Admin, as every delete is.",
                     Role::admin, "Deleting training job {0}…")));
    add(spec("history", {}, 0, opts({"group", "since", "limit"}), "Who changed what, when, and how it ended",
             "The audited operations, newest first: who, the command, when, its outcome and the AWS or Kubernetes "
             "request id. `group` keeps those naming a node group, instance group, deployment or cluster (as an "
             "argument or an option's value); `since` a span (24h, 7d) or a UTC date; `limit` 1 to 200, default 20. "
             "Commands that only read are not audited, so never shown.",
             Role::viewer, "Reading history…"));

    add(spec("training", {}, 0, opts({"experiment", "status", "since", "model", "limit"}), "Recent training runs",
             "Runs from MLflow, newest first, across every experiment unless `experiment` names one: status, "
             "tags (model, dataset, instance type, replicas, …), samples/s, steps/s, start and duration. `status` is "
             "finished, running, failed, killed or scheduled; `since` a span (24h, 7d, 2w) or a UTC date "
             "(2026-11-01); `limit` 1 to 200, default 20.",
             Role::viewer, "Listing training runs…"));
    add(spec("training show", {"run"}, 1, {}, "Details of one training run",
             "The run is a run id or a unique run name. Latest metrics with a trend of loss and throughput, params, "
             "tags, timings, and a link to the MLflow UI when one is configured.",
             Role::viewer, "Fetching run {0}…"));
    add(spec("training compare", {"run", "run"}, 2, {}, "Compare two or more training runs side by side",
             "Up to 6 runs, by id or unique name: throughput against the first run, timings, and the params and "
             "tags that differ, marked ≠.",
             Role::viewer, "Comparing runs…"))
        .variadic = true;
    confirm(add(spec("training delete", {"run"}, 1, {}, "Delete a training run",
                     "The run is a run id or a unique run name. Marks the run deleted in MLflow; it can be restored "
                     "until the server's garbage collection (`mlflow gc`) removes it.",
                     Role::admin, "Deleting run {0}…")));

    add(spec("alerts", {}, 0, opts({"status", "since", "limit"}), "Firing alerts",
             "Without `status`, shows firing alerts.", Role::viewer, "Listing alerts…"));
    add(spec("jobs", {}, 0, opts({"status", "since", "limit"}), "Long-running work: scales, rollouts, launches",
             "Newest first; `status` is one of running, done, failed, cancelled.", Role::viewer, "Listing jobs…"));
    add(spec("job", {"id"}, 1, {}, "One job's message and history",
             "The id comes from `jobs` or the job's message.", Role::viewer, "Reading job {0}…"));
    add(spec("job cancel", {"id"}, 1, {}, "Stop following a job",
             "Stops following; never undoes what the job already changed in AWS or Kubernetes.", Role::operator_,
             "Cancelling job {0}…"));
    add(spec("digest now", {"name"}, 0, opts({"sections", "since"}), "The status digest, now",
             "The fleet's capacity and who changed it; HyperPod nodes not Running, models not ready, cluster "
             "launches under way or failed; the alerts firing and resolved; training runs per experiment with "
             "their throughput and regressions against the period before; GPU-hours and their cost per cluster and "
             "instance type: as a scheduled digest shows them. With a schedule's name, its sections; `since` sets "
             "the period (default 24h).",
             Role::viewer, "Building the digest…"));
    add(spec("digest schedule", {"name", "cron"}, 2, opts({"tz", "channel", "sections"}), "Post a digest on a schedule",
             "The schedule is a 5-field cron expression in quotes, e.g. `digest schedule weekdays \"0 9 * * 1-5\" "
             "tz=Europe/Berlin`, read as Debian's cron reads it; across DST changes a set time fires once. A name "
             "in use is replaced; the config file's schedules cannot be changed from chat.",
             Role::operator_, "Scheduling digest {0}…"));
    add(spec("digests", {}, 0, {}, "Scheduled digests and when each fires next",
             "The config file's schedules and those made in chat.", Role::viewer, "Listing digests…"));
    add(spec("digest off", {"name"}, 1, {}, "Stop a scheduled digest", "The name comes from `digests`.",
             Role::operator_, "Removing digest {0}…"));
    add(spec("capacity", {}, 0, opts({"since", "group"}), "Each group's size over time, and its GPU-hours",
             "From the sizes hpops samples every few minutes (`digests.capacity_interval`): a sparkline per node "
             "group and instance group, its fewest and most instances, GPU-hours and their cost from "
             "`clusters.hourly_prices`. `since` defaults to 7d.",
             Role::viewer, "Reading capacity…"));
    return t;
}

std::string normalize_name(std::string_view name) {
    std::string out;
    std::size_t i = 0;
    while (i < name.size()) {
        while (i < name.size() && std::isspace(static_cast<unsigned char>(name[i]))) ++i;
        std::size_t start = i;
        while (i < name.size() && !std::isspace(static_cast<unsigned char>(name[i]))) ++i;
        if (start == i) break;
        std::string word(name.substr(start, i - start));
        for (auto& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (const auto& a : word_aliases())
            if (a.alias == word) word = a.word;
        if (!out.empty()) out += ' ';
        out += word;
    }
    return out;
}

}  // namespace

std::string CommandSpec::usage() const {
    std::string out = name;
    for (std::size_t i = 0; i < positionals.size(); ++i) {
        const bool required = i < required_positionals;
        const bool repeats = variadic && i + 1 == positionals.size();
        if (required) out += " <" + positionals[i] + ">";
        // A repeating argument is shown once more as optional: "<run> <run> [run…]".
        if (repeats) out += " [" + positionals[i] + "…]";
        else if (!required) out += " [" + positionals[i] + "]";
    }
    for (const auto& o : options) {
        const auto* info = option_info(o.key);
        if (o.key.ends_with('.')) out += " [" + o.key + std::string(info ? info->placeholder : "KEY=VALUE") + "…]";
        else out += " [" + o.key + "=" + std::string(info ? info->placeholder : "VALUE") + "]";
    }
    return out;
}

std::span<const CommandSpec> command_table() {
    static const std::vector<CommandSpec> table = build_table();
    return table;
}

std::span<const WordAlias> word_aliases() {
    // "nodegroups" stays its own listing command, so only the short forms of
    // the singular words are aliased; the plural shorthands go to the listing.
    static const std::vector<WordAlias> aliases{
        {"ng", "nodegroup"},
        {"ig", "instancegroup"},
        {"ngs", "nodegroups"},
        {"igs", "nodegroups"},
        {"instancegroups", "nodegroups"},
    };
    return aliases;
}

const CommandSpec* find_command(std::string_view name) {
    // Table names are already normal: most lookups (the parser's, the
    // dispatcher's) pass one exactly and need no normalising copy.
    for (const auto& s : command_table())
        if (s.name == name) return &s;
    const std::string key = normalize_name(name);
    for (const auto& s : command_table())
        if (s.name == key) return &s;
    return nullptr;
}

}  // namespace hpops
