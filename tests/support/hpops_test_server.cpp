// `hpops_test_server serve --config FILE`: `hpops serve` for the SNS tests,
// which need AWS's certificate host and confirmation endpoint replaced by the
// test's own (HPOPS_TEST_SNS_ENDPOINT). Built only under tests/, so the
// shipped `hpops` has no way to trust a certificate from anywhere but AWS.
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "bot/app.hpp"
#include "bot/config_loader.hpp"

int main(int argc, char** argv) {
    if (argc != 4 || std::string(argv[1]) != "serve" || std::string(argv[2]) != "--config") {
        std::cerr << "usage: hpops_test_server serve --config FILE\n";
        return 2;
    }
    try {
        auto config = hpops::bot::load_config(argv[3]);
        spdlog::set_level(spdlog::level::from_str(config->log_level));
        hpops::bot::App app(config);
        if (const char* base = std::getenv("HPOPS_TEST_SNS_ENDPOINT"); base && *base) app.redirect_sns_for_tests(base);
        return app.serve();
    } catch (const hpops::bot::ConfigError& error) {
        for (const auto& problem : error.problems()) std::cerr << problem << '\n';
    } catch (const std::exception& error) {
        std::cerr << "hpops_test_server: " << error.what() << '\n';
    }
    return 1;
}
