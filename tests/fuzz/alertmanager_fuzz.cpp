// POST /alerts/alertmanager bodies (webhook v4) and the routing they go through.
#include "alerts/webhook_payload.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)hpops::alerts::parse_alertmanager_payload(hpops::fuzz::as_text(data, size));
    return 0;
}
