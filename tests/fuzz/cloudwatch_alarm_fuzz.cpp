// The Message of an SNS notification from a CloudWatch alarm.
#include "alerts/cloudwatch_alarm.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)hpops::alerts::parse_cloudwatch_alarm(hpops::fuzz::as_text(data, size));
    return 0;
}
