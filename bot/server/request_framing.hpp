#pragma once
#include <span>
#include <string_view>

namespace hpops::bot {

// Why a request's body framing is ambiguous, or empty when it is sound.
// hpops reads a body framed by Content-Length or by `Transfer-Encoding:
// chunked` alone (RFC 9112 §6.1, §6.3). Anything else ("chunked, identity",
// "gzip", both headers, chunked on HTTP/1.0) is where a proxy in front and
// hpops could disagree on where the body ends, and the rest of it would be
// read as a second, smuggled request. `transfer_encodings` holds the value of
// every Transfer-Encoding field, in order.
std::string_view framing_problem(unsigned version, std::span<const std::string_view> transfer_encodings,
                                 bool has_content_length);

}  // namespace hpops::bot
