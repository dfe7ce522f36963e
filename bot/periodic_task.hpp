#pragma once
// The loop under hpops's background work that is not a job: the digest
// scheduler, the capacity sampler, the replica watch. One round, then a wait
// the round chooses, on a strand of its own, until stop().
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <functional>
#include <string>

namespace hpops::bot {

class PeriodicTask {
public:
    // A round returns how long to wait before the next one. It runs on the
    // task's strand, so state only rounds and `on_stop` touch needs no lock.
    using Round = std::function<boost::asio::awaitable<std::chrono::milliseconds>()>;

    // `on_stop` (resign a lease, take this replica off a list) runs on the
    // strand when stop() is called, between rounds or while one waits.
    PeriodicTask(boost::asio::any_io_executor executor, std::string name, Round round,
                 std::function<void()> on_stop = {});

    void start();
    void stop();

private:
    boost::asio::awaitable<void> run();

    std::string name_;  // for the log line of a round that threw
    Round round_;
    std::function<void()> on_stop_;
    boost::asio::strand<boost::asio::any_io_executor> strand_;
    boost::asio::steady_timer timer_;  // on the strand
    bool stopping_ = false;            // on the strand
};

}  // namespace hpops::bot
