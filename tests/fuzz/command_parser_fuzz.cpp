// What people type after /hp: quotes, options, did-you-mean, UTF-8 checks.
#include "command/parser.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto parsed = hpops::parse_command(hpops::fuzz::as_text(data, size));
    if (const auto* intent = std::get_if<hpops::Intent>(&parsed)) (void)intent->to_text();
    return 0;
}
