// The body of every Slack request: application/x-www-form-urlencoded.
#include "bot/slack/form_decode.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto form = hpops::bot::decode_form(hpops::fuzz::as_text(data, size));
    if (form)
        for (const char* name : {"user_id", "channel_id", "command", "text", "response_url", "payload"})
            (void)form->find(name);
    return 0;
}
