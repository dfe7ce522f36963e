// POST /slack/interactions bodies: a form whose `payload` field is JSON.
#include "bot/slack/form_decode.hpp"
#include "bot/slack/slack_interaction_payload.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = hpops::fuzz::as_text(data, size);
    if (const auto form = hpops::bot::decode_form(body))
        if (const auto payload = form->find("payload")) (void)hpops::bot::decode_interaction_payload(*payload);
    // The payload alone too, so the fuzzer need not learn form encoding first.
    (void)hpops::bot::decode_interaction_payload(body);
    return 0;
}
