#include "integrations/kubernetes/kube_connector.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <yaml-cpp/yaml.h>

#include "common/crypto.hpp"
#include "integrations/kubernetes/eks_token.hpp"
#include "integrations/kubernetes/kube_client.hpp"
#include "integrations/kubernetes/kubeconfig.hpp"

namespace hpops::integrations::kubernetes {
namespace {

// Replaces the entry named `name` in a kubeconfig list (clusters, users, contexts), or adds it.
void put_named(YAML::Node list, const std::string& name, const YAML::Node& entry) {
    for (std::size_t i = 0; i < list.size(); ++i)
        if (list[i]["name"] && list[i]["name"].as<std::string>() == name) {
            list[i] = entry;
            return;
        }
    list.push_back(entry);
}

}  // namespace

EksKubeConnector::EksKubeConnector(HttpClient& http, aws::CredentialsProvider& aws, std::string sts_endpoint,
                                   std::string kubeconfig_path, std::chrono::milliseconds timeout)
    : http_(http),
      aws_(aws),
      sts_endpoint_(std::move(sts_endpoint)),
      kubeconfig_path_(std::move(kubeconfig_path)),
      timeout_(timeout) {}

std::unique_ptr<Kube> EksKubeConnector::connect(const KubeEndpoint& endpoint) {
    auto tls = std::make_shared<TlsOptions>();
    if (auto pem = base64_decode(endpoint.ca_data)) tls->ca_pem = std::move(*pem);
    else throw KubeconfigError("the CA EKS gave for " + endpoint.eks_cluster + " is not base64");
    KubeConnection connection;
    connection.server = endpoint.server;
    connection.context = endpoint.name;
    connection.tls = tls;
    auto credentials = std::make_unique<EksTokenCredentials>(aws_, endpoint.eks_cluster, endpoint.region,
                                                             sts_endpoint_, tls);
    return std::make_unique<KubeClient>(http_, std::move(connection), std::move(credentials), timeout_);
}

std::string kubeconfig_with(const std::string& existing, const KubeEndpoint& endpoint) {
    YAML::Node config = existing.empty() ? YAML::Node(YAML::NodeType::Map) : YAML::Load(existing);
    if (!config.IsMap()) config = YAML::Node(YAML::NodeType::Map);
    config["apiVersion"] = "v1";
    config["kind"] = "Config";
    for (const char* list : {"clusters", "users", "contexts"})
        if (!config[list] || !config[list].IsSequence()) config[list] = YAML::Node(YAML::NodeType::Sequence);

    YAML::Node cluster;
    cluster["name"] = endpoint.name;
    cluster["cluster"]["server"] = endpoint.server;
    cluster["cluster"]["certificate-authority-data"] = endpoint.ca_data;
    put_named(config["clusters"], endpoint.name, cluster);

    // What `aws eks update-kubeconfig` writes: argv, never a shell line.
    YAML::Node user;
    user["name"] = endpoint.name;
    YAML::Node exec;
    exec["apiVersion"] = "client.authentication.k8s.io/v1beta1";
    exec["command"] = "aws";
    for (const std::string& arg : {std::string("--region"), endpoint.region, std::string("eks"), std::string("get-token"),
                                   std::string("--cluster-name"), endpoint.eks_cluster, std::string("--output"),
                                   std::string("json")})
        exec["args"].push_back(arg);
    user["user"]["exec"] = exec;
    put_named(config["users"], endpoint.name, user);

    YAML::Node context;
    context["name"] = endpoint.name;
    context["context"]["cluster"] = endpoint.name;
    context["context"]["user"] = endpoint.name;
    put_named(config["contexts"], endpoint.name, context);
    if (!config["current-context"] || config["current-context"].as<std::string>().empty())
        config["current-context"] = endpoint.name;

    YAML::Emitter out;
    out << config;
    return std::string(out.c_str()) + "\n";
}

std::string EksKubeConnector::remember(const KubeEndpoint& endpoint) {
    // One connector per region shares the file: each read-change-write is
    // whole, so no region's context is lost to another's.
    static std::mutex file_mutex;
    std::lock_guard lock(file_mutex);
    std::string existing;
    if (std::ifstream in(kubeconfig_path_); in) {
        std::stringstream text;
        text << in.rdbuf();
        existing = text.str();
    }
    const std::string written = kubeconfig_with(existing, endpoint);
    // Whole or not at all: a reader never sees half a file. Owner-only, as
    // kubectl keeps its own (the CA is public, but the file says where to go).
    const std::string temporary = kubeconfig_path_ + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << written;
        if (!out.flush()) throw KubeconfigError("cannot write " + temporary);
    }
    ::chmod(temporary.c_str(), 0600);
    if (std::rename(temporary.c_str(), kubeconfig_path_.c_str()) != 0)
        throw KubeconfigError("cannot replace " + kubeconfig_path_);
    return kubeconfig_path_;
}

}  // namespace hpops::integrations::kubernetes
