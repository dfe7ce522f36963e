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
    std::chrono::milliseconds header_timeout{10'000};  // to receive a whole request
    std::chrono::milliseconds idle_timeout{60'000};    // keep-alive wait between requests
    std::chrono::milliseconds shutdown_grace{10'000};  // SIGTERM: finish in-flight work
};

struct SlackConfig {
    std::string signing_secret;  // env SLACK_SIGNING_SECRET overrides
    std::string bot_token;       // env SLACK_BOT_TOKEN overrides
    std::chrono::seconds timestamp_tolerance{300};
    // How long a command may run before the bot acknowledges and posts the
    // result to response_url instead (Slack gives 3 s).
    std::chrono::milliseconds inline_budget{1500};
};

struct AccessConfig {
    Role default_role = Role::viewer;
    std::map<std::string, Role> users;     // Slack user id -> role
    std::map<std::string, Role> channels;  // Slack channel id -> role
};

struct StoreConfig {
    std::string path = "hpops.db";  // ":memory:" for a throwaway store
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
    std::string log_level = "info";
    std::string source;  // file it came from, for messages
};

using ConfigPtr = std::shared_ptr<const Config>;

}  // namespace hpops
