#pragma once
// An io_context running on a thread of its own while a test runs: the test
// drives it with co_spawn(..., use_future).get(), and stop() ends it.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>
#include <thread>

namespace hpops::testing {

class IoThread {
public:
    IoThread() : thread_([this] { io.run(); }) {}
    ~IoThread() { stop(); }
    IoThread(const IoThread&) = delete;
    IoThread& operator=(const IoThread&) = delete;

    void stop() {
        if (!thread_.joinable()) return;
        work_.reset();
        io.stop();
        thread_.join();
    }

    boost::asio::io_context io;

private:
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{io.get_executor()};
    std::thread thread_;
};

}  // namespace hpops::testing
