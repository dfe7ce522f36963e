#pragma once
// libFuzzer's entry point takes bytes; every target here reads them as text.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hpops::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace hpops::fuzz
