#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "hpops/kube.hpp"

namespace hpops::handlers {

// deploy/cluster-setup/*.yaml as one YAML stream, built into the binary.
std::string_view cluster_setup_manifests();

// One object to apply, with where it lives in the API.
struct SetupResource {
    KubeResource resource;
    std::string ns;  // empty for a cluster-scoped kind
    nlohmann::json object;
};

// The base resources a launched cluster gets, with ${REGION} and
// ${ARTIFACTS_BUCKET} filled in, in file order (namespaces before what goes
// in them). Throws std::logic_error for a kind hpops does not know where to
// apply (caught by the tests, not by a launch).
std::vector<SetupResource> cluster_setup_resources(std::string_view region, std::string_view artifacts_bucket);

}  // namespace hpops::handlers
