#include "bot/server/request_framing.hpp"

namespace hpops::bot {
namespace {

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// Transfer-coding names are case-insensitive (RFC 9112 §7).
bool is_chunked(std::string_view coding) {
    constexpr std::string_view chunked = "chunked";
    if (coding.size() != chunked.size()) return false;
    for (std::size_t i = 0; i < chunked.size(); ++i)
        if ((coding[i] | 0x20) != chunked[i]) return false;
    return true;
}

}  // namespace

std::string_view framing_problem(unsigned version, std::span<const std::string_view> transfer_encodings,
                                 bool has_content_length) {
    if (transfer_encodings.empty()) return {};
    if (version < 11) return "Transfer-Encoding is not allowed in HTTP/1.0";
    if (has_content_length) return "Transfer-Encoding and Content-Length together";
    if (transfer_encodings.size() != 1 || !is_chunked(trim(transfer_encodings.front())))
        return "Transfer-Encoding other than chunked";
    return {};
}

}  // namespace hpops::bot
