#include "bot/periodic_task.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>

namespace hpops::bot {
namespace {

using namespace std::chrono_literals;

TEST(PeriodicTask, RoundsRepeatAfterTheWaitEachChoosesUntilStopped) {
    boost::asio::io_context io;
    int rounds = 0;
    bool stopped = false;
    PeriodicTask task(io.get_executor(), "test", [&]() -> boost::asio::awaitable<std::chrono::milliseconds> {
        ++rounds;
        co_return 1ms;  // raised to the 200 ms floor
    }, [&] { stopped = true; });
    task.start();
    io.run_for(500ms);
    EXPECT_GE(rounds, 2);
    EXPECT_LE(rounds, 3) << "the floor keeps a round asking for 1 ms from spinning";
    task.stop();
    io.run_for(300ms);
    EXPECT_TRUE(stopped);
    const int at_stop = rounds;
    io.run_for(300ms);
    EXPECT_EQ(rounds, at_stop) << "no round after stop()";
}

TEST(PeriodicTask, ARoundThatThrowsDoesNotEndTheTask) {
    boost::asio::io_context io;
    int rounds = 0;
    PeriodicTask task(io.get_executor(), "test", [&]() -> boost::asio::awaitable<std::chrono::milliseconds> {
        ++rounds;
        throw std::runtime_error("store down");
        co_return 1ms;
    });
    task.start();
    io.run_for(100ms);
    EXPECT_EQ(rounds, 1);
    EXPECT_FALSE(io.stopped()) << "the task waits to try again, so the io_context still has work";
    task.stop();
    io.run_for(100ms);
    EXPECT_TRUE(io.stopped()) << "stop() ended the wait and the task";
}

}  // namespace
}  // namespace hpops::bot
