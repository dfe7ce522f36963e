// `hpops_test_server serve --config FILE`: `hpops serve` for the SNS tests,
// which need AWS's certificate host and confirmation endpoint replaced by the
// test's own (HPOPS_TEST_SNS_ENDPOINT), and signing certificates checked
// against the test's CA (HPOPS_TEST_SNS_CA, a PEM file) instead of the
// system's roots. Built only under tests/, so the shipped `hpops` has no way
// to trust a certificate from anywhere but AWS.
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <iostream>
#include <string>

#include "bot/app.hpp"
#include "bot/config_loader.hpp"
#include "common/log_format.hpp"

int main(int argc, char** argv) {
    if (argc != 4 || std::string(argv[1]) != "serve" || std::string(argv[2]) != "--config") {
        std::cerr << "usage: hpops_test_server serve --config FILE\n";
        return 2;
    }
    try {
        auto config = hpops::bot::load_config(argv[3]);
        spdlog::set_level(spdlog::level::from_str(config->log_level));
        hpops::log::use_format(hpops::log::format_from(config->log_format).value_or(hpops::log::Format::text));
        hpops::bot::App app(config);
        const char* base = std::getenv("HPOPS_TEST_SNS_ENDPOINT");
        const char* ca = std::getenv("HPOPS_TEST_SNS_CA");
        if (base && *base) {
            if (!ca || !*ca) throw std::runtime_error("HPOPS_TEST_SNS_ENDPOINT needs HPOPS_TEST_SNS_CA");
            std::ifstream file(ca);
            std::stringstream pem;
            pem << file.rdbuf();
            app.redirect_sns_for_tests(base, pem.str());
        }
        return app.serve();
    } catch (const hpops::bot::ConfigError& error) {
        for (const auto& problem : error.problems()) std::cerr << problem << '\n';
    } catch (const std::exception& error) {
        std::cerr << "hpops_test_server: " << error.what() << '\n';
    }
    return 1;
}
