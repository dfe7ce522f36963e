#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hpops/role.hpp"

namespace hpops {

struct ServerConfig {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    int threads = 2;
    std::string tls_cert_file;  // both set: serve HTTPS
    std::string tls_key_file;
    std::size_t body_limit = 1024 * 1024;
    // Alert webhooks (/alerts/*): Alertmanager sends a whole group in one
    // request (10,000 alerts are about 4 MB) and drops it on a 413.
    std::size_t webhook_body_limit = 16 * 1024 * 1024;
    std::chrono::milliseconds header_timeout{10'000};  // to receive a whole request
    std::chrono::milliseconds idle_timeout{60'000};    // keep-alive wait between requests
    std::chrono::milliseconds shutdown_grace{10'000};  // SIGTERM: finish in-flight work
    // Connections open at once; at the cap hpops stops accepting until one
    // closes. 0: 1024, or fewer when the descriptor limit (ulimit -n) is lower.
    std::size_t max_connections = 0;
    // Request body bytes being read and handled at once, across connections:
    // a request that would pass it is answered 503 with Retry-After.
    std::size_t max_body_bytes_in_flight = 64 * 1024 * 1024;
    // Signed Slack requests the replay guard remembers (64-128 bytes each);
    // beyond it new ones are refused with 503 rather than forgotten.
    std::size_t max_replay_signatures = 1'000'000;
};

struct SlackConfig {
    std::string signing_secret;  // env SLACK_SIGNING_SECRET overrides
    std::string bot_token;       // env SLACK_BOT_TOKEN overrides
    std::chrono::seconds timestamp_tolerance{300};
    // How long a command may run before the bot acknowledges and posts the
    // result to response_url instead (Slack gives 3 s).
    std::chrono::milliseconds inline_budget{1500};
    // Web API base for chat.postMessage / chat.update; env SLACK_API_URL overrides.
    std::string api_url = "https://slack.com/api/";
    // Where replies may be posted: a signed request's response_url must start
    // with one of these, so a leaked signing secret cannot aim the bot at
    // internal addresses. Slack's are all under hooks.slack.com.
    std::vector<std::string> response_url_allow{"https://hooks.slack.com/"};
};

struct AccessConfig {
    Role default_role = Role::viewer;
    std::map<std::string, Role> users;     // Slack user id -> role
    std::map<std::string, Role> channels;  // Slack channel id -> role
};

// How SQLite commits. A 2xx to Alertmanager and a spent Confirm promise that
// the write survives: `full` syncs the WAL at each commit, so it survives
// power loss too; `normal` survives a crash of hpops but not of the machine.
enum class Synchronous { full, normal };

struct StoreConfig {
    std::string path = "hpops.db";  // ":memory:" for a throwaway store
    Synchronous synchronous = Synchronous::full;
    // postgres://... selects PostgreSQL (several replicas on one database);
    // empty: the SQLite file at `path`. A secret: it may hold a password.
    std::string url;
    int pool_size = 4;  // PostgreSQL connections per process
    std::chrono::milliseconds statement_timeout{5000};
    // How long a replica's hold on a job lasts unrenewed: another replica
    // takes the jobs of one that died within this and a third of it.
    std::chrono::milliseconds lease{15'000};
};

struct ConfirmConfig {
    std::chrono::seconds ttl{300};
    // Key for confirmation tokens; when empty one is derived from the signing
    // secret, so tokens survive restarts without another secret to manage.
    std::string secret;
};

struct LimitsConfig {
    int min_count = 0;
    int max_count = 100;
    double scale_down_confirm_share = 0.5;  // scaling down by more than this share asks first
};

struct AwsConfig {
    // From the file, else AWS_REGION, else AWS_DEFAULT_REGION; empty: AWS not configured.
    std::string region;
    std::string eks_cluster;       // empty: the only EKS cluster in the region
    std::string hyperpod_cluster;  // empty: the one orchestrated by the EKS cluster, or the only one
    // Per-service endpoint overrides from the file ("eks", "sagemaker", "sts",
    // "cloudformation"). AWS_ENDPOINT_URL_<SERVICE> and AWS_ENDPOINT_URL take
    // precedence, as in the AWS SDKs (integrations/aws/endpoints.hpp).
    std::map<std::string, std::string> endpoints;
    std::chrono::milliseconds timeout{10'000};
    int max_attempts = 3;  // the AWS SDK "standard" retry mode's default
    // Following a change (scaling, create, delete) until it is done.
    std::chrono::milliseconds poll_interval{10'000};
    std::chrono::milliseconds follow_timeout{30 * 60'000};
};

struct MlflowConfig {
    // http(s) URL of an open-source tracking server, or a SageMaker
    // tracking-server ARN (arn:aws:sagemaker:REGION:ACCOUNT:mlflow-tracking-server/NAME).
    // When the file names none: MLFLOW_TRACKING_URI, as MLflow's own clients do.
    std::string tracking_uri;
    // Secrets, for an open-source server: a bearer token wins over basic auth.
    // MLFLOW_TRACKING_TOKEN / _USERNAME / _PASSWORD when the file names no server.
    std::string token;
    std::string username;
    std::string password;
    std::string ui_url;              // for links; empty: tracking_uri when it is http(s)
    std::string sagemaker_endpoint;  // override of https://{region}.experiments.sagemaker.aws
    std::chrono::milliseconds timeout{10'000};
};

struct KubernetesConfig {
    bool enabled = false;     // the file has a `kubernetes:` section
    std::string kubeconfig;   // empty: KUBECONFIG (merged), else ~/.kube/config
    std::string context;      // empty: the kubeconfig's current-context
    bool in_cluster = false;  // the pod's service account instead of a kubeconfig
    // Set: bearer tokens made natively for this EKS cluster from the AWS
    // credentials (no aws CLI); server and CA still come from the kubeconfig.
    std::string eks_cluster;
    std::string eks_region;   // empty: aws.region
    std::string namespace_name;  // empty: the context's namespace, else "default"
    int gpu_confirm_threshold = 4;  // a deploy asking for more GPUs in total asks first
    int max_gpus_per_replica = 8;
    int max_replicas = 16;
    std::string vllm_image = "vllm/vllm-openai:v0.6.3";
    std::chrono::milliseconds timeout{15'000};
    std::chrono::milliseconds poll_interval{5'000};       // following a rollout
    std::chrono::milliseconds rollout_timeout{20 * 60'000};
};

// One routing rule: every `match` label equal and every `match_re` label
// matching its (fully anchored) regex sends the alert to `channel`.
struct AlertRoute {
    std::map<std::string, std::string> match;
    std::map<std::string, std::string> match_re;
    std::string channel;
};

// A button on alerts that name a node group or instance group: "scale +1"
// runs `/hp scale ...` with the group's current size plus `scale`, through
// the same permission check as the command.
struct AlertActionRule {
    std::map<std::string, std::string> match;     // empty: every such alert
    std::map<std::string, std::string> match_re;
    std::string label;  // button text, e.g. "Scale +1"
    int scale = 1;      // added to desired (EKS) or count (HyperPod); may be negative
};

// Sizes of an alert's labels and annotations; a payload with one beyond
// them is refused with 400 naming it. Alertmanager sets no limits and
// Prometheus's scrape limits default to none; Mimir refuses label values over
// 2048 bytes and series with over 30 labels. Alerts also carry annotations
// (long descriptions), hence the roomier defaults: they pass any real alert
// and bound what one alert costs the store, the matchers and Slack.
struct AlertLabelLimits {
    std::size_t value_bytes = 8 * 1024;  // each label and annotation name and value
    std::size_t count = 64;              // labels per alert, and annotations per alert
};

struct AlertsConfig {
    bool enabled = false;  // the `alerts` section is present
    std::string default_channel;
    std::vector<AlertRoute> routes;  // first match wins
    // Alertmanager's webhook: a bearer token, or basic auth (both halves).
    std::string alertmanager_token;
    std::string alertmanager_username;
    std::string alertmanager_password;
    // Grafana's contact point HMAC key; with a timestamp header the signature
    // covers "timestamp:body".
    std::string grafana_secret;
    std::string grafana_timestamp_header;
    // Without a timestamp header, how long a payload's signature is
    // remembered so that a replay of it is refused (with one, the timestamp
    // tolerance decides).
    std::chrono::seconds grafana_replay_window{300};
    // SNS: subscriptions are confirmed only for these topics.
    std::vector<std::string> sns_topic_arns;
    // SNS messages signed longer ago are refused: SNS retries an HTTP
    // delivery for up to an hour, a replay can come at any time.
    std::chrono::seconds sns_max_message_age{3600};
    // Flood control: beyond `flood_max_new` new alerts per channel within
    // `flood_window`, further ones join one summary message.
    std::size_t flood_max_new = 10;
    std::chrono::milliseconds flood_window{5 * 60'000};
    // Slack allows about one message per second per channel.
    std::chrono::milliseconds post_interval{1'000};
    // Payloads waiting for the store; beyond this receivers answer 503.
    std::size_t queue_limit = 64;
    std::vector<AlertActionRule> actions;
    // How long an alert's action buttons stay valid (each update signs anew).
    std::chrono::seconds action_ttl{4 * 3600};
    // Resolved alerts are forgotten this long after their last update.
    std::chrono::hours retention{30 * 24};
    AlertLabelLimits label_limits;
    // Firing alerts kept; beyond it the oldest are forgotten (and counted).
    // Firing alerts are never purged otherwise: 1.8 M made a 1.3 GB store.
    std::size_t max_firing = 100'000;
};

// Cluster launches (`/hp cluster launch`), followed as jobs.
std::map<std::string, double> default_hourly_prices();  // common/instance_prices.cpp says where they come from

struct ClustersConfig {
    // USD per instance-hour, for the estimate a launch's confirmation shows; an
    // instance type not listed is estimated as unknown, and may still launch.
    std::map<std::string, double> hourly_prices = default_hourly_prices();
    // The template a launch uses without template=; empty: hpops's own
    // (deploy/cloudformation/hyperpod-eks.yaml, built into the binary).
    std::string template_url;
    std::chrono::milliseconds poll_interval{15'000};
    // Where a launched cluster is written as a kubeconfig context; empty:
    // hpops-clusters.kubeconfig beside the store.
    std::string kubeconfig;
    // The second step's Kubernetes part (context, nodes Ready, base
    // resources): off where hpops cannot reach a new cluster's API server
    // (an endpoint private to its VPC); the launch then ends at HyperPod
    // InService and EKS ACTIVE.
    bool configure_kubernetes = true;
    // A stack takes 20 to 40 minutes on AWS; one still going after this fails its job.
    std::chrono::milliseconds launch_timeout{3 * 3'600'000};
};

// A status digest posted on a schedule (digests.schedules in the file; more
// are made from chat and kept in the store).
struct DigestScheduleConfig {
    std::string name;
    std::string cron;      // 5 fields, as Debian's cron reads them
    std::string timezone = "UTC";
    std::string channel;   // a channel id or #name
    std::vector<std::string> sections;  // empty: all (digest_sections in handlers/digest_sections.hpp)
};

struct DigestsConfig {
    std::vector<DigestScheduleConfig> schedules;
    // A firing missed while hpops was down is posted late, once, if younger than this.
    std::chrono::milliseconds grace{2 * 3'600'000};
    // No schedule fires more often than this (a digest is a summary, not a feed).
    std::chrono::milliseconds min_interval{3'600'000};
    // A model whose mean samples/s fell by more than this share against the
    // period before is named a regression in the training section.
    double regression_share = 0.10;
    // Each group's size is sampled this often (0: never), for GPU-hours and
    // `/hp capacity`, and kept this long.
    std::chrono::milliseconds capacity_interval{5 * 60'000};
    std::chrono::milliseconds capacity_retention{35LL * 24 * 3'600'000};
};

// Two-person approval: a change a rule covers runs only once someone other
// than its requester, with at least `approver`'s role, approves it in the
// channel. A rule covers a command when its `commands` (empty: every change
// hpops confirms) and `clusters` (empty: any) match and the change reaches
// `min_gpus` or `min_hourly_cost` (neither set: every such change).
struct ApprovalRule {
    std::string name;
    std::vector<std::string> commands;  // command table names: "scale nodegroup"
    std::vector<std::string> clusters;
    int min_gpus = 0;                   // 0: no GPU threshold
    double min_hourly_cost = 0;         // USD an hour; 0: no cost threshold
    Role approver = Role::operator_;
};

struct ApprovalsConfig {
    std::chrono::seconds ttl{1800};  // an approval request not answered by then expires
    std::vector<ApprovalRule> rules;
};

struct Config {
    ServerConfig server;
    SlackConfig slack;
    AccessConfig access;
    StoreConfig store;
    ConfirmConfig confirm;
    LimitsConfig limits;
    AwsConfig aws;
    MlflowConfig mlflow;
    KubernetesConfig kubernetes;
    AlertsConfig alerts;
    ClustersConfig clusters;
    DigestsConfig digests;
    ApprovalsConfig approvals;
    std::string log_level = "info";
    std::string log_format = "text";  // or "json", one object per line; HPOPS_LOG_FORMAT wins
    std::string source;  // file it came from, for messages
    // Each setting's key ("digests.grace") and a short hash of its value as
    // loaded, secrets from the environment included, never the value itself:
    // replicas on one store compare them to name the keys they disagree on.
    std::map<std::string, std::string> fingerprint;
};

using ConfigPtr = std::shared_ptr<const Config>;

}  // namespace hpops
