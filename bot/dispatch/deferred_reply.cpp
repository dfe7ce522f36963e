#include "bot/dispatch/deferred_reply.hpp"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "bot/dispatch/reply_or_error.hpp"

namespace hpops::bot {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

namespace {

enum Owner : int { undecided = 0, inline_reply = 1, late_reply = 2 };

struct Race {
    explicit Race(asio::any_io_executor executor) : channel(executor, 1) {}
    std::atomic<int> owner{undecided};
    asio::experimental::concurrent_channel<void(boost::system::error_code, Reply)> channel;
};

}  // namespace

asio::awaitable<std::optional<Reply>> run_with_budget(asio::awaitable<Reply> work, std::chrono::milliseconds budget,
                                                     std::function<void(Reply)> deliver_late) {
    auto executor = co_await asio::this_coro::executor;
    auto race = std::make_shared<Race>(executor);
    // A zero budget means "always acknowledge first", even for work that never suspends.
    if (budget.count() <= 0) race->owner = late_reply;
    asio::co_spawn(
        executor,
        [race, deliver_late = std::move(deliver_late), work = std::move(work)]() mutable -> asio::awaitable<void> {
            Reply reply = co_await reply_or_error(std::move(work), nullptr, {});
            int expected = undecided;
            if (race->owner.compare_exchange_strong(expected, inline_reply))
                race->channel.try_send(boost::system::error_code{}, std::move(reply));
            else
                deliver_late(std::move(reply));
        },
        asio::detached);

    if (budget.count() <= 0) co_return std::nullopt;
    asio::steady_timer timer(executor, budget);
    auto first = co_await (race->channel.async_receive(asio::as_tuple(asio::use_awaitable)) ||
                           timer.async_wait(asio::as_tuple(asio::use_awaitable)));
    if (first.index() == 0) co_return std::move(std::get<1>(std::get<0>(first)));
    int expected = undecided;
    if (race->owner.compare_exchange_strong(expected, late_reply)) co_return std::nullopt;
    // The work finished as the budget ran out: its reply is in (or entering) the channel.
    auto [ec, reply] = co_await race->channel.async_receive(asio::as_tuple(asio::use_awaitable));
    co_return std::move(reply);
}

}  // namespace hpops::bot
