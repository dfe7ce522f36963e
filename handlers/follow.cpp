#include "handlers/follow.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace hpops::handlers {

boost::asio::awaitable<bool> poll_until(std::chrono::milliseconds interval, std::chrono::milliseconds timeout,
                                        std::function<boost::asio::awaitable<bool>()> check) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    for (;;) {
        if (co_await check()) co_return true;
        if (std::chrono::steady_clock::now() + interval > deadline) co_return false;
        timer.expires_after(interval);
        co_await timer.async_wait(boost::asio::use_awaitable);
    }
}

}  // namespace hpops::handlers
