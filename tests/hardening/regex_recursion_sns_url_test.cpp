// Finding 1: std::regex_match recursed once per character, so a 60 KB
// SigningCertURL in an unauthenticated POST to /alerts/sns overflowed the
// stack before any topic or signature check. Node group names from chat went
// through std::regex too.
#include <gtest/gtest.h>

#include "alerts/sns_url.hpp"
#include "handlers/scaling_rules.hpp"
#include "hpops/errors.hpp"

namespace {

const std::string long_path(60 * 1024, 'a');

TEST(RegexRecursionSnsUrl, SixtyKilobyteCertificateUrlIsRefusedWithoutCrashing) {
    EXPECT_FALSE(hpops::alerts::is_sns_certificate_url("https://sns.us-east-1.amazonaws.com/" + long_path + ".pem"));
    EXPECT_FALSE(hpops::alerts::is_sns_url("https://sns.us-east-1.amazonaws.com/?Token=" + long_path));
}

TEST(RegexRecursionSnsUrl, OrdinaryAwsUrlsStillPass) {
    EXPECT_TRUE(hpops::alerts::is_sns_certificate_url(
        "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem"));
    EXPECT_TRUE(hpops::alerts::is_sns_url(
        "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn%3Aaws%3Asns&Token=2336"));
}

TEST(RegexRecursionSnsUrl, HugeGroupNamesAndInstanceTypesAreRefusedPlainly) {
    EXPECT_THROW(hpops::handlers::check_group_name("node group", long_path), hpops::UserError);
    EXPECT_THROW(hpops::handlers::check_instance_type("m5." + long_path), hpops::UserError);
    EXPECT_NO_THROW(hpops::handlers::check_instance_type("ml.large"));  // as (ml\.)?[a-z][a-z0-9-]*\.[a-z0-9]+ read it
}

}  // namespace
