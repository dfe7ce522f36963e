#pragma once
// The config file's `digests:` section: schedules checked as `/hp digest
// schedule` checks them (cron, zone, sections, frequency), so a schedule the
// chat would refuse never starts from the file either.
#include "common/config_walker.hpp"
#include "hpops/config.hpp"

namespace hpops::bot {

void read_digests(YamlWalker& w, const ConfigField& root, DigestsConfig& out);

}  // namespace hpops::bot
