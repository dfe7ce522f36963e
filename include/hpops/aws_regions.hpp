#pragma once
#include <string>

namespace hpops {

class NodeGroups;
class HyperPodClusters;
class CloudFormation;
class KubeConnector;

// One region's AWS clients.
struct RegionalAws {
    NodeGroups* node_groups = nullptr;
    HyperPodClusters* hyperpod = nullptr;
    CloudFormation* cloudformation = nullptr;
    KubeConnector* kube_connector = nullptr;
};

// The AWS clients of any region, so a cluster launched with region= is
// followed, checked and torn down where it is. Another region than
// aws.region gets clients on first use, with the same credentials and
// endpoint overrides, kept for the process's life.
class AwsRegions {
public:
    virtual ~AwsRegions() = default;
    // `region` is a known AWS region name (the caller checks); throws
    // UserError past a bound on how many regions one hpops serves.
    virtual RegionalAws in_region(const std::string& region) = 0;
};

}  // namespace hpops
