// The chain's cache: refresh before expiry, one refresh at a time, and
// working credentials kept when a refresh fails.
#include "integrations/aws/credential_chain.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <thread>

#include "tests/integrations/aws/credential_test_support.hpp"

namespace hpops::integrations::aws {
namespace {
using namespace hpops::integrations::aws::testing;

// ---- caching, refresh and concurrency -------------------------------------------

class ScriptedSource final : public CredentialSource {
public:
    explicit ScriptedSource(std::string name) : name_(std::move(name)) {}
    std::string describe() const override { return name_; }
    asio::awaitable<std::optional<AwsCredentials>> fetch() override {
        const int call = ++calls;
        asio::steady_timer pause(co_await asio::this_coro::executor, delay);
        co_await pause.async_wait(asio::use_awaitable);
        co_return answer(call);
    }
    std::function<std::optional<AwsCredentials>(int call)> answer;
    std::atomic<int> calls{0};
    std::chrono::milliseconds delay{0};

private:
    std::string name_;
};

AwsCredentials temporary(const std::string& key, system_clock::time_point expiration) {
    return AwsCredentials{key, "secret", "token", expiration};
}

TEST(CredentialChainCache, ConcurrentCallersShareOneRefreshAndFailuresReachTheWaiters) {
    const auto t0 = system_clock::now();
    auto owned = std::make_unique<ScriptedSource>("scripted");
    ScriptedSource& source = *owned;
    source.delay = 50ms;
    source.answer = [t0](int call) -> std::optional<AwsCredentials> {
        if (call == 3) throw UpstreamError("sts", "IDPCommunicationError", "try later");
        return temporary("KEY" + std::to_string(call), t0 + 1h);
    };
    std::vector<std::unique_ptr<CredentialSource>> sources;
    sources.push_back(std::move(owned));
    TestClock clock;
    clock.set(t0);
    CredentialChain chain(std::move(sources), clock.function());

    auto burst = [&](int callers) {
        asio::io_context io;
        std::vector<std::future<AwsCredentials>> results;
        for (int i = 0; i < callers; ++i) results.push_back(asio::co_spawn(io, chain.get(), asio::use_future));
        std::vector<std::thread> threads;
        for (int i = 0; i < 4; ++i) threads.emplace_back([&] { io.run(); });
        for (auto& t : threads) t.join();
        return results;
    };
    for (auto& result : burst(16)) EXPECT_EQ(result.get().access_key_id, "KEY1");
    EXPECT_EQ(source.calls, 1);

    // Inside the refresh window: one fetch, and nobody waits on it while the old key still works.
    clock.set(t0 + 56min);
    for (auto& result : burst(16)) EXPECT_NE(result.get().access_key_id, "");
    EXPECT_EQ(source.calls, 2);
    EXPECT_EQ(run_sync(chain.get()).access_key_id, "KEY2");

    // Expired, and the source fails: every waiter sees that one failure.
    clock.set(t0 + 2h);
    for (auto& result : burst(8)) EXPECT_THROW(result.get(), UpstreamError);
    EXPECT_EQ(source.calls, 3);
}

TEST(CredentialChainCache, KeepsWorkingCredentialsWhenARefreshFailsAndNeverRefetchesLongTermKeys) {
    const auto t0 = system_clock::now();
    auto flaky = std::make_unique<ScriptedSource>("flaky");
    flaky->answer = [t0](int call) -> std::optional<AwsCredentials> {
        if (call > 1) throw UpstreamError("sts", "Throttling", "slow down");
        return temporary("KEY1", t0 + 1h);
    };
    std::vector<std::unique_ptr<CredentialSource>> sources;
    sources.push_back(std::move(flaky));
    TestClock clock;
    clock.set(t0);
    CredentialChain chain(std::move(sources), clock.function());
    run_sync(chain.get());
    clock.set(t0 + 58min);
    EXPECT_EQ(run_sync(chain.get()).access_key_id, "KEY1");
    clock.set(t0 + 1h + 1s);
    EXPECT_EQ(upstream_error_of([&] { run_sync(chain.get()); }).code(), "Throttling");

    auto fixed = std::make_unique<ScriptedSource>("fixed");
    fixed->answer = [](int) { return std::optional(AwsCredentials{"AKIALONG", "secret", "", std::nullopt}); };
    ScriptedSource& counted = *fixed;
    std::vector<std::unique_ptr<CredentialSource>> long_term;
    long_term.push_back(std::move(fixed));
    CredentialChain keys(std::move(long_term), clock.function());
    run_sync(keys.get());
    clock.set(t0 + 24h * 365);
    EXPECT_EQ(run_sync(keys.get()).access_key_id, "AKIALONG");
    EXPECT_EQ(counted.calls, 1);
}

TEST(CredentialChainCache, AsksTheSourceThatAnsweredFirst) {
    const auto t0 = system_clock::now();
    auto first = std::make_unique<ScriptedSource>("first");
    auto second = std::make_unique<ScriptedSource>("second");
    ScriptedSource &a = *first, &b = *second;
    // `first` has nothing at start-up but would answer later; the chain must stay with `second`.
    a.answer = [t0](int call) { return call == 1 ? std::nullopt : std::optional(temporary("A", t0 + 1h)); };
    b.answer = [t0](int call) { return std::optional(temporary("B" + std::to_string(call), t0 + 1h)); };
    std::vector<std::unique_ptr<CredentialSource>> sources;
    sources.push_back(std::move(first));
    sources.push_back(std::move(second));
    TestClock clock;
    clock.set(t0);
    CredentialChain chain(std::move(sources), clock.function());
    EXPECT_EQ(run_sync(chain.get()).access_key_id, "B1");
    clock.set(t0 + 57min);
    EXPECT_EQ(run_sync(chain.get()).access_key_id, "B2");
    EXPECT_EQ(a.calls, 1);
    EXPECT_EQ(chain.source(), "second");
}


}  // namespace
}  // namespace hpops::integrations::aws
