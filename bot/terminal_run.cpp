#include "bot/terminal_run.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdlib>
#include <iostream>
#include <ostream>

#include "bot/alerts/pooled_alert_log.hpp"
#include "bot/alerts/sqlite_alert_store.hpp"
#include "bot/backends.hpp"
#include "bot/crypto.hpp"
#include "bot/dispatcher.hpp"
#include "bot/metrics.hpp"
#include "bot/sqlite_store.hpp"
#include "hpops/version.hpp"
#include "hpops/progress.hpp"
#include "integrations/http/curl_client.hpp"
#include "integrations/slack/block_kit_renderer.hpp"
#include "integrations/text/plain_text_renderer.hpp"

namespace hpops::bot {
namespace asio = boost::asio;
namespace {

// Long work reports to stderr, so stdout stays the reply alone.
class TerminalProgress final : public Progress {
public:
    void update(const Reply& interim) override { std::cerr << "… " << interim.summary << std::endl; }
};

// The token behind a Confirm button, if the reply asks for confirmation.
std::string confirmation_token(const Reply& reply) {
    for (const auto& block : reply.blocks)
        if (const auto* actions = std::get_if<Actions>(&block))
            for (const auto& button : actions->buttons)
                if (button.action_id == "hpops.confirm") return button.value;
    return {};
}

void print(const Reply& reply, OutputFormat format, std::ostream& out) {
    if (format == OutputFormat::text) {
        out << integrations::render_plain_text(reply);
        return;
    }
    for (const auto& page : integrations::render_block_kit(reply)) out << integrations::to_wire(page, 2) << '\n';
}

}  // namespace

int run_in_terminal(ConfigPtr config, const std::string& text, const TerminalRunOptions& options, std::ostream& out) {
    SqliteStore store(config->store.path, &std::chrono::system_clock::now, config->store.synchronous);
    HandlerRegistry handlers = default_handlers();
    Metrics metrics;
    BotInfo bot{std::string(version), std::chrono::system_clock::now()};
    integrations::CurlClient http;
    Backends backends(*config, http);
    Clients clients = backends.clients();
    // `/hp alerts` reads what the server stored.
    std::unique_ptr<SqliteAlertStore> alerts;
    std::unique_ptr<PooledAlertLog> alert_log;
    if (config->alerts.enabled) {
        alerts = std::make_unique<SqliteAlertStore>(config->store.path, config->alerts.max_firing,
                                                    config->store.synchronous);
        alert_log = std::make_unique<PooledAlertLog>(*alerts);
    }
    clients.alerts = alert_log.get();
    Dispatcher dispatcher(config, store, bot, handlers, metrics, clients);
    const char* user = std::getenv("USER");
    Caller caller{"terminal", user ? user : "local", user ? user : "local", "terminal",
                  "cli-" + to_hex(random_bytes(4)), Role::admin, {}, std::make_shared<TerminalProgress>()};

    asio::io_context io;
    auto future = asio::co_spawn(
        io,
        [&]() -> asio::awaitable<std::pair<Reply, bool>> {
            Reply reply = co_await dispatcher.run_text(caller, text);
            std::string token = confirmation_token(reply);
            if (token.empty()) co_return std::pair{std::move(reply), false};
            if (!options.yes) co_return std::pair{std::move(reply), true};
            co_return std::pair{co_await dispatcher.confirm(caller, token), false};
        },
        asio::use_future);
    io.run();
    auto [reply, stopped_at_confirmation] = future.get();
    if (stopped_at_confirmation) {
        // Buttons mean nothing at a terminal: say how to proceed instead.
        std::erase_if(reply.blocks.edit(), [](const Block& b) { return std::holds_alternative<Actions>(b); });
        reply.context("Not done yet. Re-run with --yes to proceed.");
    }
    print(reply, options.format, out);
    return stopped_at_confirmation ? 3 : 0;
}

}  // namespace hpops::bot
