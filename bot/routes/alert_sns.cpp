#include "bot/routes/alert_sns.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "alerts/cloudwatch_alarm.hpp"
#include "alerts/sns_client.hpp"
#include "alerts/sns_message.hpp"
#include "alerts/sns_url.hpp"
#include "bot/routes/alert_receivers.hpp"
#include "hpops/errors.hpp"

namespace hpops::bot {
using alerts::ParsedSns;
using alerts::is_sns_certificate_url;
using alerts::parse_cloudwatch_alarm;
using alerts::parse_sns_topic_arn;
using alerts::plain_sns_alert;
using alerts::sns_endpoint_problem;
using alerts::sns_message_age_problem;
using alerts::verify_sns_signature;
using alerts::parse_sns_message;
using alerts::SnsMessage;
using alerts::UntrustedSigningCertificate;
namespace {

HttpOut refuse_notification(Services& services, int status, const std::string& kind, const std::string& reason,
               const std::string& remote) {
    services.metrics.count_error("alerts_sns_" + kind);
    spdlog::warn("alerts: sns from {} refused with {}: {}", remote, status, reason);
    return text_response(status, reason);
}

}  // namespace

boost::asio::awaitable<HttpOut> handle_sns_webhook(Services& services, HttpIn in) {
    const std::string remote = in.remote;
    if (!services.alerts || !services.sns)
        co_return refuse_notification(services, 404, "disabled", "alerts are not configured", remote);
    ParsedSns parsed = parse_sns_message(in.body);
    if (!parsed.error.empty()) co_return refuse_notification(services, 400, "bad_payload", parsed.error, remote);
    const SnsMessage& m = parsed.message;
    if (auto header = in.header("x-amz-sns-message-type"); !header.empty() && header != m.type)
        co_return refuse_notification(services, 400, "bad_payload", "x-amz-sns-message-type does not match Type", remote);
    if (!is_sns_certificate_url(m.signing_cert_url))
        co_return refuse_notification(services, 400, "bad_certificate_url",
                         "SigningCertURL is not an https://sns.<region>.amazonaws.com/....pem URL: " +
                             m.signing_cert_url.substr(0, 200), remote);
    const auto& topics = services.config->alerts.sns_topic_arns;
    if (std::find(topics.begin(), topics.end(), m.topic_arn) == topics.end())
        co_return refuse_notification(services, 403, "unknown_topic", "topic " + m.topic_arn + " is not in alerts.sns.topic_arns",
                         remote);
    // The certificate must come from SNS in the topic's own region: any other
    // host under amazonaws.com (sns.s3.amazonaws.com is an S3 bucket) is not SNS.
    const auto topic = parse_sns_topic_arn(m.topic_arn);
    if (!topic) co_return refuse_notification(services, 400, "bad_payload", "TopicArn is not an SNS topic ARN", remote);
    if (std::string why = sns_endpoint_problem(m.signing_cert_url, *topic); !why.empty())
        co_return refuse_notification(services, 400, "bad_certificate_url", "SigningCertURL " + why, remote);
    std::string pem;
    try {
        auto fetch = services.sns->certificate(m.signing_cert_url, *topic);
        pem = co_await std::move(fetch);
    } catch (const UntrustedSigningCertificate& e) {
        co_return refuse_notification(services, 403, "untrusted_certificate", e.what(), remote);
    } catch (const std::exception& e) {
        // Ours to retry, not the sender's fault: SNS redelivers on 5xx.
        services.metrics.count_error("alerts_sns_certificate_fetch");
        spdlog::error("alerts: sns signing certificate {} unavailable: {}", m.signing_cert_url, e.what());
        co_return text_response(503, "signing certificate unavailable; retry later");
    }
    if (std::string why = verify_sns_signature(m, pem); !why.empty())
        co_return refuse_notification(services, 403, "bad_signature", "message " + m.message_id + ": " + why, remote);
    // Checked once the signature holds, so the Timestamp is AWS's own.
    if (std::string why = sns_message_age_problem(m, std::chrono::system_clock::now(),
                                                  services.config->alerts.sns_max_message_age);
        !why.empty())
        co_return refuse_notification(services, 400, "stale", why, remote);

    if (m.type == "SubscriptionConfirmation") {
        if (std::string why = sns_endpoint_problem(m.subscribe_url, *topic); !why.empty())
            co_return refuse_notification(services, 400, "bad_subscribe_url", "SubscribeURL " + why, remote);
        try {
            auto confirm = services.sns->confirm_subscription(m.subscribe_url);
            co_await std::move(confirm);
        } catch (const std::exception& e) {
            services.metrics.count_error("alerts_sns_confirm_failed");
            spdlog::error("alerts: confirming the subscription to {} failed: {}", m.topic_arn, e.what());
            co_return text_response(503, "subscription confirmation failed; retry later");
        }
        spdlog::info("alerts: confirmed the SNS subscription to {}", m.topic_arn);
        co_return text_response(200, "subscription confirmed");
    }
    if (m.type == "UnsubscribeConfirmation") {
        spdlog::warn("alerts: unsubscribed from {} (not re-subscribing)", m.topic_arn);
        co_return text_response(200, "noted");
    }
    std::vector<Alert> alerts;
    if (auto alarm = parse_cloudwatch_alarm(m.message)) alerts.push_back(std::move(*alarm));
    else alerts.push_back(plain_sns_alert(m));
    auto work = store_alerts(services, "sns", std::move(alerts), remote);
    co_return co_await std::move(work);
}

}  // namespace hpops::bot
