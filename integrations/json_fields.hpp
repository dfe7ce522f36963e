#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace hpops::integrations {

// A string member of a backend's JSON answer, or empty when it is missing,
// null or not a string: absent fields are normal in AWS and MLflow answers.
inline std::string string_field(const nlohmann::json& object, std::string_view key) {
    if (!object.is_object()) return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

}  // namespace hpops::integrations
