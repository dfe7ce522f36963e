// Bytes as they arrive on a connection, parsed in place the way the server
// does (bot/server/buffered_parse.hpp), with its header and body limits.
#include <boost/beast/http.hpp>

#include "bot/server/buffered_parse.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;  // memcpy from libFuzzer's null pointer is undefined
    boost::beast::flat_buffer buffer;
    const auto bytes = buffer.prepare(size);
    std::memcpy(bytes.data(), data, size);
    buffer.commit(size);
    // Keep-alive: parse request after request until the bytes run out.
    for (int requests = 0; requests < 16 && buffer.size() > 0; ++requests) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(16 * 1024);
        parser.body_limit(64 * 1024);
        boost::beast::error_code ec;
        hpops::bot::parse_buffered(parser, buffer, ec, [&] { return parser.is_done(); });
        if (ec || !parser.is_done()) break;
        (void)parser.get().target();
    }
    return 0;
}
