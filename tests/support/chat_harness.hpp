#pragma once
// The dispatcher (permissions, confirmations, audit) and the real handlers
// in-process over an in-memory store, driven as a chat user drives them:
// command text in, the terminal's plain rendering out (code marks dropped).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "bot/dispatch/dispatcher.hpp"
#include "bot/dispatch/handler_registry.hpp"
#include "bot/terminal/plain_text_renderer.hpp"
#include "common/metrics.hpp"
#include "store/sqlite_store.hpp"
#include "tests/support/run_sync.hpp"

namespace hpops::testing {

class ChatHarness {
public:
    ChatHarness(ConfigPtr config, Clients clients)
        : dispatcher_(std::make_unique<bot::Dispatcher>(std::move(config), store, info, handlers, metrics, clients)) {}

    std::string run(const std::string& user, const std::string& text) {
        last = run_sync(dispatcher_->run_text(bot::Caller{"slack", user, user, "C1", "req", std::nullopt}, text));
        return bot::render_plain_text(last);
    }
    // Presses Confirm on the last reply, as `user`.
    std::string confirm(const std::string& user) {
        std::string token;
        for (const auto& block : last.blocks)
            if (const auto* actions = std::get_if<Actions>(&block))
                for (const auto& b : actions->buttons)
                    if (b.action_id == "hpops.confirm") token = b.value;
        EXPECT_FALSE(token.empty()) << "no Confirm button";
        last = run_sync(dispatcher_->confirm(bot::Caller{"slack", user, user, "C1", "req2", std::nullopt}, token));
        return bot::render_plain_text(last);
    }

    store::SqliteStore store{":memory:"};
    BotInfo info{"test", std::chrono::system_clock::now()};
    bot::HandlerRegistry handlers = bot::default_handlers();
    Metrics metrics;
    Reply last;

private:
    std::unique_ptr<bot::Dispatcher> dispatcher_;
};

}  // namespace hpops::testing
