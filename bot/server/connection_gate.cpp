#include "bot/server/connection_gate.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <sys/resource.h>

namespace hpops::bot {
namespace asio = boost::asio;

std::size_t connection_cap(std::size_t configured, std::size_t descriptor_limit) {
    if (configured > 0) return configured;
    constexpr std::size_t default_cap = 1024;
    // Descriptors the rest of hpops needs: stdio, the listener, the event
    // loop's own, SQLite's files and outbound HTTP connections. At most half
    // the limit, so that a tiny limit still serves a few connections.
    const std::size_t reserve = std::min<std::size_t>(64, descriptor_limit / 2);
    return std::clamp<std::size_t>(descriptor_limit - reserve, 1, default_cap);
}

std::size_t descriptor_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return SIZE_MAX;
    return static_cast<std::size_t>(limit.rlim_cur);
}

ConnectionGate::ConnectionGate(asio::any_io_executor strand, std::size_t cap)
    : strand_(std::move(strand)), room_(strand_), cap_(std::max<std::size_t>(cap, 1)) {}

asio::awaitable<void> ConnectionGate::wait_for_room() {
    // The check and the start of the wait happen in one step on the strand,
    // and leave() cancels on the strand: a connection that closes in between
    // is either counted by the check or wakes the wait.
    while (!closed_ && open_.load() >= cap_) {
        room_.expires_at(asio::steady_timer::time_point::max());
        co_await room_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

ConnectionGate::Ticket ConnectionGate::admit() {
    open_.fetch_add(1);
    return Ticket(shared_from_this());
}

void ConnectionGate::close() {
    closed_ = true;
    room_.cancel();
}

void ConnectionGate::leave() {
    if (open_.fetch_sub(1) >= cap_) asio::post(strand_, [gate = shared_from_this()] { gate->room_.cancel(); });
}

}  // namespace hpops::bot
