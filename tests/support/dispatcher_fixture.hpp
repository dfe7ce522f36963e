#pragma once
// A dispatcher over an in-memory store with stand-in handlers: the
// dispatcher's checks are under test, not AWS.
#include <gtest/gtest.h>

#include "bot/dispatch/dispatcher.hpp"
#include "common/metrics.hpp"
#include "hpops/errors.hpp"
#include "store/sqlite_store.hpp"
#include "tests/support/run_sync.hpp"

namespace hpops::testing {

using store::SqliteStore;

using namespace hpops;
using namespace hpops::bot;

class CountingHandler final : public Handler {
public:
    CountingHandler(std::string command, int& calls) : command_(std::move(command)), calls_(calls) {}
    std::string_view command() const override { return command_; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext&) override {
        ++calls_;
        co_return message_reply("done: " + intent.to_text());
    }

private:
    std::string command_;
    int& calls_;
};

// Scaling to zero needs a confirmation the handler discovers itself.
class ScaleHandler final : public Handler {
public:
    explicit ScaleHandler(int& calls) : calls_(calls) {}
    std::string_view command() const override { return "scale nodegroup"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext&) override {
        if (intent.options.count("desired") && intent.options.at("desired") == "0" && !intent.confirmed)
            throw ConfirmationNeeded(intent.args.at(0) + ": desired 4 → 0");
        if (intent.args.at(0) == "broken") throw UpstreamError("eks", "AccessDeniedException", "not authorized", "req-123");
        if (intent.args.at(0) == "crash") throw std::runtime_error("boom");
        ++calls_;
        co_return message_reply("scaled");
    }

private:
    int& calls_;
};

struct DispatcherTest : ::testing::Test {
    DispatcherTest() {
        auto cfg = std::make_shared<Config>();
        cfg->slack.signing_secret = "secret";
        cfg->access.default_role = Role::viewer;
        cfg->access.users["UADMIN"] = Role::admin;
        cfg->access.users["UOPS"] = Role::operator_;
        config = cfg;
        handlers.add(std::make_unique<CountingHandler>("nodegroup delete", delete_calls));
        handlers.add(std::make_unique<ScaleHandler>(scale_calls));
        dispatcher = std::make_unique<Dispatcher>(config, store, bot, handlers, metrics);
    }
    Reply run(const std::string& user, const std::string& text, const std::string& channel = "C1") {
        return run_sync(dispatcher->run_text(Caller{"slack", user, user, channel, "req", std::nullopt}, text));
    }
    Reply confirm(const std::string& user, const std::string& token, const std::string& channel = "C1") {
        return run_sync(dispatcher->confirm(Caller{"slack", user, user, channel, "req2", std::nullopt}, token));
    }
    Reply cancel(const std::string& user, const std::string& token, const std::string& channel = "C1") {
        return dispatcher->cancel(Caller{"slack", user, user, channel, "req3", std::nullopt}, token);
    }
    static std::string all_text(const Reply& reply) {
        std::string out = reply.summary;
        for (const auto& block : reply.blocks) {
            if (auto* t = std::get_if<Text>(&block)) out += "\n" + t->markdown;
            if (auto* c = std::get_if<hpops::Context>(&block)) out += "\n" + c->text;
        }
        return out;
    }
    static std::string token_of(const Reply& reply, const std::string& action = "hpops.confirm") {
        for (const auto& block : reply.blocks)
            if (auto* a = std::get_if<Actions>(&block))
                for (const auto& b : a->buttons)
                    if (b.action_id == action) return b.value;
        return {};
    }
    std::string last_outcome() { return store.recent_audit(1).at(0).outcome; }

    ConfigPtr config;
    SqliteStore store{":memory:"};
    BotInfo bot{"test", std::chrono::system_clock::now()};
    HandlerRegistry handlers;
    Metrics metrics;
    std::unique_ptr<Dispatcher> dispatcher;
    int delete_calls = 0, scale_calls = 0;
};

}  // namespace hpops::testing
