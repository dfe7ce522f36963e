// path_costs: where the CPU of one signed `/hp help` goes, without sockets.
//
//   path_costs [ITERATIONS]
//
// bench/run.sh measures hpops and the raw HMAC server over loopback; this
// program splits hpops's side of that into the steps of the route, each timed
// on its own in a loop, plus the whole route (route_request, everything but
// the HTTP transport) in-process. Its numbers are per request, in microseconds
// of one core, so they hold even when the machine is shared and wrk's rates
// are not.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "bot/dispatch/authorizer.hpp"
#include "bot/dispatch/deferred_reply.hpp"
#include "bot/dispatch/dispatcher.hpp"
#include "bot/dispatch/handler_registry.hpp"
#include "bot/dispatch/services.hpp"
#include "bot/routes/router.hpp"
#include "bot/slack/block_kit_renderer.hpp"
#include "bot/slack/form_decode.hpp"
#include "bot/slack/slack_signature.hpp"
#include "command/parser.hpp"
#include "common/metrics.hpp"
#include "common/replay_guard.hpp"
#include "handlers/help.hpp"
#include "integrations/http/curl_client.hpp"
#include "store/sqlite_store.hpp"

namespace {

using namespace hpops;
using clock_type = std::chrono::steady_clock;

const std::string secret = "local-dev-signing-secret";

// The same form bench/make_requests.py sends, unique by trigger_id.
std::string form_body(int index) {
    char trigger[64];
    std::snprintf(trigger, sizeof trigger, "bench.%09d.0123456789abcdef", index);
    return "token=unused&team_id=T0BENCH&team_domain=bench&channel_id=C0BENCH&channel_name=bench"
           "&user_id=U0BENCH&user_name=bench&command=%2Fhp&text=help"
           "&response_url=http%3A%2F%2F127.0.0.1%3A9%2Funused&trigger_id=" +
           std::string(trigger);
}

// Signed requests made before timing starts: the replay guard refuses repeats.
std::vector<bot::HttpIn> signed_requests(int count) {
    const std::string ts = std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    std::vector<bot::HttpIn> out;
    out.reserve(count);
    for (int i = 0; i < count; ++i) {
        bot::HttpIn in;
        in.method = "POST";
        in.target = "/slack/commands";
        in.body = form_body(i);
        in.headers = {{"host", "127.0.0.1"},
                      {"content-type", "application/x-www-form-urlencoded"},
                      {"content-length", std::to_string(in.body.size())},
                      {"x-slack-request-timestamp", ts},
                      {"x-slack-signature", bot::slack_signature(secret, ts, in.body)}};
        in.remote = "127.0.0.1:40000";
        out.push_back(std::move(in));
    }
    return out;
}

// Runs `step(i)` for i in [0, n) and prints microseconds per call; the best of
// three passes, since a shared machine only ever adds time.
void report(const char* name, int n, const std::function<void(int)>& step) {
    double best = 1e300;
    for (int pass = 0; pass < 3; ++pass) {
        const auto start = clock_type::now();
        for (int i = 0; i < n; ++i) step(i);
        best = std::min(best, std::chrono::duration<double, std::micro>(clock_type::now() - start).count() / n);
    }
    std::printf("  %-44s %9.2f us\n", name, best);
}

// Keeps the optimiser from deleting a result nobody reads.
template <class T>
void keep(const T& value) {
    asm volatile("" : : "g"(&value) : "memory");
}

// Like report(), for a coroutine step: one coroutine per pass awaits `step(i)`
// n times back to back on a strand, as one keep-alive connection would in
// hpops, so io_context start-up is not counted.
void report_async(const char* name, int n, boost::asio::io_context& io,
                  const std::function<boost::asio::awaitable<void>(int)>& step) {
    double best = 1e300;
    for (int pass = 0; pass < 3; ++pass) {
        boost::asio::co_spawn(
            boost::asio::make_strand(io),
            [&]() -> boost::asio::awaitable<void> {
                for (int i = 0; i < n; ++i) co_await step(i);
            },
            boost::asio::detached);
        const auto start = clock_type::now();
        io.run();
        io.restart();
        best = std::min(best, std::chrono::duration<double, std::micro>(clock_type::now() - start).count() / n);
    }
    std::printf("  %-44s %9.2f us\n", name, best);
}

}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20000;
    const auto requests = signed_requests(3 * n + 3 * n);  // the steps' passes, then the whole route's
    const std::string& body = requests[0].body;
    const std::string ts(requests[0].header("x-slack-request-timestamp"));
    const std::string sig(requests[0].header("x-slack-signature"));

    auto config = std::make_shared<Config>();
    config->slack.signing_secret = secret;
    config->store.path = ":memory:";

    std::printf("per request, best of 3 passes of %d:\n", n);
    report("verify_slack_signature", n, [&](int) {
        keep(bot::verify_slack_signature(secret, ts, sig, body, std::chrono::system_clock::now(), std::chrono::seconds(300)));
    });
    hpops::ReplayGuard replays(std::chrono::seconds(300), config->server.max_replay_signatures);
    int replay_next = 0;  // a new signature every call, as under load
    report("ReplayGuard::check (new signatures)", n, [&](int) {
        const auto& request = requests[replay_next++];
        keep(replays.check(request.header("x-slack-signature"),
                           std::stoll(std::string(request.header("x-slack-request-timestamp")))));
    });
    report("decode_form", n, [&](int) { keep(bot::decode_form(body)); });
    report("parse_command(\"help\")", n, [&](int) { keep(hpops::parse_command("help")); });
    report("effective_role", n, [&](int) { keep(bot::effective_role(config->access, "U0BENCH", "C0BENCH")); });
    report("help_index (build the Reply)", n, [&](int) { keep(handlers::help_index()); });
    const Reply help = handlers::help_index();
    report("render_block_kit (Reply -> json)", n, [&](int) { keep(bot::render_block_kit(help)); });
    const auto pages = bot::render_block_kit(help);
    report("json dump (json -> bytes)", n, [&](int) { keep(pages.front().dump()); });
    std::printf("  (reply body: %zu bytes)\n", pages.front().dump().size());

    // The pieces that run as coroutines, then the whole route as App wires
    // it minus the socket: what hpops spends between Beast's parser and
    // Beast's serializer.
    store::SqliteStore store(config->store.path);
    hpops::Metrics metrics;
    auto handlers = bot::default_handlers();
    BotInfo bot_info{"bench", std::chrono::system_clock::now()};
    bot::Dispatcher dispatcher(config, store, bot_info, handlers, metrics);
    integrations::CurlClient http;
    hpops::ReplayGuard route_replays(config->slack.timestamp_tolerance, config->server.max_replay_signatures);
    boost::asio::io_context io(1);
    hpops::ReplayGuard grafana_replays(config->slack.timestamp_tolerance, config->server.max_replay_signatures);
    bot::Services services{config, store,          metrics,           dispatcher, http,
                           route_replays, grafana_replays, io.get_executor(), nullptr};

    report("Metrics::count_request", n, [&](int) {
        metrics.count_request("/slack/commands", 200, std::chrono::microseconds(100));
    });
    report_async("run_with_budget (work that returns at once)", n, io, [&](int) -> boost::asio::awaitable<void> {
        auto work = []() -> boost::asio::awaitable<Reply> { co_return Reply{}; };
        keep(co_await bot::run_with_budget(work(), config->slack.inline_budget, [](Reply) {}));
    });
    bot::Caller caller;
    caller.platform = "slack";
    caller.user_id = "U0BENCH";
    caller.channel = "C0BENCH";
    report_async("Dispatcher::run_text(\"help\")", n, io, [&](int) -> boost::asio::awaitable<void> {
        keep(co_await dispatcher.run_text(caller, "help"));
    });
    int next = 3 * n, failures = 0;
    report_async("route_request (whole path, no socket)", n, io, [&](int) -> boost::asio::awaitable<void> {
        auto out = co_await bot::route_request(services, requests[next++]);
        if (out.status != 200) ++failures;
    });
    if (failures) {
        std::fprintf(stderr, "path_costs: %d requests were not answered 200\n", failures);
        return 1;
    }
    return 0;
}
