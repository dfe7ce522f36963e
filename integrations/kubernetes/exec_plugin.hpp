#pragma once
#include <chrono>
#include <optional>
#include <string>

#include "integrations/kubernetes/kubeconfig.hpp"

namespace hpops::integrations::kubernetes {

// What an exec plugin printed: an ExecCredential's status.
struct ExecResult {
    std::string token;
    std::string client_cert_pem;
    std::string client_key_pem;
    std::optional<std::chrono::system_clock::time_point> expires;
};
// Parses the plugin's stdout; throws KubeconfigError naming what is wrong.
ExecResult parse_exec_credential(const std::string& json, const std::string& expected_api_version);
// Runs the plugin with argv (posix_spawn, no shell), no descriptor of ours
// beyond its stdin (/dev/null), stdout and stderr, and the environment: the
// few variables of ours a credential plugin needs (PATH, HOME, locale,
// proxies, AWS_*) + plugin.env + KUBERNETES_EXEC_INFO; returns its stdout. Throws
// KubeconfigError on a failure to start, a non-zero exit (with its stderr) or
// `timeout`.
std::string run_exec_plugin(const ExecPlugin& plugin, std::chrono::milliseconds timeout);

}  // namespace hpops::integrations::kubernetes
