#include "bot/dispatch/reply_or_error.hpp"

#include <exception>

#include "bot/dispatch/error_reply.hpp"
#include "common/log_fields.hpp"
#include "common/metrics.hpp"

namespace hpops::bot {

boost::asio::awaitable<Reply> reply_or_error(boost::asio::awaitable<Reply> work, Metrics* metrics,
                                             std::string request_id) {
    std::string what;
    try {
        co_return co_await std::move(work);
    } catch (const std::exception& error) {
        what = error.what();
    } catch (...) {
        what = "unknown exception";
    }
    // co_await is not allowed in a handler, and none is needed past this point.
    if (metrics) metrics->count_error("detached_exception");
    log::error({.request_id = request_id}, "request {}: failed in the background: {}", request_id, what);
    co_return reply_for_internal_error(request_id);
}

JobInFlight::JobInFlight(Metrics& metrics) : metrics_(metrics) { metrics_.job_started(); }
JobInFlight::~JobInFlight() { metrics_.job_finished(); }

}  // namespace hpops::bot
