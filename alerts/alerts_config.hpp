#pragma once
#include "common/config_walker.hpp"
#include "hpops/config.hpp"

namespace hpops::alerts {

// The `alerts:` section: receivers' credentials, routes, flood control.
void read_alerts(YamlWalker& w, const ConfigField& root, AlertsConfig& out);

}  // namespace hpops::alerts
