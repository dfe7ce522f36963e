#include "bot/replica_watch.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "bot/config_fingerprint.hpp"

namespace hpops::bot {
namespace {

std::map<std::string, std::string> read_fingerprint(const std::string& text) {
    std::map<std::string, std::string> out;
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_object()) return out;
    for (const auto& [key, value] : json.items())
        if (value.is_string()) out[key] = value.get<std::string>();
    return out;
}

std::string joined(const std::vector<std::string>& keys) {
    std::string out;
    for (const auto& key : keys) out += (out.empty() ? "" : ", ") + key;
    return out;
}

}  // namespace

ReplicaWatch::ReplicaWatch(boost::asio::any_io_executor executor, const Config& config, ReplicaStore& store,
                           std::string name)
    : config_(config), store_(store), name_(std::move(name)),
      fingerprint_(nlohmann::json(config.fingerprint).dump()),
      task_(executor, "replicas", [this] { return round(); }, [this] { leave(); }) {}

std::map<std::string, std::vector<std::string>> ReplicaWatch::check() {
    std::map<std::string, std::vector<std::string>> differences;
    for (const ReplicaSeen& other : store_.announce_replica(name_, fingerprint_, config_.store.lease)) {
        auto keys = differing_keys(config_.fingerprint, read_fingerprint(other.config));
        const std::string named = joined(keys);
        if (warned_[other.name] != named && !keys.empty())
            spdlog::warn("replicas: {} runs with a config that differs from {}'s in: {}. Replicas on one store should "
                         "share one config (a rollout under way shows this until it ends).",
                         other.name, name_, named);
        warned_[other.name] = named;
        differences[other.name] = std::move(keys);
    }
    return differences;
}

boost::asio::awaitable<std::chrono::milliseconds> ReplicaWatch::round() {
    try {
        check();
    } catch (const std::exception& e) {
        spdlog::debug("replicas: cannot announce this replica: {}", e.what());  // the store's outage is logged elsewhere
    }
    co_return config_.store.lease / 3;
}

void ReplicaWatch::leave() {
    try {
        store_.forget_replica(name_);
    } catch (const std::exception& e) {
        spdlog::debug("replicas: cannot take {} off the list: {}", name_, e.what());
    }
}

void ReplicaWatch::start() { task_.start(); }

void ReplicaWatch::stop() { task_.stop(); }

}  // namespace hpops::bot
