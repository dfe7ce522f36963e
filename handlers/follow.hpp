#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>

namespace hpops::handlers {

// Calls `check` every `interval` until it answers true or `timeout` passes.
// Returns whether it finished. Used to follow AWS changes to their end.
boost::asio::awaitable<bool> poll_until(std::chrono::milliseconds interval, std::chrono::milliseconds timeout,
                                        std::function<boost::asio::awaitable<bool>()> check);

}  // namespace hpops::handlers
