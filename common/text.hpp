#pragma once
// Small string helpers that several layers had each written for themselves.
#include <cstdint>
#include <string>
#include <string_view>

namespace hpops {

// Without leading and trailing whitespace (space, tab, CR, LF, FF, VT).
std::string_view trim(std::string_view text);

// ASCII letters lower-cased; other bytes (UTF-8 included) kept as they are.
std::string lower_ascii(std::string_view text);

// Every `from` replaced by `to`, left to right, never rescanning what was put in.
std::string replace_all(std::string text, std::string_view from, std::string_view to);

// A code point as UTF-8 (1 to 4 bytes), for decoders of \u escapes and entities.
void append_utf8(std::string& out, std::uint32_t code_point);

// "1 run", "3 runs".
std::string plural(std::size_t n, std::string_view word);

// "$12.34".
std::string dollars(double amount);

}  // namespace hpops
