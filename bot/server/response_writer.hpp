#pragma once
#include <array>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/error_code.hpp>

#include "bot/server/http_message.hpp"
#include "bot/server/response_head.hpp"

namespace hpops::bot {

// Writes an answer: hpops's own head (response_head.hpp) and the body, in one
// gather write. `out` must outlive the write; the caller awaits it.
template <class Stream>
boost::asio::awaitable<void> write_response(Stream& stream, const HttpOut& out, unsigned version, bool keep_alive,
                                            boost::system::error_code& ec) {
    namespace asio = boost::asio;
    const std::string head = response_head(out, version, keep_alive);
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(out.body)};
    if (!status_has_body(out.status)) buffers[1] = asio::const_buffer();
    co_await asio::async_write(stream, buffers, asio::redirect_error(asio::use_awaitable, ec));
}

}  // namespace hpops::bot
