// POST /alerts/sns: the envelope, the URL checks and the string to sign, all
// of which run before the signature is known to be good.
#include "alerts/sns_message.hpp"
#include "alerts/sns_url.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto parsed = hpops::alerts::parse_sns_message(hpops::fuzz::as_text(data, size));
    (void)hpops::alerts::is_sns_certificate_url(parsed.message.signing_cert_url);
    (void)hpops::alerts::is_sns_url(parsed.message.subscribe_url);
    if (const auto topic = hpops::alerts::parse_sns_topic_arn(parsed.message.topic_arn))
        (void)hpops::alerts::sns_endpoint_problem(parsed.message.signing_cert_url, *topic);
    (void)hpops::alerts::sns_string_to_sign(parsed.message);
    (void)hpops::alerts::sns_message_age_problem(parsed.message, std::chrono::system_clock::now(), std::chrono::hours(1));
    return 0;
}
