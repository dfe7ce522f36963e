#pragma once
#include <string>

#include "bot/server/http_message.hpp"

namespace hpops::bot {

// The status line and headers of an HTTP/1.x answer to `out`, ending in the
// blank line; the body follows as it is. hpops writes its answers itself
// rather than through Beast's serializer, whose buffer views cost about
// 2 us of every /hp help (bench/README.md). Header names and values from
// routes are trusted but never allowed to end the header early: CR and LF in
// them become spaces.
std::string response_head(const HttpOut& out, unsigned version, bool keep_alive);

// 1xx, 204 and 304 answers carry no body and no Content-Length (RFC 9110).
inline bool status_has_body(int status) { return status >= 200 && status != 204 && status != 304; }

}  // namespace hpops::bot
