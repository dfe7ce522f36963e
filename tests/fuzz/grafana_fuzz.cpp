// POST /alerts/grafana bodies (Grafana's webhook contact point, version 1).
#include "alerts/webhook_payload.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)hpops::alerts::parse_grafana_payload(hpops::fuzz::as_text(data, size));
    return 0;
}
