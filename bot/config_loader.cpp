#include "bot/config_loader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "alerts/alerts_config.hpp"
#include "bot/approvals_config.hpp"
#include "bot/config_fingerprint.hpp"
#include "bot/digests_config.hpp"
#include "bot/public_exposure.hpp"
#include "common/config_walker.hpp"
#include "integrations/mlflow/mlflow_target.hpp"

namespace hpops::bot {
using alerts::read_alerts;
namespace {

using std::chrono::milliseconds;
using namespace std::chrono_literals;

constexpr std::uint64_t max_body_limit = 16ull << 20;
constexpr std::uint64_t max_webhook_body_limit = 64ull << 20;

std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& line : lines) {
        if (!out.empty()) out += '\n';
        out += line;
    }
    return out;
}

// Durations stored as whole seconds must not silently lose a fraction.
std::optional<std::chrono::seconds> whole_seconds(YamlWalker& w, const ConfigField& f, std::optional<milliseconds> d) {
    if (!d) return std::nullopt;
    if (d->count() % 1000 != 0) {
        w.problem(f, "must be a whole number of seconds");
        return std::nullopt;
    }
    return std::chrono::duration_cast<std::chrono::seconds>(*d);
}

void check_readable_file(YamlWalker& w, const ConfigField& f, const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        w.problem(f, "`" + path + "` is not a file (relative paths are from the working directory)");
        return;
    }
    if (!std::ifstream(path).good()) w.problem(f, "`" + path + "` cannot be read");
}

