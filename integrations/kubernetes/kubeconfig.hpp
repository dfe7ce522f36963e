#pragma once
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "hpops/environment.hpp"
#include "hpops/http_client.hpp"

namespace hpops::integrations::kubernetes {

// An `exec` credential plugin (client.authentication.k8s.io): run with the
// kubeconfig's own argv and environment, never through a shell.
struct ExecPlugin {
    std::string command;  // a bare name is looked up on PATH; a relative path is from the kubeconfig's folder
    std::vector<std::string> args;
    std::vector<std::pair<std::string, std::string>> env;  // added to the bot's own environment
    std::string api_version = "client.authentication.k8s.io/v1";
    std::string base_dir;  // folder of the kubeconfig that named it
};

// Everything needed to reach one API server as one user.
struct KubeConnection {
    std::string server;      // https://host:port
    std::string context;     // kubeconfig context name, or "in-cluster"
    std::string namespace_name = "default";
    std::shared_ptr<const TlsOptions> tls;  // CA, client certificate, insecure-skip
    std::string token;       // static bearer token (never log)
    std::string token_file;  // re-read as it rotates (in-cluster, tokenFile)
    std::optional<ExecPlugin> exec;
};

// A kubeconfig that cannot be used; the message names the file and the entry.
class KubeconfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The files kubectl would read: KUBECONFIG (':'-separated, merged in order:
// for each cluster, user and context name the first file wins, and the first
// current-context set wins), else ~/.kube/config. `explicit_path` (the
// config file's kubernetes.kubeconfig) replaces both.
std::vector<std::string> kubeconfig_paths(const EnvLookup& env, const std::string& explicit_path = {});

// Loads and merges `paths`, picks `context` (empty: current-context) and
// resolves its cluster and user: CA and client certificate as data or files
// (relative to the kubeconfig that named them), token or tokenFile, exec.
KubeConnection load_kubeconfig(const std::vector<std::string>& paths, const std::string& context = {});

// Inside a pod: KUBERNETES_SERVICE_HOST/PORT, and the service-account token,
// CA and namespace under `secrets_dir`.
KubeConnection in_cluster_connection(const EnvLookup& env,
                                     const std::string& secrets_dir = "/var/run/secrets/kubernetes.io/serviceaccount");

std::string read_file(const std::string& path);  // throws KubeconfigError

}  // namespace hpops::integrations::kubernetes
