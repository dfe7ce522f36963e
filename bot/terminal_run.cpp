#include "bot/terminal_run.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdlib>
#include <iostream>
#include <ostream>

#include "bot/backends.hpp"
#include "bot/dispatch/dispatcher.hpp"
#include "bot/jobs/job_runner.hpp"
#include "bot/open_store.hpp"
#include "bot/slack/block_kit_renderer.hpp"
#include "bot/terminal/plain_text_renderer.hpp"
#include "bot/terminal/terminal_job_messenger.hpp"
#include "common/crypto.hpp"
#include "common/metrics.hpp"
#include "handlers/job_kinds.hpp"
#include "hpops/progress.hpp"
#include "hpops/version.hpp"
#include "integrations/http/curl_client.hpp"
#include "store/pooled_alert_log.hpp"

namespace hpops::bot {
using store::PooledAlertLog;
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
        out << bot::render_plain_text(reply);
        return;
    }
    for (const auto& page : render_block_kit(reply)) out << to_wire(page, 2) << '\n';
}

}  // namespace

int run_in_terminal(ConfigPtr config, const std::string& text, const TerminalRunOptions& options, std::ostream& out) {
    const auto database = open_database(config->store);
    store::Database& store = *database;
    HandlerRegistry handlers = default_handlers();
    Metrics metrics;
    BotInfo bot{std::string(version), std::chrono::system_clock::now()};
    integrations::CurlClient http;
    Backends backends(*config, http);
    Clients clients = backends.clients();
    // `/hp alerts` reads what the server stored.
    std::unique_ptr<AlertStore> alerts;
    std::unique_ptr<PooledAlertLog> alert_log;
    if (config->alerts.enabled) {
        alerts = open_alert_store(config->store, config->alerts.max_firing);
        alert_log = std::make_unique<PooledAlertLog>(*alerts);
    }
    clients.alerts = alert_log.get();
    Dispatcher dispatcher(config, store, bot, handlers, metrics, clients);
    const char* user = std::getenv("USER");
    Caller caller{"terminal", user ? user : "local", user ? user : "local", "terminal",
                  "cli-" + to_hex(random_bytes(4)), Role::admin, {}, std::make_shared<TerminalProgress>()};

    asio::io_context io;
    // Long work runs as the server runs it, a durable job in the store, but
    // followed here to its end, each state printed as chat would show it.
    TerminalJobMessenger messenger(std::cerr);
    JobRunner jobs(io.get_executor(), store, JobContext{*config, clients, &store}, &messenger);
    for (JobKind* kind : handlers::job_kinds()) jobs.add_kind(*kind);
    jobs.start(/*resume_unfinished=*/false);
    dispatcher.set_jobs(&jobs);
    auto future = asio::co_spawn(
        io,
        [&]() -> asio::awaitable<std::pair<Reply, bool>> {
            Reply reply = co_await dispatcher.run_text(caller, text);
            std::string token = confirmation_token(reply);
            bool stopped_at_confirmation = false;
            if (!token.empty() && options.yes) reply = co_await dispatcher.confirm(caller, token);
            else stopped_at_confirmation = !token.empty();
            asio::steady_timer timer(io);
            while (jobs.stats().running > 0) {
                timer.expires_after(std::chrono::milliseconds(50));
                co_await timer.async_wait(asio::use_awaitable);
            }
            co_await jobs.stop();
            co_return std::pair{std::move(reply), stopped_at_confirmation};
        },
        asio::use_future);
    io.run();
    auto [reply, stopped_at_confirmation] = future.get();
    if (stopped_at_confirmation) {
        // Buttons mean nothing at a terminal: say how to proceed instead.
        std::erase_if(reply.blocks.edit(), [](const Block& b) { return std::holds_alternative<Actions>(b); });
        reply.context("Not done yet. Re-run with --yes to proceed.");
    }
    const auto job = messenger.last();
    print(job ? job->rendering : reply, options.format, out);
    if (stopped_at_confirmation) return 3;
    return job && job->status != JobStatus::done ? 1 : 0;
}

}  // namespace hpops::bot
