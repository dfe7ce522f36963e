#include "bot/periodic_task.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace hpops::bot {
namespace {

// However short a round asks, a broken clock or rule must not spin a core.
constexpr std::chrono::milliseconds shortest_wait{200};
// A round that threw what it did not catch tries again after this.
constexpr std::chrono::minutes after_failure{1};

}  // namespace

PeriodicTask::PeriodicTask(boost::asio::any_io_executor executor, std::string name, Round round,
                           std::function<void()> on_stop)
    : name_(std::move(name)), round_(std::move(round)), on_stop_(std::move(on_stop)),
      strand_(boost::asio::make_strand(executor)), timer_(strand_) {}

void PeriodicTask::start() { boost::asio::co_spawn(strand_, run(), boost::asio::detached); }

boost::asio::awaitable<void> PeriodicTask::run() {
    while (!stopping_) {
        std::chrono::milliseconds wait = after_failure;
        try {
            auto round = round_();
            wait = co_await std::move(round);
        } catch (const std::exception& e) {
            spdlog::error("{}: {}", name_, e.what());
        }
        if (stopping_) break;
        timer_.expires_after(std::max(wait, shortest_wait));
        boost::system::error_code ec;  // cancelled by stop()
        co_await timer_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    }
}

void PeriodicTask::stop() {
    boost::asio::post(strand_, [this] {
        stopping_ = true;
        timer_.cancel();
        if (on_stop_) on_stop_();
    });
}

}  // namespace hpops::bot
