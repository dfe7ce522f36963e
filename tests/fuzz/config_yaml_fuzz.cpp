// hpops's YAML configuration: every problem is collected, nothing may throw
// anything but ConfigError.
#include "bot/config_loader.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::map<std::string, std::string> env{{"SLACK_SIGNING_SECRET", "fuzz"}, {"HOME", "/nonexistent"}};
    try {
        (void)hpops::bot::load_config_text(hpops::fuzz::as_text(data, size), "fuzz.yaml", &env);
    } catch (const hpops::bot::ConfigError&) {
    }
    return 0;
}
