#pragma once
// The real kube-apiserver + etcd of tests/peers/kube_peer.py as a child
// process, for GoogleTest: started once per test binary, stopped when the
// process exits.
#include <string>

#include "tests/support/json_line_peer.hpp"

namespace hpops::testing {

class KubePeerProcess {
public:
    KubePeerProcess() : peer_("tests/peers/kube_peer.py", {"--crds"}, "run scripts/build-kube-peer.sh") {}

    const nlohmann::json& info() const { return peer_.info(); }
    std::string server() const { return info()["server"]; }
    std::string kubeconfig() const { return info()["kubeconfig"]; }
    std::string ca_file() const { return info()["ca_file"]; }
    std::string admin_token() const { return info()["admin_token"]; }

private:
    JsonLinePeer peer_;
};

}  // namespace hpops::testing
