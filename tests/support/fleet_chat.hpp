#pragma once
// The real dispatcher and handlers over in-memory AWS and Kubernetes, driven
// as a chat user drives them: a command, then the Confirm button of its
// answer. Without a job runner, start_job steps a job inline, so a confirmed
// change answers with the job's last message.
#include <gtest/gtest.h>

#include "bot/dispatch/dispatcher.hpp"
#include "bot/dispatch/handler_registry.hpp"
#include "bot/terminal/plain_text_renderer.hpp"
#include "common/metrics.hpp"
#include "store/sqlite_store.hpp"
#include "tests/support/fake_aws.hpp"
#include "tests/support/fake_kube.hpp"
#include "tests/support/run_sync.hpp"

namespace hpops::testing {

// Viewers by default, UOPS an operator, AWS in us-west-2 polling every millisecond.
inline std::shared_ptr<Config> fleet_test_config() {
    auto cfg = std::make_shared<Config>();
    cfg->access.default_role = Role::viewer;
    cfg->access.users["UOPS"] = Role::operator_;
    cfg->aws.region = "us-west-2";
    cfg->aws.poll_interval = std::chrono::milliseconds(1);
    return cfg;
}

class ChatDriver {
public:
    // The answer to `text` from `user`, as the terminal renders it (code marks dropped).
    std::string run(bot::Dispatcher& dispatcher, const std::string& user, const std::string& text) {
        last = run_sync(dispatcher.run_text(bot::Caller{"slack", user, user, "C1", "req", std::nullopt}, text));
        return bot::render_plain_text(last);
    }
    // Presses Confirm on the last answer as `user`.
    std::string confirm(bot::Dispatcher& dispatcher, const std::string& user) {
        std::string token;
        for (const auto& block : last.blocks)
            if (const auto* actions = std::get_if<Actions>(&block))
                for (const auto& b : actions->buttons)
                    if (b.action_id == "hpops.confirm") token = b.value;
        EXPECT_FALSE(token.empty()) << "no Confirm button\n" << bot::render_plain_text(last);
        last = run_sync(dispatcher.confirm(bot::Caller{"slack", user, user, "C1", "req2", std::nullopt}, token));
        return bot::render_plain_text(last);
    }
    Reply last;
};

// A fixture with the fakes, an in-memory store and the real handlers; the
// test arranges the fakes, then start()s the dispatcher with its config.
class FleetChatTest : public ::testing::Test {
protected:
    void start(ConfigPtr cfg, bool with_kube = true) {
        config = std::move(cfg);
        dispatcher = std::make_unique<bot::Dispatcher>(config, store, bot_info, handlers, metrics,
                                                       Clients{&eks, &hyperpod, nullptr, with_kube ? &kube : nullptr});
    }
    std::string run(const std::string& user, const std::string& text) { return chat.run(*dispatcher, user, text); }
    std::string confirm(const std::string& user) { return chat.confirm(*dispatcher, user); }

    FakeNodeGroups eks;
    FakeHyperPod hyperpod;
    FakeKube kube;
    ConfigPtr config;
    store::SqliteStore store{":memory:"};
    BotInfo bot_info{"test", std::chrono::system_clock::now()};
    bot::HandlerRegistry handlers = bot::default_handlers();
    Metrics metrics;
    std::unique_ptr<bot::Dispatcher> dispatcher;
    ChatDriver chat;
};

}  // namespace hpops::testing
