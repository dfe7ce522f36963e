#include "bot/dispatch/confirm_token.hpp"

#include <gtest/gtest.h>

#include "common/crypto.hpp"

using namespace hpops;
using namespace hpops::bot;
using namespace std::chrono;

namespace {
ConfirmClaim claim_until(std::int64_t expires) {
    return ConfirmClaim{"nodegroup delete spot-ng", "U1", "C1", expires, "nonce-1"};
}
const auto t0 = system_clock::time_point(seconds(1'700'000'000));
}  // namespace

TEST(ConfirmToken, RoundTripsTheExactClaim) {
    auto token = sign_confirm_token(claim_until(1'700'000'300), "key");
    auto check = verify_confirm_token(token, "key", t0);
    ASSERT_TRUE(check.claim) << check.reason;
    EXPECT_EQ(check.claim->command_text, "nodegroup delete spot-ng");
    EXPECT_EQ(check.claim->actor_id, "U1");
    EXPECT_EQ(check.claim->channel, "C1");
    EXPECT_EQ(check.claim->nonce, "nonce-1");
}

TEST(ConfirmToken, RefusesExpiredTokens) {
    auto token = sign_confirm_token(claim_until(1'700'000'300), "key");
    auto check = verify_confirm_token(token, "key", t0 + seconds(301));
    EXPECT_FALSE(check.claim);
    EXPECT_NE(check.reason.find("expired"), std::string::npos);
}

TEST(ConfirmToken, RefusesAnotherKeyAndTampering) {
    auto token = sign_confirm_token(claim_until(1'700'000'300), "key");
    EXPECT_FALSE(verify_confirm_token(token, "other-key", t0).claim);
    // Swap in a payload for another command, keeping the original MAC.
    auto forged_payload = hpops::base64url_encode(R"({"c":"nodegroup delete gpu-ng","u":"U1","ch":"C1","exp":1700000300,"n":"x"})");
    auto forged = forged_payload + token.substr(token.find('.'));
    auto check = verify_confirm_token(forged, "key", t0);
    EXPECT_FALSE(check.claim);
    EXPECT_NE(check.reason.find("signature"), std::string::npos);
    EXPECT_FALSE(verify_confirm_token("no-dot-here", "key", t0).claim);
    EXPECT_FALSE(verify_confirm_token("", "key", t0).claim);
}

TEST(ConfirmToken, RefusesWellSignedGarbage) {
    std::string payload = hpops::base64url_encode("[1,2,3]");
    std::string token = payload + "." + hpops::base64url_encode(hpops::hmac_sha256("key", payload));
    auto check = verify_confirm_token(token, "key", t0);
    EXPECT_FALSE(check.claim);
    EXPECT_EQ(check.reason, "malformed confirmation token");
}
