#include "integrations/aws/credential_chain.hpp"

#include <algorithm>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "hpops/errors.hpp"
#include "integrations/aws/web_identity_source.hpp"

namespace hpops::integrations::aws {
namespace asio = boost::asio;
using std::chrono::system_clock;

// A suspended caller: its coroutine's continuation and the executor it resumes on.
struct Waiter {
    asio::any_io_executor executor;
    asio::any_completion_handler<void()> resume;
};
using Waiters = std::vector<Waiter>;

struct CredentialChain::Refresh {
    bool done = false;
    std::exception_ptr error;  // what the waiters rethrow; null when credentials are cached
    Waiters waiters;
};

namespace {

std::vector<std::unique_ptr<CredentialSource>> standard_sources(HttpClient& http, const CredentialChainOptions& options) {
    const EnvLookup env = options.env ? options.env : process_environment();
    const std::string sts = options.sts_endpoint.empty() ? default_sts_endpoint(options.region) : options.sts_endpoint;
    std::vector<std::unique_ptr<CredentialSource>> sources;
    sources.push_back(std::make_unique<EnvironmentSource>(env));
    sources.push_back(std::make_unique<SharedFilesSource>(http, env, sts));
    sources.push_back(std::make_unique<WebIdentitySource>(http, env, sts));
    sources.push_back(std::make_unique<ContainerSource>(http, env));
    sources.push_back(std::make_unique<ImdsSource>(http, env));
    return sources;
}

bool unexpired(const AwsCredentials& credentials, system_clock::time_point now) {
    return !credentials.expiration || now < *credentials.expiration;
}

system_clock::time_point next_refresh(const AwsCredentials& credentials, system_clock::time_point now,
                                      std::chrono::seconds before) {
    if (!credentials.expiration) return system_clock::time_point::max();
    const auto at = *credentials.expiration - before;
    if (at > now) return at;
    // Handed out already inside the margin: ask again halfway to expiry rather
    // than on every call.
    const auto left = *credentials.expiration - now;
    return now + std::clamp<system_clock::duration>(left / 2, system_clock::duration::zero(), std::chrono::minutes(1));
}

// Marks `refresh` finished and detaches its waiters; the caller holds the mutex.
Waiters complete_locked(CredentialChain::Refresh& refresh, std::exception_ptr error) {
    refresh.done = true;
    refresh.error = std::move(error);
    return std::exchange(refresh.waiters, {});
}

// Each waiter resumes on its own executor, never inside the refresher's frame.
void wake(Waiters waiters) {
    for (auto& waiter : waiters)
        asio::post(waiter.executor, [resume = std::move(waiter.resume)]() mutable { std::move(resume)(); });
}

}  // namespace

std::string default_sts_endpoint(std::string_view region) {
    if (region.empty()) return "https://sts.amazonaws.com";
    return "https://sts." + std::string(region) + (region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com");
}

CredentialChain::CredentialChain(HttpClient& http, CredentialChainOptions options)
    : CredentialChain(standard_sources(http, options), options.clock, options.refresh_before) {}

CredentialChain::CredentialChain(std::vector<std::unique_ptr<CredentialSource>> sources, WallClock clock,
                                 std::chrono::seconds refresh_before)
    : sources_(std::move(sources)),
      clock_(clock ? std::move(clock) : WallClock([] { return system_clock::now(); })),
      refresh_before_(refresh_before),
      answered_(sources_.size()) {}

CredentialChain::~CredentialChain() = default;

std::string CredentialChain::source() const {
    std::lock_guard lock(mutex_);
    return answered_ < sources_.size() ? sources_[answered_]->describe() : std::string();
}

asio::awaitable<AwsCredentials> CredentialChain::get() {
    for (;;) {
        std::optional<AwsCredentials> ready;
        std::shared_ptr<Refresh> running;
        bool mine = false;
        {
            std::lock_guard lock(mutex_);
            const auto now = clock_();
            if (cached_ && now < refresh_at_) {
                ready = cached_;
            } else if (in_flight_) {
                // Someone is fetching already: credentials that still work serve meanwhile.
                if (cached_ && unexpired(*cached_, now)) ready = cached_;
                else running = in_flight_;
            } else {
                running = in_flight_ = std::make_shared<Refresh>();
                mine = true;
            }
        }
        if (ready) co_return std::move(*ready);
        // The frame's `running` keeps the Refresh alive across the awaits below.
        if (mine) co_return co_await refresh(*running);
        co_await wait_for(*running);
        if (running->error) std::rethrow_exception(running->error);
        // Fetched: the next pass finds the credentials cached.
    }
}

asio::awaitable<void> CredentialChain::wait_for(Refresh& refresh) {
    // Only trivially destructible captures: GCC 12 has mishandled temporaries
    // with destructors inside co_await expressions.
    co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
        [this, waiting = &refresh](auto handler) {
            Waiter waiter{asio::get_associated_executor(handler), std::move(handler)};
            std::unique_lock lock(mutex_);
            // Checked under the mutex, so a refresh finishing right now cannot be missed.
            if (!waiting->done) {
                waiting->waiters.push_back(std::move(waiter));
                return;
            }
            lock.unlock();
            Waiters ready;
            ready.push_back(std::move(waiter));
            wake(std::move(ready));
        },
        asio::use_awaitable);
}

asio::awaitable<AwsCredentials> CredentialChain::refresh(Refresh& mine) {
    // However this frame ends (even destroyed mid-fetch with its io_context),
    // the waiters must wake and the next caller must be free to fetch.
    struct Abandoned {
        CredentialChain* chain;
        Refresh* refresh;
        ~Abandoned() {
            if (!chain) return;
            Waiters waiters;
            {
                std::lock_guard lock(chain->mutex_);
                waiters = complete_locked(*refresh, std::make_exception_ptr(UpstreamError(
                                                        "aws", "RefreshAbandoned", "the credential refresh was cancelled")));
                chain->in_flight_.reset();
            }
            wake(std::move(waiters));
        }
    } abandoned{this, &mine};

    std::optional<AwsCredentials> fetched;
    std::exception_ptr error;
    try {
        fetched = co_await resolve();
    } catch (...) {
        error = std::current_exception();
    }
    std::optional<AwsCredentials> result;
    Waiters waiters;
    {
        std::lock_guard lock(mutex_);
        const auto now = clock_();
        if (fetched) {
            cached_ = fetched;
            refresh_at_ = next_refresh(*fetched, now, refresh_before_);
            result = std::move(fetched);
        } else if (cached_ && cached_->expiration && now < *cached_->expiration) {
            // A failed refresh does not discard credentials that still work; it is tried again shortly.
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                spdlog::warn("AWS credential refresh failed, keeping the current credentials until they expire: {}", e.what());
            }
            refresh_at_ = now + std::min<system_clock::duration>(std::chrono::seconds(30), *cached_->expiration - now);
            result = cached_;
            error = nullptr;
        }
        waiters = complete_locked(mine, error);
        in_flight_.reset();
        abandoned.chain = nullptr;
    }
    wake(std::move(waiters));
    if (error) std::rethrow_exception(error);
    co_return std::move(*result);
}

asio::awaitable<AwsCredentials> CredentialChain::resolve() {
    std::size_t first;
    {
        std::lock_guard lock(mutex_);
        first = answered_;
    }
    // The source that answered before is asked first, so the chain does not
    // drift to another identity; it falls back to the full order only if
    // that source is no longer set up.
    if (first < sources_.size())
        if (auto credentials = co_await sources_[first]->fetch()) co_return std::move(*credentials);
    for (std::size_t i = 0; i < sources_.size(); ++i) {
        if (i == first) continue;
        if (auto credentials = co_await sources_[i]->fetch()) {
            {
                std::lock_guard lock(mutex_);
                answered_ = i;
            }
            spdlog::info("AWS credentials from {}", sources_[i]->describe());
            co_return std::move(*credentials);
        }
    }
    std::string tried;
    for (const auto& source : sources_) tried += (tried.empty() ? "" : ", ") + source->describe();
    throw UpstreamError("aws", "NoCredentials", "no AWS credentials found: tried " + tried);
}

}  // namespace hpops::integrations::aws
