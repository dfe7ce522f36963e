#pragma once
// Credential checks of the alert receivers, constant-time throughout.
#include <optional>
#include <string>
#include <string_view>

#include "hpops/config.hpp"

namespace hpops::alerts {

// Alertmanager's http_config: `Authorization: Bearer T` or `Basic base64(u:p)`.
// False when the config sets neither: an open receiver is not a default.
bool alertmanager_authorized(const AlertsConfig& config, std::string_view authorization);

// Grafana's X-Grafana-Alerting-Signature: hex HMAC-SHA256 under the contact
// point's secret, over "timestamp:body" when a timestamp header is in use.
bool grafana_signature_valid(std::string_view secret, std::string_view timestamp, std::string_view body,
                             std::string_view signature_hex, bool with_timestamp);

}  // namespace hpops::alerts
