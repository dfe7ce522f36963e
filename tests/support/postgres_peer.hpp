#pragma once
// Debian's PostgreSQL 15 on loopback (tests/peers/postgres_peer.py), for
// tests of the PostgreSQL store: one server per test binary, a fresh database
// per test, and the server stopped and started again on demand to play an
// outage.
#include <atomic>
#include <string>

#include "tests/support/json_line_peer.hpp"

namespace hpops::testing {

class PostgresPeer {
public:
    PostgresPeer() : peer_("tests/peers/postgres_peer.py", {}, "apt-get install postgresql") {}

    // The peer for the whole test binary, started on first use.
    static PostgresPeer& shared() {
        static PostgresPeer peer;
        return peer;
    }

    std::string url() const { return peer_.info()["url"]; }
    int port() const { return peer_.info()["port"]; }
    // An empty database of its own for one test.
    std::string fresh_database() {
        static std::atomic<int> next{0};
        return peer_.ask("createdb t_" + std::to_string(::getpid()) + "_" + std::to_string(next++))["url"];
    }
    void stop_server() { peer_.ask("stop"); }
    void start_server() { peer_.ask("start"); }

private:
    JsonLinePeer peer_;
};

}  // namespace hpops::testing