// What the server holds at once: connections, request bodies, remembered signatures.
void read_server_capacity(YamlWalker& w, const ConfigField& s, ServerConfig& out) {
    if (auto v = w.read_int(w.child(s, "max_connections"), 1, 1'000'000)) out.max_connections = static_cast<std::size_t>(*v);
    const ConfigField in_flight = w.child(s, "max_body_bytes_in_flight");
    if (auto v = w.read_size(in_flight, 64 * 1024, 64ull << 30)) out.max_body_bytes_in_flight = *v;
    // A body larger than the whole budget could never be read: 503 for ever.
    if (out.max_body_bytes_in_flight < std::max(out.body_limit, out.webhook_body_limit))
        w.problem(in_flight, "must be at least body_limit and webhook_body_limit (" +
                                 std::to_string(std::max(out.body_limit, out.webhook_body_limit)) + " bytes)");
    if (auto v = w.read_int(w.child(s, "max_replay_signatures"), 1000, 1'000'000'000))
        out.max_replay_signatures = static_cast<std::size_t>(*v);
}

void read_server(YamlWalker& w, const ConfigField& root, ServerConfig& out) {
    const ConfigField s = w.child(root, "server");
    if (!w.section(s, {"listen", "threads", "tls", "body_limit", "webhook_body_limit", "header_timeout", "idle_timeout",
                       "shutdown_grace", "max_connections", "max_body_bytes_in_flight", "max_replay_signatures"}))
        return;
    const ConfigField listen = w.child(s, "listen");
    if (auto text = w.read_string(listen)) {
        std::string why;
        if (auto hp = parse_host_port(*text, why)) {
            out.host = hp->host;
            out.port = hp->port;
        } else {
            w.problem(listen, "`" + *text + "`: " + why);
        }
    }
    if (auto v = w.read_int(w.child(s, "threads"), 1, 64)) out.threads = static_cast<int>(*v);
    if (auto v = w.read_size(w.child(s, "body_limit"), 1024, max_body_limit)) out.body_limit = *v;
    if (auto v = w.read_size(w.child(s, "webhook_body_limit"), 1024, max_webhook_body_limit))
        out.webhook_body_limit = *v;
    if (auto v = w.read_duration(w.child(s, "header_timeout"), 100ms, 10min)) out.header_timeout = *v;
    if (auto v = w.read_duration(w.child(s, "idle_timeout"), 1s, 1h)) out.idle_timeout = *v;
    if (auto v = w.read_duration(w.child(s, "shutdown_grace"), 0ms, 10min)) out.shutdown_grace = *v;
    read_server_capacity(w, s, out);

    const ConfigField tls = w.child(s, "tls");
    if (!w.section(tls, {"cert", "key"})) return;
    const ConfigField cert = w.child(tls, "cert");
    const ConfigField key = w.child(tls, "key");
    const auto cert_text = w.read_string(cert);
    const auto key_text = w.read_string(key);
    if ((cert.present() && !cert_text) || (key.present() && !key_text)) return;  // already reported
    const std::string cert_path = cert_text.value_or("");
    const std::string key_path = key_text.value_or("");
    // HTTPS needs both halves; one alone is a half-finished edit, not a choice.
    if (cert_path.empty() != key_path.empty()) {
        w.problem(tls, "set both `cert` and `key`, or neither (plain HTTP behind a TLS proxy)");
        return;
    }
    if (cert_path.empty()) return;
    check_readable_file(w, cert, cert_path);
    check_readable_file(w, key, key_path);
    out.tls_cert_file = cert_path;
    out.tls_key_file = key_path;
}

bool is_http_url(std::string_view text);
bool is_postgres_url(std::string_view text) {
    return text.starts_with("postgres://") || text.starts_with("postgresql://");
}

// Returns false when signing_secret is given but unreadable (already reported),
// so the caller does not also call it empty.
bool read_slack(YamlWalker& w, const ConfigField& root, SlackConfig& out) {
    const ConfigField s = w.child(root, "slack");
    if (!w.section(s, {"signing_secret", "bot_token", "timestamp_tolerance", "inline_budget", "api_url",
                       "response_url_allow"}))
        return true;
    const ConfigField secret = w.child(s, "signing_secret");
    auto secret_value = w.read_string(secret, Echo::redact);
    if (secret_value) out.signing_secret = std::move(*secret_value);
    if (auto v = w.read_string(w.child(s, "bot_token"), Echo::redact)) out.bot_token = std::move(*v);
    const ConfigField tolerance = w.child(s, "timestamp_tolerance");
    if (auto v = whole_seconds(w, tolerance, w.read_duration(tolerance, 1s, 1h))) out.timestamp_tolerance = *v;
    // Slack gives 3 s for the first answer; leave room for the round trip.
    if (auto v = w.read_duration(w.child(s, "inline_budget"), 0ms, 2900ms)) out.inline_budget = *v;
    const ConfigField api_url = w.child(s, "api_url");
    if (auto v = w.read_string(api_url)) {
        if (!is_http_url(*v)) w.problem(api_url, "`" + *v + "` is not an http(s) URL");
        else out.api_url = std::move(*v);
    }
    if (const ConfigField allow = w.child(s, "response_url_allow"); allow.present()) {
        if (!allow.value.IsSequence()) {
            w.problem(allow, "expected a list of URL prefixes, such as [\"https://hooks.slack.com/\"]");
        } else {
            out.response_url_allow.clear();
            for (std::size_t i = 0; i < allow.value.size(); ++i) {
                const ConfigField item{allow.path + "[" + std::to_string(i) + "]", allow.value[i], allow.value[i].Mark()};
                auto v = w.read_string(item);
                if (!v) continue;
                // The host must be ended by "/" or ":", so "https://hooks.slack.com"
                // cannot also admit "https://hooks.slack.com.example.net".
                if (!is_http_url(*v) || v->find_first_of("/:", v->find("://") + 3) == std::string::npos)
                    w.problem(item, "`" + *v + "` is not an http(s) URL prefix that ends its host with / or :, "
                                    "such as https://hooks.slack.com/");
                else
                    out.response_url_allow.push_back(std::move(*v));
            }
        }
    }
    return !secret.present() || secret_value.has_value();
}

void read_access(YamlWalker& w, const ConfigField& root, AccessConfig& out) {
    const ConfigField a = w.child(root, "access");
    // `roles` is listed as known only so it gets the pointed message below.
    if (!w.section(a, {"default_role", "users", "channels", "roles"})) return;
    if (const ConfigField roles = w.child(a, "roles"); roles.present())
        w.problem(roles, "grouping by role is not supported; write `users: {USER_ID: role}` and "
                         "`channels: {CHANNEL_ID: role}` instead");
    if (auto v = w.read_role(w.child(a, "default_role"))) out.default_role = *v;
    w.for_each_entry(w.child(a, "users"), [&](const std::string& id, const ConfigField& value) {
        if (auto role = w.read_role(value)) out.users[id] = *role;
    });
    w.for_each_entry(w.child(a, "channels"), [&](const std::string& id, const ConfigField& value) {
        if (auto role = w.read_role(value)) out.channels[id] = *role;
    });
}

void read_store(YamlWalker& w, const ConfigField& root, StoreConfig& out) {
    const ConfigField s = w.child(root, "store");
    if (!w.section(s, {"path", "synchronous", "url", "pool_size", "statement_timeout", "lease"})) return;
    const ConfigField path = w.child(s, "path");
    if (auto v = w.read_string(path)) {
        if (v->empty()) w.problem(path, "is empty (use \":memory:\" for a throwaway store)");
        else out.path = std::move(*v);
    }
    if (auto v = w.read_choice(w.child(s, "synchronous"), {"full", "normal"}))
        out.synchronous = *v == "normal" ? Synchronous::normal : Synchronous::full;
    const ConfigField url = w.child(s, "url");
    if (auto v = w.read_string(url)) {
        if (!v->empty() && !is_postgres_url(*v))
            w.problem(url, "is not a postgres:// or postgresql:// URL (leave it out for the SQLite file at store.path)");
        else out.url = std::move(*v);
    }
    if (auto v = w.read_int(w.child(s, "pool_size"), 1, 64)) out.pool_size = static_cast<int>(*v);
    if (auto v = w.read_duration(w.child(s, "statement_timeout"), 100ms, 10min)) out.statement_timeout = *v;
    if (auto v = w.read_duration(w.child(s, "lease"), 1s, 10min)) out.lease = *v;
}

void read_confirm(YamlWalker& w, const ConfigField& root, ConfirmConfig& out) {
    const ConfigField c = w.child(root, "confirm");
    if (!w.section(c, {"ttl", "secret"})) return;
    const ConfigField ttl = w.child(c, "ttl");
    if (auto v = whole_seconds(w, ttl, w.read_duration(ttl, 10s, 24h))) out.ttl = *v;
    const ConfigField secret = w.child(c, "secret");
    if (auto v = w.read_string(secret, Echo::redact)) {
        // It keys an HMAC over confirmation tokens; a short key is guessable.
        if (!v->empty() && v->size() < 16) w.problem(secret, "is shorter than 16 bytes (leave it empty to derive one)");
        else out.secret = std::move(*v);
    }
}

void read_limits(YamlWalker& w, const ConfigField& root, LimitsConfig& out) {
    const ConfigField l = w.child(root, "limits");
    if (!w.section(l, {"min_count", "max_count", "scale_down_confirm_share"})) return;
    const auto min_count = w.read_int(w.child(l, "min_count"), 0, 100'000);
    const ConfigField max_field = w.child(l, "max_count");
    const auto max_count = w.read_int(max_field, 1, 100'000);
    if (min_count) out.min_count = static_cast<int>(*min_count);
    if (max_count) out.max_count = static_cast<int>(*max_count);
    if ((min_count || max_count) && out.min_count > out.max_count) {
        const ConfigField& at = max_count ? max_field : w.child(l, "min_count");
        w.problem(at, "min_count (" + std::to_string(out.min_count) + ") is greater than max_count (" +
                          std::to_string(out.max_count) + ")");
    }
    if (auto v = w.read_number(w.child(l, "scale_down_confirm_share"), 0.0, 1.0)) out.scale_down_confirm_share = *v;
}

void read_aws(YamlWalker& w, const ConfigField& root, AwsConfig& out) {
    const ConfigField a = w.child(root, "aws");
    if (!w.section(a, {"region", "eks_cluster", "hyperpod_cluster", "endpoints", "timeout", "max_attempts",
                       "poll_interval", "follow_timeout"}))
        return;
    if (auto v = w.read_duration(w.child(a, "poll_interval"), 100ms, 10min)) out.poll_interval = *v;
    if (auto v = w.read_duration(w.child(a, "follow_timeout"), 1s, 24h)) out.follow_timeout = *v;
    if (auto v = w.read_string(w.child(a, "region"))) out.region = std::move(*v);
    if (auto v = w.read_string(w.child(a, "eks_cluster"))) out.eks_cluster = std::move(*v);
    if (auto v = w.read_string(w.child(a, "hyperpod_cluster"))) out.hyperpod_cluster = std::move(*v);
    if (auto v = w.read_duration(w.child(a, "timeout"), 100ms, 5min)) out.timeout = *v;
    if (auto v = w.read_int(w.child(a, "max_attempts"), 1, 10)) out.max_attempts = static_cast<int>(*v);
    const ConfigField endpoints = w.child(a, "endpoints");
    if (!w.section(endpoints, {"eks", "sagemaker", "sts", "cloudformation"})) return;
    for (const char* service : {"eks", "sagemaker", "sts", "cloudformation"}) {
        const ConfigField f = w.child(endpoints, service);
        auto url = w.read_string(f);
        if (!url || url->empty()) continue;
        if (!url->starts_with("https://") && !url->starts_with("http://"))
            w.problem(f, "`" + *url + "` is not an http(s) URL");
        else
            out.endpoints[service] = std::move(*url);
    }
}

bool is_http_url(std::string_view text) { return text.starts_with("https://") || text.starts_with("http://"); }

// The client's own parser, so the loader and the client agree on what an ARN
// is; the loader also wants the region, which every real ARN names.
bool is_mlflow_tracking_server_arn(std::string_view text) {
    const auto arn = integrations::mlflow::parse_tracking_server_arn(text);
    return arn && !arn->region.empty();
}

std::string tracking_uri_problem(const std::string& uri) {
    return "`" + uri + "` is neither an http(s) URL nor a SageMaker MLflow tracking-server ARN "
           "(arn:aws:sagemaker:REGION:ACCOUNT:mlflow-tracking-server/NAME)";
}

void read_mlflow(YamlWalker& w, const ConfigField& root, MlflowConfig& out) {
    const ConfigField m = w.child(root, "mlflow");
    if (!w.section(m, {"tracking_uri", "token", "username", "password", "ui_url", "sagemaker_endpoint", "timeout"}))
        return;
    const ConfigField uri = w.child(m, "tracking_uri");
    if (auto v = w.read_string(uri)) {
        if (!v->empty() && !is_http_url(*v) && !is_mlflow_tracking_server_arn(*v))
            w.problem(uri, tracking_uri_problem(*v));
        // Kept even when wrong (loading fails anyway), so the environment's
        // MLFLOW_TRACKING_URI does not stand in for it and get reported twice.
        out.tracking_uri = std::move(*v);
    }
    if (auto v = w.read_string(w.child(m, "token"), Echo::redact)) out.token = std::move(*v);
    const ConfigField username = w.child(m, "username");
    const ConfigField password = w.child(m, "password");
    auto user = w.read_string(username, Echo::redact);
    auto pass = w.read_string(password, Echo::redact);
    const bool unreadable = (username.present() && !user) || (password.present() && !pass);  // already reported
    out.username = std::move(user).value_or("");
    out.password = std::move(pass).value_or("");
    // Basic auth needs both halves; one alone is a half-finished edit.
    if (!unreadable && out.username.empty() != out.password.empty())
        w.problem(out.username.empty() ? password : username, "set both `username` and `password`, or neither");
    for (auto [key, target] :
         {std::pair{"ui_url", &out.ui_url}, std::pair{"sagemaker_endpoint", &out.sagemaker_endpoint}}) {
        const ConfigField f = w.child(m, key);
        auto url = w.read_string(f);
        if (!url || url->empty()) continue;
        if (!is_http_url(*url)) w.problem(f, "`" + *url + "` is not an http(s) URL");
        else *target = std::move(*url);
    }
    if (auto v = w.read_duration(w.child(m, "timeout"), 100ms, 5min)) out.timeout = *v;
}

void read_kubernetes(YamlWalker& w, const ConfigField& root, KubernetesConfig& out) {
    const ConfigField k = w.child(root, "kubernetes");
    if (!k.present()) return;
    out.enabled = true;
    if (!w.section(k, {"kubeconfig", "context", "in_cluster", "eks_cluster", "eks_region", "namespace",
                       "gpu_confirm_threshold", "max_gpus_per_replica", "max_replicas", "vllm_image", "timeout",
                       "poll_interval", "rollout_timeout"}))
        return;
    const ConfigField kubeconfig = w.child(k, "kubeconfig");
    if (auto v = w.read_string(kubeconfig); v && !v->empty()) {
        check_readable_file(w, kubeconfig, *v);
        out.kubeconfig = std::move(*v);
    }
    if (auto v = w.read_string(w.child(k, "context"))) out.context = std::move(*v);
    const ConfigField in_cluster = w.child(k, "in_cluster");
    if (auto v = w.read_choice(in_cluster, {"true", "false"})) out.in_cluster = *v == "true";
    if (out.in_cluster && (kubeconfig.present() || w.child(k, "context").present()))
        w.problem(in_cluster, "in_cluster uses the pod's service account; drop `kubeconfig` and `context`");
    if (auto v = w.read_string(w.child(k, "eks_cluster"))) out.eks_cluster = std::move(*v);
    if (auto v = w.read_string(w.child(k, "eks_region"))) out.eks_region = std::move(*v);
    if (auto v = w.read_string(w.child(k, "namespace"))) out.namespace_name = std::move(*v);
    if (auto v = w.read_int(w.child(k, "gpu_confirm_threshold"), 0, 10'000)) out.gpu_confirm_threshold = static_cast<int>(*v);
    if (auto v = w.read_int(w.child(k, "max_gpus_per_replica"), 1, 64)) out.max_gpus_per_replica = static_cast<int>(*v);
    if (auto v = w.read_int(w.child(k, "max_replicas"), 1, 1000)) out.max_replicas = static_cast<int>(*v);
    if (auto v = w.read_string(w.child(k, "vllm_image")); v && !v->empty()) out.vllm_image = std::move(*v);
    if (auto v = w.read_duration(w.child(k, "timeout"), 100ms, 5min)) out.timeout = *v;
    if (auto v = w.read_duration(w.child(k, "poll_interval"), 100ms, 10min)) out.poll_interval = *v;
    if (auto v = w.read_duration(w.child(k, "rollout_timeout"), 1s, 24h)) out.rollout_timeout = *v;
}

void read_clusters(YamlWalker& w, const ConfigField& root, ClustersConfig& out) {
    const ConfigField c = w.child(root, "clusters");
    if (!w.section(c, {"hourly_prices", "template_url", "poll_interval", "launch_timeout", "kubeconfig",
                       "configure_kubernetes"}))
        return;
    if (auto v = w.read_string(w.child(c, "kubeconfig"))) out.kubeconfig = std::move(*v);
    if (auto v = w.read_choice(w.child(c, "configure_kubernetes"), {"true", "false"}))
        out.configure_kubernetes = *v == "true";
    if (auto v = w.read_duration(w.child(c, "poll_interval"), 100ms, 10min)) out.poll_interval = *v;
    if (auto v = w.read_duration(w.child(c, "launch_timeout"), 1min, 24h)) out.launch_timeout = *v;
    const ConfigField url = w.child(c, "template_url");
    if (auto v = w.read_string(url); v && !v->empty()) {
        if (!v->starts_with("https://")) w.problem(url, "`" + *v + "` is not an https:// URL of a template in S3");
        else out.template_url = std::move(*v);
    }
    // The file's table extends the defaults and overrides their prices.
    w.for_each_entry(w.child(c, "hourly_prices"), [&](const std::string& type, const ConfigField& price) {
        if (auto v = w.read_number(price, 0.0, 10'000.0)) out.hourly_prices[type] = *v;
    });
}

void read_log(YamlWalker& w, const ConfigField& root, const EnvLookup& env, Config& config) {
    const ConfigField l = w.child(root, "log");
    if (w.section(l, {"level", "format"})) {
        if (auto v = w.read_choice(w.child(l, "level"), {"trace", "debug", "info", "warn", "error"}))
            config.log_level = *v;
        if (auto v = w.read_choice(w.child(l, "format"), {"text", "json"})) config.log_format = *v;
    }
    // The environment wins, so one image's logs can be switched without a new config.
    if (auto v = env("HPOPS_LOG_FORMAT"); v && !v->empty()) {
        if (*v == "text" || *v == "json") config.log_format = *v;
        else w.problem(l.present() ? l.mark : root.mark, "HPOPS_LOG_FORMAT is `" + *v + "`; expected text or json");
    }
}

// Secrets from the environment win over the file, so the file can be
// committed and the secret kept in a Kubernetes Secret.
void apply_env_overrides(const EnvLookup& env, Config& config) {
    if (auto v = env("SLACK_SIGNING_SECRET"); v && !v->empty()) config.slack.signing_secret = *v;
    if (auto v = env("SLACK_BOT_TOKEN"); v && !v->empty()) config.slack.bot_token = *v;
    if (auto v = env("SLACK_API_URL"); v && is_http_url(*v)) config.slack.api_url = *v;
    // Checked when the store opens: a wrong scheme stops the start with a reason.
    if (auto v = env("HPOPS_STORE_URL"); v && !v->empty()) config.store.url = *v;
    // The region falls back as the AWS SDKs do.
    for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"})
        if (auto v = env(name); config.aws.region.empty() && v && !v->empty()) config.aws.region = *v;
    // MLflow's own clients read these. Only when the file names no server:
    // credentials meant for the environment's server must not go to the file's.
    if (config.mlflow.tracking_uri.empty()) {
        MlflowConfig& m = config.mlflow;
        for (auto [name, target] : {std::pair{"MLFLOW_TRACKING_URI", &m.tracking_uri},
                                    std::pair{"MLFLOW_TRACKING_TOKEN", &m.token},
                                    std::pair{"MLFLOW_TRACKING_USERNAME", &m.username},
                                    std::pair{"MLFLOW_TRACKING_PASSWORD", &m.password}})
            if (auto v = env(name); target->empty() && v && !v->empty()) *target = *v;
    }
}

ConfigPtr load(std::string_view yaml, const std::string& source, const EnvLookup& env, const LoadOptions& options) {
    YamlWalker w(source, env);
    YAML::Node document;
    try {
        document = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
        w.problem(e.mark, "YAML syntax: " + e.msg);
        throw ConfigError(w.problems());
    }
    auto config = std::make_shared<Config>();
    config->source = source;
    const ConfigField root = w.root(document);
    bool secret_readable = true;
    if (w.section(root, {"server", "slack", "access", "store", "confirm", "limits", "aws", "mlflow", "log",
                              "kubernetes", "alerts", "clusters", "digests", "approvals"})) {
        read_server(w, root, config->server);
        secret_readable = read_slack(w, root, config->slack);
        read_access(w, root, config->access);
        read_store(w, root, config->store);
        read_confirm(w, root, config->confirm);
        read_limits(w, root, config->limits);
        read_aws(w, root, config->aws);
        read_mlflow(w, root, config->mlflow);
        read_kubernetes(w, root, config->kubernetes);
        read_log(w, root, env, *config);
        read_alerts(w, root, config->alerts);
        read_clusters(w, root, config->clusters);
        read_digests(w, root, config->digests);
        read_approvals(w, root, config->approvals);
    }
    const bool uri_from_file = !config->mlflow.tracking_uri.empty();
    apply_env_overrides(env, *config);
    config->fingerprint = config_fingerprint(document, *config);
    // MLFLOW_TRACKING_URI is often set for other tools (file:./mlruns, databricks);
    // hpops can use neither, and saying so beats failing at the first command.
    if (const std::string& uri = config->mlflow.tracking_uri;
        !uri_from_file && !uri.empty() && !is_http_url(uri) && !is_mlflow_tracking_server_arn(uri)) {
        const ConfigField mlflow = w.child(root, "mlflow");
        w.problem(mlflow.present() ? mlflow.mark : root.mark,
                  "MLFLOW_TRACKING_URI " + tracking_uri_problem(uri) + "; set mlflow.tracking_uri in the file");
    }
    if (options.require_slack_secret && secret_readable && config->slack.signing_secret.empty()) {
        const ConfigField slack = w.child(root, "slack");
        const ConfigField secret = w.child(slack, "signing_secret");
        w.problem(secret.present() ? secret.mark : slack.mark,
                  "slack.signing_secret is empty: set it in the file or SLACK_SIGNING_SECRET");
    }
    // Checked again by `serve` after --listen: the container overrides it.
    if (options.require_slack_secret)
        for (const std::string& problem : public_exposure_problems(*config)) {
            // Point at the key the problem names ("access.users.U0..."), or the nearest present parent.
            const std::string path = problem.substr(0, problem.find(':'));
            ConfigField at = root;
            for (std::size_t from = 0; from <= path.size();) {
                const std::size_t dot = std::min(path.find('.', from), path.size());
                const ConfigField next = w.child(at, std::string_view(path).substr(from, dot - from));
                if (!next.present()) break;
                at = next;
                from = dot + 1;
            }
            w.problem(at.mark, problem);
        }
    // Alerts are posted with the Web API; without a token they would only pile up.
    if (options.require_slack_secret && config->alerts.enabled && config->slack.bot_token.empty())
        w.problem(w.child(root, "alerts").mark, "alerts: posting them needs slack.bot_token (or SLACK_BOT_TOKEN)");
    if (w.has_problems()) throw ConfigError(w.problems());
    return config;
}

}  // namespace

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(join_lines(problems)), problems_(std::move(problems)) {}

ConfigPtr load_config_text(std::string_view yaml, const std::string& source_name,
                           const std::map<std::string, std::string>* env, const LoadOptions& options) {
    if (env == nullptr) return load(yaml, source_name, process_environment(), options);
    return load(yaml, source_name, [env](const std::string& name) -> std::optional<std::string> {
        const auto it = env->find(name);
        return it == env->end() ? std::nullopt : std::optional<std::string>(it->second);
    }, options);
}

ConfigPtr load_config(const std::string& path, const LoadOptions& options) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) throw ConfigError({path + ":1:1: cannot open: " + std::strerror(errno)});
    std::string text;
    char buffer[64 * 1024];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get())) text.append(buffer, n);
    if (std::ferror(file.get())) throw ConfigError({path + ":1:1: cannot read: " + std::strerror(errno)});
    return load_config_text(text, path, nullptr, options);
}

std::vector<std::string> check_config(const std::string& path, const LoadOptions& options) {
    try {
        load_config(path, options);
        return {};
    } catch (const ConfigError& e) {
        return e.problems();
    }
}

}  // namespace hpops::bot
