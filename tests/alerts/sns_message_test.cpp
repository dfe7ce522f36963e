#include "alerts/sns_message.hpp"

#include <gtest/gtest.h>

#include "alerts/cloudwatch_alarm.hpp"
#include "alerts/sns_url.hpp"

namespace hpops::alerts {
namespace {

using namespace std::chrono;

TEST(SnsStringToSign, FollowsTheDocumentedOrderPerType) {
    SnsMessage n;
    n.type = "Notification";
    n.message = "m";
    n.message_id = "id";
    n.timestamp = "t";
    n.topic_arn = "arn";
    EXPECT_EQ(sns_string_to_sign(n), "Message\nm\nMessageId\nid\nTimestamp\nt\nTopicArn\narn\nType\nNotification\n");
    n.subject = "s";
    EXPECT_EQ(sns_string_to_sign(n),
              "Message\nm\nMessageId\nid\nSubject\ns\nTimestamp\nt\nTopicArn\narn\nType\nNotification\n");
    SnsMessage c = n;
    c.type = "SubscriptionConfirmation";
    c.subscribe_url = "u";
    c.token = "k";
    EXPECT_EQ(sns_string_to_sign(c), "Message\nm\nMessageId\nid\nSubscribeURL\nu\nTimestamp\nt\nToken\nk\nTopicArn\narn\n"
                                     "Type\nSubscriptionConfirmation\n");  // no Subject
}

TEST(SnsUrls, OnlyAwsHostsOverHttps) {
    EXPECT_TRUE(is_sns_certificate_url("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem"));
    EXPECT_TRUE(is_sns_certificate_url("https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem"));
    EXPECT_FALSE(is_sns_certificate_url("http://sns.us-east-1.amazonaws.com/x.pem"));
    EXPECT_FALSE(is_sns_certificate_url("https://sns.us-east-1.amazonaws.com.evil.io/x.pem"));
    EXPECT_FALSE(is_sns_certificate_url("https://sns.us-east-1.amazonaws.com@evil.io/x.pem"));
    EXPECT_FALSE(is_sns_certificate_url("https://evil.io/sns.us-east-1.amazonaws.com/x.pem"));
    EXPECT_FALSE(is_sns_certificate_url("https://sns.us-east-1.amazonaws.com/x.txt"));
    EXPECT_TRUE(is_sns_url("https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=1"));
}

TEST(SnsEnvelope, RefusesWhatCannotBeVerified) {
    EXPECT_EQ(parse_sns_message("{").error, "body is not valid JSON");
    EXPECT_EQ(parse_sns_message(R"({"Type":"Notification"})").error, "missing MessageId");
    const std::string base = R"({"Type":"Notification","MessageId":"1","TopicArn":"a","Message":"m","Timestamp":"t",)"
                             R"("Signature":"c2ln","SigningCertURL":"u","SignatureVersion":)";
    EXPECT_EQ(parse_sns_message(base + "\"2\"}").error, "");
    EXPECT_NE(parse_sns_message(base + "\"3\"}").error.find("SignatureVersion"), std::string::npos);
    SnsMessage m = parse_sns_message(base + "\"1\"}").message;
    EXPECT_EQ(verify_sns_signature(m, "not a certificate"), "signing certificate is not a PEM certificate");
}

TEST(CloudWatchAlarm, BecomesAnAlert) {
    auto a = parse_cloudwatch_alarm(R"j({"AlarmName":"gpu-util-low","NewStateValue":"ALARM",
        "NewStateReason":"Threshold Crossed","StateChangeTime":"2026-11-23T10:05:00.000+0000",
        "Region":"US East (N. Virginia)","AlarmArn":"arn:aws:cloudwatch:us-east-1:123:alarm:gpu-util-low",
        "Trigger":{"MetricName":"GPUUtilization","Namespace":"ContainerInsights",
                   "Dimensions":[{"name":"NodegroupName","value":"gpu-ng"}]}})j");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->status, AlertStatus::firing);
    EXPECT_EQ(a->fingerprint, "arn:aws:cloudwatch:us-east-1:123:alarm:gpu-util-low");
    EXPECT_EQ(a->summary, "Threshold Crossed");
    EXPECT_EQ(a->labels.at("NodegroupName"), "gpu-ng");
    EXPECT_EQ(a->labels.at("aws_region"), "us-east-1");
    EXPECT_EQ(a->labels.at("metric"), "GPUUtilization");
    EXPECT_EQ(duration_cast<seconds>(a->starts_at.time_since_epoch()).count(), 1795428300);
    ASSERT_EQ(a->links.size(), 1u);
    auto ok = parse_cloudwatch_alarm(R"({"AlarmName":"x","NewStateValue":"OK","StateChangeTime":"2026-11-23T10:05:00Z"})");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, AlertStatus::resolved);
    EXPECT_TRUE(ok->ends_at);
    EXPECT_FALSE(parse_cloudwatch_alarm("plain text"));
    EXPECT_FALSE(parse_cloudwatch_alarm(R"({"foo":1})"));
}

TEST(SnsMessageAge, RefusesOldMessagesAndFarFutureOnes) {
    SnsMessage m;
    m.message_id = "mid-1";
    m.timestamp = "2026-11-23T10:00:00.000Z";
    const auto signed_at = sys_days{November / 23 / 2026} + 10h;
    EXPECT_EQ(sns_message_age_problem(m, signed_at + 59min, hours(1)), "");
    EXPECT_EQ(sns_message_age_problem(m, signed_at + 1h, hours(1)), "");  // exactly the limit is still fine
    const std::string old = sns_message_age_problem(m, signed_at + 1h + 1s, hours(1));
    EXPECT_NE(old.find("mid-1 was signed 3601 s ago"), std::string::npos) << old;
    EXPECT_NE(old.find("alerts.sns.max_message_age (3600 s)"), std::string::npos) << old;
    EXPECT_EQ(sns_message_age_problem(m, signed_at - 4min, hours(1)), "");  // clock skew
    EXPECT_NE(sns_message_age_problem(m, signed_at - 6min, hours(1)).find("in the future"), std::string::npos);
    m.timestamp = "yesterday";
    EXPECT_NE(sns_message_age_problem(m, signed_at, hours(1)).find("is not an ISO 8601 time"), std::string::npos);
}

}  // namespace
}  // namespace hpops::alerts
