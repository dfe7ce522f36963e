#pragma once
// The real kube-apiserver + etcd of tests/peers/kube_peer.py as a child
// process, for GoogleTest: started once per test binary, stopped by closing
// its stdin (the peer watches it) when the process exits.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "tests/support/moto_process.hpp"

namespace hpops::testing {

class KubePeerProcess {
public:
    KubePeerProcess() {
        const std::string python = MotoProcess::python();
        const std::string script = std::string(HPOPS_SOURCE_DIR) + "/tests/peers/kube_peer.py";
        const char* argv[] = {python.c_str(), script.c_str(), "--crds", nullptr};
        int in[2], out[2];
        if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            ::dup2(in[0], STDIN_FILENO);
            ::dup2(out[1], STDOUT_FILENO);
            ::execv(argv[0], const_cast<char* const*>(argv));
            ::_exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        stdin_ = in[1];
        std::string line;
        char c;
        while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
        ::close(out[0]);
        info_ = nlohmann::json::parse(line, nullptr, false);
        if (!info_.is_object()) {
            stop();
            throw std::runtime_error("kube peer did not start (run scripts/build-kube-peer.sh)");
        }
    }
    ~KubePeerProcess() { stop(); }
    KubePeerProcess(const KubePeerProcess&) = delete;
    KubePeerProcess& operator=(const KubePeerProcess&) = delete;

    const nlohmann::json& info() const { return info_; }
    std::string server() const { return info_["server"]; }
    std::string kubeconfig() const { return info_["kubeconfig"]; }
    std::string ca_file() const { return info_["ca_file"]; }
    std::string admin_token() const { return info_["admin_token"]; }

private:
    void stop() {
        if (stdin_ >= 0) ::close(stdin_);
        stdin_ = -1;
        if (pid_ > 0) {
            int status = 0;
            ::waitpid(pid_, &status, 0);
            pid_ = -1;
        }
    }
    pid_t pid_ = -1;
    int stdin_ = -1;
    nlohmann::json info_;
};

}  // namespace hpops::testing
