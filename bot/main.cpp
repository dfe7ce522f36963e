// hpops: serve | check-config | run. Wiring lives in bot/app.cpp; this file only reads argv.
#include <spdlog/spdlog.h>

#include <iostream>
#include <string>
#include <vector>

#include "bot/app.hpp"
#include "bot/config_loader.hpp"
#include "bot/public_exposure.hpp"
#include "bot/terminal_run.hpp"
#include "common/config_values.hpp"
#include "common/log_format.hpp"
#include "hpops/version.hpp"

namespace {

constexpr const char* usage_text =
    "usage:\n"
    "  hpops serve --config FILE [--listen HOST:PORT]\n"
    "  hpops check-config FILE\n"
    "  hpops run --config FILE [--yes] [--format text|slack] \"<command text>\"\n"
    "  hpops --version\n";

int usage_error(const std::string& message) {
    std::cerr << "hpops: " << message << "\n" << usage_text;
    return 2;
}

struct Args {
    std::string config;
    std::string listen;
    std::string format = "text";
    bool yes = false;
    std::vector<std::string> rest;
};

// Flags may come before or after positionals; "--" ends flags.
bool parse_args(const std::vector<std::string>& argv, Args& args, std::string& error) {
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        auto value = [&](std::string& into) {
            if (i + 1 >= argv.size()) {
                error = a + " needs a value";
                return false;
            }
            into = argv[++i];
            return true;
        };
        if (a == "--") {
            args.rest.insert(args.rest.end(), argv.begin() + static_cast<long>(i) + 1, argv.end());
            break;
        }
        if (a == "--config" || a == "-c") { if (!value(args.config)) return false; }
        else if (a == "--listen") { if (!value(args.listen)) return false; }
        else if (a == "--format") { if (!value(args.format)) return false; }
        else if (a == "--yes" || a == "-y") args.yes = true;
        else if (a.starts_with("--")) { error = "unknown option " + a; return false; }
        else args.rest.push_back(a);
    }
    return true;
}

// log.format (or HPOPS_LOG_FORMAT), which the loader has checked, for every line from here on.
void use_log_format(const hpops::Config& config) {
    hpops::log::use_format(hpops::log::format_from(config.log_format).value_or(hpops::log::Format::text));
}

int check_config_command(const std::string& path) {
    auto problems = hpops::bot::check_config(path);
    for (const auto& problem : problems) std::cerr << problem << '\n';
    if (!problems.empty()) return 1;
    std::cout << path << ": ok\n";
    return 0;
}

int serve_command(const Args& args) {
    auto config = hpops::bot::load_config(args.config);
    if (!args.listen.empty()) {
        std::string why;
        auto host_port = hpops::parse_host_port(args.listen, why);
        if (!host_port) return usage_error("--listen " + args.listen + ": " + why);
        auto copy = std::make_shared<hpops::Config>(*config);
        copy->server.host = host_port->host;
        copy->server.port = host_port->port;
        config = copy;
    }
    if (auto problems = hpops::bot::public_exposure_problems(*config); !problems.empty()) {
        for (const auto& problem : problems) std::cerr << "hpops: refusing to serve: " << problem << '\n';
        return 1;
    }
    spdlog::set_level(spdlog::level::from_str(config->log_level));
    use_log_format(*config);
    hpops::bot::App app(config);
    return app.serve();
}

int run_command(const Args& args) {
    if (args.rest.empty()) return usage_error("run needs the command text, e.g. hpops run --config FILE \"help\"");
    if (args.format != "text" && args.format != "slack") return usage_error("--format is text or slack");
    hpops::bot::LoadOptions load;
    load.require_slack_secret = false;  // the terminal needs no Slack secret
    auto config = hpops::bot::load_config(args.config, load);
    spdlog::set_level(spdlog::level::warn);  // stdout is the reply; keep logs out of it
    use_log_format(*config);
    std::string text;
    for (const auto& word : args.rest) text += (text.empty() ? "" : " ") + word;
    hpops::bot::TerminalRunOptions options;
    options.yes = args.yes;
    options.format = args.format == "slack" ? hpops::bot::OutputFormat::slack : hpops::bot::OutputFormat::text;
    return hpops::bot::run_in_terminal(config, text, options, std::cout);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> argv_list(argv + 1, argv + argc);
    if (argv_list.empty()) return usage_error("missing command");
    const std::string command = argv_list.front();
    argv_list.erase(argv_list.begin());
    if (command == "--version" || command == "version") {
        std::cout << "hpops " << hpops::version << '\n';
        return 0;
    }
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << usage_text;
        return 0;
    }
    Args args;
    std::string error;
    if (!parse_args(argv_list, args, error)) return usage_error(error);
    try {
        if (command == "check-config") {
            if (args.rest.size() != 1 && args.config.empty()) return usage_error("check-config needs one FILE");
            return check_config_command(args.config.empty() ? args.rest.front() : args.config);
        }
        if (args.config.empty()) return usage_error(command + " needs --config FILE");
        if (command == "serve") return serve_command(args);
        if (command == "run") return run_command(args);
    } catch (const hpops::bot::ConfigError& error) {
        for (const auto& problem : error.problems()) std::cerr << problem << '\n';
        return 1;
    } catch (const std::exception& error) {
        std::cerr << "hpops: " << error.what() << '\n';
        return 1;
    }
    return usage_error("unknown command " + command);
}
