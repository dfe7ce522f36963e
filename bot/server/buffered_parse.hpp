#pragma once
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>

namespace hpops::bot {

// Parses what is already buffered, in place. Most requests arrive whole in
// the first read, and an async read of bytes already in hand still costs a
// trip through the executor. Stops once `done()` holds, when the buffer runs
// dry, or on an error; "need more" is not an error here: the caller reads on.
template <class Parser, class Done>
void parse_buffered(Parser& parser, boost::beast::flat_buffer& buffer, boost::beast::error_code& ec, Done done) {
    while (buffer.size() > 0 && !done()) {
        const std::size_t used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec == boost::beast::http::error::need_more) {
            ec = {};
            return;
        }
        if (ec || used == 0) return;
    }
}

}  // namespace hpops::bot
