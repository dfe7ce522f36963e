#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <optional>

#include "hpops/reply.hpp"

namespace hpops::bot {

// Runs `work`. If it finishes within `budget`, returns its reply to be sent
// inline. Otherwise returns nullopt at once (the caller acknowledges) and
// hands the reply to `deliver_late` when it is ready. Exactly one of the two
// receives the reply, however the race between them falls. A zero budget
// always defers. If `work` throws, the reply says an internal error happened.
boost::asio::awaitable<std::optional<Reply>> run_with_budget(boost::asio::awaitable<Reply> work,
                                                            std::chrono::milliseconds budget,
                                                            std::function<void(Reply)> deliver_late);

}  // namespace hpops::bot
