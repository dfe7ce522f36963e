#pragma once
// The real dispatcher and handlers over in-memory AWS and Kubernetes, driven
// as a chat user drives them: a command, then the Confirm button of its
// answer. Without a job runner, start_job steps a job inline, so a confirmed
// change answers with the job's last message.
#include <gtest/gtest.h>

#include "tests/support/chat_harness.hpp"
#include "tests/support/fake_aws.hpp"
#include "tests/support/fake_kube.hpp"

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

// A fixture with the fakes, an in-memory store and the real handlers; the
// test arranges the fakes, then start()s the dispatcher with its config.
class FleetChatTest : public ::testing::Test {
protected:
    void start(ConfigPtr cfg, bool with_kube = true) {
        config = std::move(cfg);
        chat = std::make_unique<ChatHarness>(config, Clients{&eks, &hyperpod, nullptr, with_kube ? &kube : nullptr});
    }
    std::string run(const std::string& user, const std::string& text) { return chat->run(user, text); }
    std::string confirm(const std::string& user) { return chat->confirm(user); }

    FakeNodeGroups eks;
    FakeHyperPod hyperpod;
    FakeKube kube;
    ConfigPtr config;
    std::unique_ptr<ChatHarness> chat;
};

}  // namespace hpops::testing
