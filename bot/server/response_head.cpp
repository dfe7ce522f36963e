#include "bot/server/response_head.hpp"

#include <ostream>  // Beast's status header needs it and does not include it
#include <boost/beast/http/status.hpp>
#include <charconv>

namespace hpops::bot {
namespace {

void append_field(std::string& head, std::string_view name, std::string_view value) {
    const std::size_t from = head.size();
    head.append(name).append(": ").append(value);
    for (std::size_t i = from; i < head.size(); ++i)
        if (head[i] == '\r' || head[i] == '\n') head[i] = ' ';
    head.append("\r\n");
}

}  // namespace

std::string response_head(const HttpOut& out, unsigned version, bool keep_alive) {
    std::string head;
    head.reserve(160);
    head.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
    char number[24];
    const auto status = static_cast<unsigned>(out.status);
    head.append(number, std::to_chars(number, number + sizeof number, status).ptr);
    head.push_back(' ');
    head.append(boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status)));
    head.append("\r\nServer: hpops\r\n");
    append_field(head, "Content-Type", out.content_type);
    for (const auto& [name, value] : out.headers) append_field(head, name, value);
    // HTTP/1.1 keeps the connection open unless told; HTTP/1.0 closes unless told.
    if (version == 10 && keep_alive) head.append("Connection: keep-alive\r\n");
    if (version != 10 && !keep_alive) head.append("Connection: close\r\n");
    if (status_has_body(out.status)) {
        head.append("Content-Length: ");
        head.append(number, std::to_chars(number, number + sizeof number, out.body.size()).ptr);
        head.append("\r\n");
    }
    head.append("\r\n");
    return head;
}

}  // namespace hpops::bot
