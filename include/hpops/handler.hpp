#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "hpops/config.hpp"
#include "hpops/intent.hpp"
#include "hpops/reply.hpp"
#include "hpops/role.hpp"

namespace hpops {

class Store;
class NodeGroups;
class HyperPodClusters;
class Tracking;
class Progress;
class Kube;
class AlertLog;
class Jobs;
class CloudFormation;
class KubeConnector;
class AwsRegions;

// The backends, as interfaces; null where the config does not set one up.
struct Clients {
    NodeGroups* node_groups = nullptr;
    HyperPodClusters* hyperpod = nullptr;
    Tracking* tracking = nullptr;  // MLflow
    Kube* kube = nullptr;          // the Kubernetes API
    const AlertLog* alerts = nullptr;  // received alerts; null without an `alerts` config section
    CloudFormation* cloudformation = nullptr;  // cluster launches; in aws.region
    KubeConnector* kube_connector = nullptr;   // clients for launched clusters; with AWS
    AwsRegions* aws_regions = nullptr;         // the AWS clients above in any region; with AWS
};

struct Actor {
    std::string id;
    std::string name;
    Role role = Role::none;
};

// Facts about the running bot that handlers may report.
struct BotInfo {
    std::string version;
    std::chrono::system_clock::time_point started_at;
};

// What a handler may use (named apart from the Reply block `Context`). Clients appear here as interfaces as integrations land.
struct CommandContext {
    std::string platform;   // "slack", "terminal"
    Actor actor;
    std::string channel;
    std::string request_id;
    const Config& config;
    Store& store;
    const BotInfo& bot;
    const Clients& clients;
    Progress& progress;
    // Set by a handler that called a backend, for the audit row (AWS request id, ...).
    std::string backend_request_id;
    // Where long work goes to be followed durably; null where jobs do not run
    // (the terminal, tests): the handler then follows inline.
    Jobs* jobs = nullptr;
    std::int64_t audit_id = 0;    // the command's audit row, for a job to close
    std::string response_url;     // Slack: where the command's message can be replaced
    bool handed_to_job = false;   // set by a handler that began a job: it closes the audit row
};

// One handler per command family; see handlers/. The dispatcher has already
// authorized, confirmed and audited by the time handle() runs.
class Handler {
public:
    virtual ~Handler() = default;
    virtual std::string_view command() const = 0;  // key in the command table
    virtual boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) = 0;
    // True when handle() does no I/O and never suspends (help): the route then
    // awaits it directly instead of racing it against the inline budget.
    virtual bool answers_at_once() const { return false; }
};

}  // namespace hpops
