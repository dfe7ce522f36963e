#include "integrations/kubernetes/exec_plugin.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "common/timestamps.hpp"
#include "integrations/aws/credential_sources.hpp"

extern char** environ;

namespace hpops::integrations::kubernetes {
namespace {

constexpr std::size_t max_output = 1 << 20;

struct Pipe {
    int read = -1, write = -1;
    Pipe() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) throw KubeconfigError(std::string("exec plugin: pipe: ") + std::strerror(errno));
        read = fds[0];
        write = fds[1];
    }
    ~Pipe() {
        close_read();
        close_write();
    }
    void close_read() { if (read >= 0) ::close(std::exchange(read, -1)); }
    void close_write() { if (write >= 0) ::close(std::exchange(write, -1)); }
};

// Whether a variable of ours reaches the plugin. kubectl passes its whole
// environment; hpops's holds the Slack signing secret, the bot token and
// MLflow's credentials, so only what a credential plugin needs passes: where
// to find programs and files, locale and proxies, and the AWS chain that
// `aws eks get-token` and aws-iam-authenticator read. Anything else a plugin
// needs belongs in the kubeconfig's `env`.
bool passes_to_plugin(std::string_view name) {
    static constexpr std::string_view exact[] = {
        "PATH", "HOME", "USER", "LOGNAME", "LANG", "TZ", "TMPDIR", "SSL_CERT_FILE", "SSL_CERT_DIR",
        "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"};
    for (std::string_view allowed : exact)
        if (name == allowed) return true;
    return name.starts_with("LC_") || name.starts_with("AWS_");
}

// The plugin's environment: the variables of ours that pass, then the
// kubeconfig's entries (which win), then KUBERNETES_EXEC_INFO as the
// client-go protocol defines it.
std::vector<std::string> plugin_environment(const ExecPlugin& plugin) {
    std::set<std::string, std::less<>> overridden;
    for (const auto& [name, _] : plugin.env) overridden.insert(name);
    overridden.insert("KUBERNETES_EXEC_INFO");
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) {
        const std::string_view entry(*e);
        const std::string_view name = entry.substr(0, entry.find('='));
        if (passes_to_plugin(name) && !overridden.contains(name)) env.emplace_back(entry);
    }
    for (const auto& [name, value] : plugin.env) env.push_back(name + "=" + value);
    const nlohmann::json info{{"apiVersion", plugin.api_version},
                              {"kind", "ExecCredential"},
                              {"spec", {{"interactive", false}}}};
    env.push_back("KUBERNETES_EXEC_INFO=" + info.dump());
    return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

std::string first_lines(const std::string& text, std::size_t max_chars = 400) {
    std::string out = text.substr(0, max_chars);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

}  // namespace

std::string run_exec_plugin(const ExecPlugin& plugin, std::chrono::milliseconds timeout) {
    // A relative path with a slash is from the kubeconfig's folder; a bare name is looked up on PATH.
    std::string command = plugin.command;
    const bool search_path = command.find('/') == std::string::npos;
    if (!search_path && !std::filesystem::path(command).is_absolute() && !plugin.base_dir.empty())
        command = (std::filesystem::path(plugin.base_dir) / command).string();

    std::vector<std::string> argv_strings{command};
    argv_strings.insert(argv_strings.end(), plugin.args.begin(), plugin.args.end());
    std::vector<std::string> env_strings = plugin_environment(plugin);
    auto argv = pointers(argv_strings);
    auto envp = pointers(env_strings);

    Pipe out, err;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);  // never interactive
    posix_spawn_file_actions_adddup2(&actions, out.write, 1);
    posix_spawn_file_actions_adddup2(&actions, err.write, 2);
    // Nothing else of ours: Asio opens sockets without close-on-exec, and a
    // plugin must not hold (or be able to write to) Slack's connections.
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    pid_t pid = -1;
    const int rc = search_path ? ::posix_spawnp(&pid, command.c_str(), &actions, nullptr, argv.data(), envp.data())
                               : ::posix_spawn(&pid, command.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw KubeconfigError("exec plugin `" + plugin.command + "` could not start: " + std::strerror(rc));
    out.close_write();
    err.close_write();

    std::string stdout_text, stderr_text;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool timed_out = false;
    while (out.read >= 0 || err.read >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            break;
        }
        pollfd fds[2] = {{out.read, POLLIN, 0}, {err.read, POLLIN, 0}};
        if (::poll(fds, 2, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
        for (auto [fd, target, pipe] : {std::tuple{fds[0], &stdout_text, &out}, std::tuple{fds[1], &stderr_text, &err}}) {
            if (fd.fd < 0 || !(fd.revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buffer[4096];
            const ssize_t n = ::read(fd.fd, buffer, sizeof buffer);
            if (n <= 0) pipe->close_read();
            else if (target->size() < max_output) target->append(buffer, static_cast<std::size_t>(n));
        }
    }
    if (timed_out) ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out)
        throw KubeconfigError("exec plugin `" + plugin.command + "` gave no answer within " +
                              std::to_string(timeout.count() / 1000) + " s");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        const std::string how = WIFEXITED(status) ? "exited with " + std::to_string(WEXITSTATUS(status))
                                                  : "was killed by signal " + std::to_string(WTERMSIG(status));
        throw KubeconfigError("exec plugin `" + plugin.command + "` " + how +
                              (stderr_text.empty() ? "" : ": " + first_lines(stderr_text)));
    }
    return stdout_text;
}

ExecResult parse_exec_credential(const std::string& text, const std::string& expected_api_version) {
    const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (!doc.is_object() || doc.value("kind", "") != "ExecCredential")
        throw KubeconfigError("exec plugin did not print an ExecCredential");
    if (const std::string v = doc.value("apiVersion", ""); v != expected_api_version)
        throw KubeconfigError("exec plugin answered " + v + ", the kubeconfig asked for " + expected_api_version);
    const nlohmann::json status = doc.value("status", nlohmann::json::object());
    ExecResult out;
    out.token = status.value("token", "");
    out.client_cert_pem = status.value("clientCertificateData", "");
    out.client_key_pem = status.value("clientKeyData", "");
    if (out.token.empty() && (out.client_cert_pem.empty() || out.client_key_pem.empty()))
        throw KubeconfigError("exec plugin's ExecCredential has neither a token nor a client certificate and key");
    if (const std::string at = status.value("expirationTimestamp", ""); !at.empty()) {
        out.expires = parse_aws_timestamp(at);
        if (!out.expires) throw KubeconfigError("exec plugin's expirationTimestamp `" + at + "` is not RFC 3339");
    }
    return out;
}

}  // namespace hpops::integrations::kubernetes
