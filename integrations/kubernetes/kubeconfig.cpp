#include "integrations/kubernetes/kubeconfig.hpp"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/crypto.hpp"

namespace hpops::integrations::kubernetes {
namespace {

namespace fs = std::filesystem;

// One named entry (cluster, user or context) and the file it came from, so
// relative paths resolve against that file's folder, as kubectl does.
struct Entry {
    YAML::Node node;
    std::string file;
};

struct Merged {
    std::map<std::string, Entry> clusters, users, contexts;
    std::string current_context;
};

std::string folder_of(const std::string& file) { return fs::path(file).parent_path().string(); }

std::string resolve(const std::string& path, const std::string& file) {
    if (path.empty() || fs::path(path).is_absolute()) return path;
    return (fs::path(folder_of(file)) / path).string();
}

std::string text(const YAML::Node& node, const char* key) {
    const YAML::Node value = node[key];
    return value && value.IsScalar() ? value.as<std::string>() : std::string();
}

void merge_named(const YAML::Node& list, const char* field, const std::string& file,
                 std::map<std::string, Entry>& into) {
    if (!list) return;
    if (!list.IsSequence()) throw KubeconfigError(file + ": `" + std::string(field) + "s` is not a list");
    for (const auto& item : list) {
        const std::string name = text(item, "name");
        if (name.empty()) throw KubeconfigError(file + ": an entry of `" + field + "s` has no name");
        into.emplace(name, Entry{item[field], file});  // first file wins
    }
}

std::string data_or_file(const YAML::Node& node, const std::string& file, const char* data_key,
                         const char* file_key, const std::string& what) {
    if (const std::string data = text(node, data_key); !data.empty()) {
        // The field may be wrapped across lines, as PEM-like data often is.
        std::string compact;
        for (char c : data)
            if (!std::isspace(static_cast<unsigned char>(c))) compact.push_back(c);
        auto decoded = hpops::base64_decode(compact);
        if (!decoded) throw KubeconfigError(file + ": " + what + " `" + data_key + "` is not valid base64");
        return *decoded;
    }
    if (const std::string path = text(node, file_key); !path.empty()) return read_file(resolve(path, file));
    return {};
}

ExecPlugin read_exec(const YAML::Node& exec, const std::string& file, const std::string& user) {
    ExecPlugin plugin;
    plugin.command = text(exec, "command");
    if (plugin.command.empty()) throw KubeconfigError(file + ": user `" + user + "`: exec has no command");
    if (auto v = text(exec, "apiVersion"); !v.empty()) plugin.api_version = v;
    if (const auto args = exec["args"]; args && args.IsSequence())
        for (const auto& a : args) plugin.args.push_back(a.as<std::string>());
    if (const auto env = exec["env"]; env && env.IsSequence())
        for (const auto& e : env) plugin.env.emplace_back(text(e, "name"), text(e, "value"));
    plugin.base_dir = folder_of(file);
    return plugin;
}

}  // namespace

std::string read_file(const std::string& path) {
    // Kubeconfigs, certificates and tokens are a few KiB. A path to a device
    // or a pipe (`certificate-authority: /dev/zero`) would read forever.
    constexpr std::size_t max_size = 4 * 1024 * 1024;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw KubeconfigError("cannot read `" + path + "`: not a regular file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw KubeconfigError("cannot read `" + path + "`");
    std::string text;
    char chunk[16 * 1024];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
        text.append(chunk, static_cast<std::size_t>(in.gcount()));
        if (text.size() > max_size) throw KubeconfigError("`" + path + "` is larger than 4 MiB");
    }
    return text;
}

std::vector<std::string> kubeconfig_paths(const EnvLookup& env, const std::string& explicit_path) {
    if (!explicit_path.empty()) return {explicit_path};
    std::vector<std::string> paths;
    if (auto list = env("KUBECONFIG"); list && !list->empty()) {
        std::stringstream in(*list);
        for (std::string part; std::getline(in, part, ':');)
            if (!part.empty()) paths.push_back(part);
        if (!paths.empty()) return paths;
    }
    if (auto home = env("HOME"); home && !home->empty()) paths.push_back(*home + "/.kube/config");
    return paths;
}

KubeConnection load_kubeconfig(const std::vector<std::string>& paths, const std::string& context_name) {
    if (paths.empty()) throw KubeconfigError("no kubeconfig: set KUBECONFIG or kubernetes.kubeconfig");
    Merged merged;
    std::size_t read = 0;
    for (const auto& path : paths) {
        std::error_code ec;
        // kubectl skips KUBECONFIG entries that do not exist; so do we, unless none does.
        if (paths.size() > 1 && !fs::exists(path, ec)) continue;
        YAML::Node doc;
        try {
            doc = YAML::Load(read_file(path));
        } catch (const YAML::Exception& e) {
            throw KubeconfigError(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
        }
        ++read;
        if (!doc.IsMap()) continue;
        merge_named(doc["clusters"], "cluster", path, merged.clusters);
        merge_named(doc["users"], "user", path, merged.users);
        merge_named(doc["contexts"], "context", path, merged.contexts);
        if (merged.current_context.empty()) merged.current_context = text(doc, "current-context");
    }
    if (read == 0) throw KubeconfigError("none of the kubeconfig files exists");

    const std::string name = context_name.empty() ? merged.current_context : context_name;
    if (name.empty()) throw KubeconfigError("the kubeconfig has no current-context; name one in kubernetes.context");
    const auto ctx = merged.contexts.find(name);
    if (ctx == merged.contexts.end()) {
        std::string known;
        for (const auto& [n, _] : merged.contexts) known += (known.empty() ? "" : ", ") + n;
        throw KubeconfigError("no context `" + name + "` in the kubeconfig (contexts: " + known + ")");
    }
    KubeConnection out;
    out.context = name;
    if (auto ns = text(ctx->second.node, "namespace"); !ns.empty()) out.namespace_name = ns;

    const std::string cluster_name = text(ctx->second.node, "cluster");
    const auto cluster = merged.clusters.find(cluster_name);
    if (cluster == merged.clusters.end())
        throw KubeconfigError("context `" + name + "` names cluster `" + cluster_name + "`, which is not defined");
    const YAML::Node& c = cluster->second.node;
    out.server = text(c, "server");
    if (out.server.empty()) throw KubeconfigError("cluster `" + cluster_name + "` has no server");
    auto tls = std::make_shared<TlsOptions>();
    tls->ca_pem = data_or_file(c, cluster->second.file, "certificate-authority-data", "certificate-authority",
                               "cluster `" + cluster_name + "`");
    tls->insecure_skip_verify = text(c, "insecure-skip-tls-verify") == "true";

    const std::string user_name = text(ctx->second.node, "user");
    if (const auto user = merged.users.find(user_name); user != merged.users.end() && user->second.node) {
        const YAML::Node& u = user->second.node;
        const std::string& file = user->second.file;
        const std::string what = "user `" + user_name + "`";
        tls->client_cert_pem = data_or_file(u, file, "client-certificate-data", "client-certificate", what);
        tls->client_key_pem = data_or_file(u, file, "client-key-data", "client-key", what);
        if (tls->client_cert_pem.empty() != tls->client_key_pem.empty())
            throw KubeconfigError(what + " has a client certificate without its key, or a key without a certificate");
        out.token = text(u, "token");
        out.token_file = resolve(text(u, "tokenFile"), file);
        if (const auto exec = u["exec"]; exec && exec.IsMap()) out.exec = read_exec(exec, file, user_name);
        if (u["auth-provider"])
            throw KubeconfigError(what + " uses an auth-provider, which kubectl itself dropped; use exec");
    } else if (!user_name.empty()) {
        throw KubeconfigError("context `" + name + "` names user `" + user_name + "`, which is not defined");
    }
    out.tls = std::move(tls);
    return out;
}

KubeConnection in_cluster_connection(const EnvLookup& env, const std::string& secrets_dir) {
    const auto host = env("KUBERNETES_SERVICE_HOST");
    const auto port = env("KUBERNETES_SERVICE_PORT");
    if (!host || host->empty() || !port || port->empty())
        throw KubeconfigError("not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are unset");
    KubeConnection out;
    out.context = "in-cluster";
    // An IPv6 service address needs brackets in a URL.
    const bool v6 = host->find(':') != std::string::npos;
    out.server = "https://" + (v6 ? "[" + *host + "]" : *host) + ":" + *port;
    out.token_file = secrets_dir + "/token";
    read_file(out.token_file);  // fail at start-up, not at the first command
    auto tls = std::make_shared<TlsOptions>();
    tls->ca_pem = read_file(secrets_dir + "/ca.crt");
    out.tls = std::move(tls);
    std::error_code ec;
    if (fs::exists(secrets_dir + "/namespace", ec)) {
        std::string ns = read_file(secrets_dir + "/namespace");
        while (!ns.empty() && (ns.back() == '\n' || ns.back() == ' ')) ns.pop_back();
        if (!ns.empty()) out.namespace_name = ns;
    }
    return out;
}

}  // namespace hpops::integrations::kubernetes
