#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace hpops::testing {

// Runs one coroutine to completion on a private io_context and returns its value.
template <class T>
T run_sync(boost::asio::awaitable<T> work) {
    boost::asio::io_context io;
    auto future = boost::asio::co_spawn(io, std::move(work), boost::asio::use_future);
    io.run();
    return future.get();
}

}  // namespace hpops::testing
