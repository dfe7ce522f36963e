#include "alerts/receiver_auth.hpp"

#include <gtest/gtest.h>

#include "common/crypto.hpp"

namespace hpops::alerts {
namespace {

TEST(AlertmanagerAuth, BearerOrBasic) {
    AlertsConfig c;
    EXPECT_FALSE(alertmanager_authorized(c, "Bearer anything"));  // nothing configured: closed
    c.alertmanager_token = "tok-123";
    EXPECT_TRUE(alertmanager_authorized(c, "Bearer tok-123"));
    EXPECT_TRUE(alertmanager_authorized(c, "bearer tok-123"));
    EXPECT_FALSE(alertmanager_authorized(c, "Bearer tok-12"));
    EXPECT_FALSE(alertmanager_authorized(c, "Bearertok-123"));
    EXPECT_FALSE(alertmanager_authorized(c, ""));
    c.alertmanager_username = "am";
    c.alertmanager_password = "p+w/d?";
    // base64("am:p+w/d?") = "YW06cCt3L2Q/" (standard alphabet, with / in it)
    EXPECT_TRUE(alertmanager_authorized(c, "Basic YW06cCt3L2Q/"));
    EXPECT_FALSE(alertmanager_authorized(c, "Basic YW06cCt3L2Q"));
    EXPECT_FALSE(alertmanager_authorized(c, "Basic !!!"));
    EXPECT_FALSE(alertmanager_authorized(c, "Bearer YW06cCt3L2Q/"));
}

TEST(GrafanaSignature, OverBodyOrTimestampAndBody) {
    const std::string secret = "grafana-secret-0123456789", body = R"({"alerts":[]})";
    const std::string over_body = to_hex(hmac_sha256(secret, body));
    const std::string over_ts = to_hex(hmac_sha256(secret, "1700000000:" + body));
    EXPECT_TRUE(grafana_signature_valid(secret, "", body, over_body, false));
    EXPECT_FALSE(grafana_signature_valid(secret, "", body + " ", over_body, false));
    EXPECT_FALSE(grafana_signature_valid("other-secret-0123456789", "", body, over_body, false));
    EXPECT_TRUE(grafana_signature_valid(secret, "1700000000", body, over_ts, true));
    EXPECT_FALSE(grafana_signature_valid(secret, "1700000001", body, over_ts, true));
    EXPECT_FALSE(grafana_signature_valid(secret, "", body, over_ts, true));
    EXPECT_FALSE(grafana_signature_valid(secret, "1700000000", body, over_body, true));
    EXPECT_FALSE(grafana_signature_valid(secret, "", body, "", false));
}

}  // namespace
}  // namespace hpops::alerts
