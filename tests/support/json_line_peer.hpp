#pragma once
// A test peer written in Python (tests/peers/*_peer.py) as a child process:
// started with its stdin and stdout as pipes, ready once it prints its JSON
// line, steered by lines on stdin that each get one JSON line back, and
// stopped by closing its stdin (the peer watches it) when this goes.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/moto_process.hpp"

namespace hpops::testing {

class JsonLinePeer {
public:
    // `script` is relative to the checkout: "tests/peers/kube_peer.py".
    JsonLinePeer(const std::string& script, std::vector<std::string> arguments, const std::string& failure_hint) {
        const std::string python = MotoProcess::python();
        const std::string path = std::string(HPOPS_SOURCE_DIR) + "/" + script;
        std::vector<const char*> argv{python.c_str(), path.c_str()};
        for (const auto& a : arguments) argv.push_back(a.c_str());
        argv.push_back(nullptr);
        int in[2], out[2];
        if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            ::dup2(in[0], STDIN_FILENO);
            ::dup2(out[1], STDOUT_FILENO);
            ::execv(argv[0], const_cast<char* const*>(argv.data()));
            ::_exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        stdin_ = in[1];
        stdout_ = out[0];
        info_ = nlohmann::json::parse(read_line(), nullptr, false);
        if (!info_.is_object()) {
            stop();
            throw std::runtime_error(script + " did not start (" + failure_hint + ")");
        }
    }
    ~JsonLinePeer() { stop(); }
    JsonLinePeer(const JsonLinePeer&) = delete;
    JsonLinePeer& operator=(const JsonLinePeer&) = delete;

    const nlohmann::json& info() const { return info_; }

    // One command line, one JSON answer.
    nlohmann::json ask(const std::string& command) {
        const std::string line = command + "\n";
        if (::write(stdin_, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
            throw std::runtime_error("peer gone: " + command);
        auto answer = nlohmann::json::parse(read_line(), nullptr, false);
        if (!answer.is_object() || answer.contains("error"))
            throw std::runtime_error("peer refused `" + command + "`: " + answer.dump());
        return answer;
    }

private:
    std::string read_line() {
        std::string line;
        char c;
        while (::read(stdout_, &c, 1) == 1 && c != '\n') line += c;
        return line;
    }
    void stop() {
        if (stdin_ >= 0) ::close(stdin_);
        if (stdout_ >= 0) ::close(stdout_);
        stdin_ = stdout_ = -1;
        if (pid_ > 0) {
            int status = 0;
            ::waitpid(pid_, &status, 0);
            pid_ = -1;
        }
    }
    pid_t pid_ = -1;
    int stdin_ = -1;
    int stdout_ = -1;
    nlohmann::json info_;
};

}  // namespace hpops::testing
