#pragma once
#include <string_view>

namespace hpops {
inline constexpr std::string_view version = "0.1.0";
}
