#pragma once
// What replicas compare of their configurations (Config::fingerprint).
#include <map>
#include <string>
#include <vector>

#include "hpops/config.hpp"

namespace YAML {
class Node;
}

namespace hpops::bot {

// Every scalar of the document under its dotted key ("alerts.routes" for a
// whole list), hashed, then the settings the environment can override
// (slack.signing_secret, store.url, ...) as `effective` holds them.
// server.listen is left out (on one host each replica has its own port),
// and so is the SQLite file when store.url names PostgreSQL.
std::map<std::string, std::string> config_fingerprint(const YAML::Node& document, const Config& effective);

// The keys whose fingerprints differ between two replicas, or that one has
// and the other lacks, sorted.
std::vector<std::string> differing_keys(const std::map<std::string, std::string>& mine,
                                        const std::map<std::string, std::string>& theirs);

}  // namespace hpops::bot
