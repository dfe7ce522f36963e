#pragma once
// The config file's `approvals:` section (two-person approval): each rule's
// commands checked against the command table, so a misspelt command is a
// start-up error rather than a rule that never applies.
#include "common/config_walker.hpp"
#include "hpops/config.hpp"

namespace hpops::bot {

void read_approvals(YamlWalker& w, const ConfigField& root, ApprovalsConfig& out);

}  // namespace hpops::bot
