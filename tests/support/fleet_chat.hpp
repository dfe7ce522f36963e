#pragma once
// The real dispatcher and handlers over in-memory AWS and Kubernetes, driven
// as a chat user drives them: a command, then the Confirm button of its
// answer. Without a job runner, start_job steps a job inline, so a confirmed
// change answers with the job's last message.
#include <gtest/gtest.h>

#include "bot/dispatch/dispatcher.hpp"
#include "bot/terminal/plain_text_renderer.hpp"
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

}  // namespace hpops::testing
