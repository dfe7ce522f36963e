#pragma once
// A moto server on a free loopback port, for tests that want a real AWS API
// to talk to; stopped on destruction. Plain `python -m moto.server`, or the
// hpops peer (tests/peers/moto_peer.py: moto with the harness's extensions,
// where moto lacks an operation or answers unlike AWS). Minimal and
// header-only on purpose: one process, one endpoint.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>

namespace hpops::testing {

class MotoProcess {
public:
    // The venv scripts/bootstrap.sh prepares; HPOPS_VENV overrides its place.
    static std::string python() {
        if (const char* venv = std::getenv("HPOPS_VENV")) return std::string(venv) + "/bin/python";
        const char* home = std::getenv("HOME");
        return std::string(home ? home : "") + "/.cache/hpops/venv/bin/python";
    }

    // seeded_demo: the hpops peer with tests/peers/seed_aws.py's scene (an
    // EKS cluster with node groups gpu-ng and spot-ng-with-hypd, a HyperPod
    // cluster), returned once the peer says the scene is ready.
    enum class Flavor { plain, with_hpops_extensions, seeded_demo };

    explicit MotoProcess(Flavor flavor = Flavor::plain) : port_(free_port()) {
        const std::string python = MotoProcess::python();
        const std::string port = std::to_string(port_);
        const std::string peer = std::string(HPOPS_SOURCE_DIR) + "/tests/peers/moto_peer.py";
        // argv is built before fork: the child of a threaded process may only
        // make async-signal-safe calls until exec.
        const char* plain[] = {python.c_str(), "-m", "moto.server", "-H", "127.0.0.1", "-p", port.c_str(), nullptr};
        const char* extended[] = {python.c_str(), peer.c_str(), "--port", port.c_str(), nullptr};
        const char* seeded[] = {python.c_str(), peer.c_str(), "--port", port.c_str(), "--seed", nullptr};
        const char* const* argv = flavor == Flavor::plain ? plain : flavor == Flavor::seeded_demo ? seeded : extended;
        int ready[2] = {-1, -1};  // the peer's stdout: its JSON line comes once the scene is seeded
        if (flavor == Flavor::seeded_demo && ::pipe(ready) != 0) throw std::runtime_error("pipe failed");
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            const int devnull = ::open("/dev/null", O_RDWR);
            ::dup2(devnull, STDIN_FILENO);  // not a pipe: the peer does not wait for its parent to close it
            ::dup2(ready[1] >= 0 ? ready[1] : devnull, STDOUT_FILENO);
            ::dup2(devnull, STDERR_FILENO);
            ::execv(argv[0], const_cast<char* const*>(argv));
            ::_exit(127);
        }
        if (ready[1] >= 0) {
            ::close(ready[1]);
            wait_for_line(ready[0]);
        }
        wait_until_listening();
    }
    ~MotoProcess() { stop(); }
    MotoProcess(const MotoProcess&) = delete;
    MotoProcess& operator=(const MotoProcess&) = delete;

    std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
    static int free_port() {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
            ::close(fd);
            throw std::runtime_error("no free loopback port");
        }
        ::close(fd);
        return ntohs(address.sin_port);
    }

    bool accepts_connections() const {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(static_cast<std::uint16_t>(port_));
        const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        ::close(fd);
        return ok;
    }

    // Reads the peer's first line; EOF means it exited. The pipe stays open
    // until stop(), so a later write of the peer's never meets a closed pipe.
    void wait_for_line(int fd) {
        ready_fd_ = fd;
        char c = 0;
        ssize_t got = 0;
        while ((got = ::read(fd, &c, 1)) == 1 && c != '\n') {
        }
        if (got != 1) {
            stop();
            throw std::runtime_error("the moto peer exited before its scene was seeded");
        }
    }

    void wait_until_listening() {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < deadline) {
            if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
                pid_ = -1;
                throw std::runtime_error("moto.server exited at start: is moto[server] installed in " + python() +
                                         "? (scripts/bootstrap.sh)");
            }
            if (accepts_connections()) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        stop();
        throw std::runtime_error("moto.server did not listen within 30 s");
    }

    void stop() {
        if (ready_fd_ >= 0) ::close(ready_fd_);
        ready_fd_ = -1;
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        for (int i = 0; i < 50; ++i) {
            if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return void(pid_ = -1);
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }

    int port_;
    pid_t pid_ = -1;
    int ready_fd_ = -1;
};

}  // namespace hpops::testing
