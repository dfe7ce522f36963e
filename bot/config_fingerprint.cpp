#include "bot/config_fingerprint.hpp"

#include <yaml-cpp/yaml.h>

#include "common/crypto.hpp"

namespace hpops::bot {
namespace {

// 64 bits of SHA-256: enough to tell values apart, and the value (a secret,
// maybe) is not what the store keeps.
std::string hashed(std::string_view value) { return to_hex(sha256(value)).substr(0, 16); }

void add(const YAML::Node& node, const std::string& key, std::map<std::string, std::string>& out) {
    if (node.IsMap()) {
        for (const auto& entry : node) {
            const std::string name = entry.first.as<std::string>("?");
            add(entry.second, key.empty() ? name : key + "." + name, out);
        }
    } else if (node.IsDefined() && !key.empty()) {
        // A list (rules, routes) is one setting: its order matters as much as its items.
        YAML::Emitter emitter;
        emitter << node;
        out[key] = hashed(emitter.c_str());
    }
}

}  // namespace

std::map<std::string, std::string> config_fingerprint(const YAML::Node& document, const Config& effective) {
    std::map<std::string, std::string> out;
    add(document, "", out);
    out.erase("server.listen");
    if (!effective.store.url.empty()) {
        // On PostgreSQL the SQLite file's settings are not in effect.
        out.erase("store.path");
        out.erase("store.synchronous");
    }
    for (const auto& [key, value] : {std::pair<const char*, const std::string&>{"slack.signing_secret", effective.slack.signing_secret},
                                     {"slack.bot_token", effective.slack.bot_token},
                                     {"slack.api_url", effective.slack.api_url},
                                     {"store.url", effective.store.url},
                                     {"aws.region", effective.aws.region},
                                     {"mlflow.tracking_uri", effective.mlflow.tracking_uri}}) {
        if (value.empty()) out.erase(key);
        else out[key] = hashed(value);
    }
    return out;
}

std::vector<std::string> differing_keys(const std::map<std::string, std::string>& mine,
                                        const std::map<std::string, std::string>& theirs) {
    std::vector<std::string> keys;
    auto a = mine.begin();
    auto b = theirs.begin();
    while (a != mine.end() || b != theirs.end()) {
        if (b == theirs.end() || (a != mine.end() && a->first < b->first)) {
            keys.push_back((a++)->first);
        } else if (a == mine.end() || b->first < a->first) {
            keys.push_back((b++)->first);
        } else {
            if (a->second != b->second) keys.push_back(a->first);
            ++a, ++b;
        }
    }
    return keys;
}

}  // namespace hpops::bot
