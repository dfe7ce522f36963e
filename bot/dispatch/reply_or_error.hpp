#pragma once
// The boundary of every detached reply task: an exception that escapes a
// coroutine spawned with asio::detached is dropped without a trace, so the
// user would get no answer and a job counter would never come down.
#include <boost/asio/awaitable.hpp>
#include <string>

#include "hpops/reply.hpp"

namespace hpops {
class Metrics;
}

namespace hpops::bot {

// `work`'s reply; if it throws, the exception is logged (and counted as
// "detached_exception" when `metrics` is given) and the reply says an
// internal error happened, with `request_id` to find the log line.
boost::asio::awaitable<Reply> reply_or_error(boost::asio::awaitable<Reply> work, Metrics* metrics,
                                             std::string request_id);

// Counts a background task in hpops_followups_in_flight for as long as it lives,
// however it ends.
class JobInFlight {
public:
    explicit JobInFlight(Metrics& metrics);
    ~JobInFlight();
    JobInFlight(const JobInFlight&) = delete;
    JobInFlight& operator=(const JobInFlight&) = delete;

private:
    Metrics& metrics_;
};

}  // namespace hpops::bot
