#include "handlers/kube_fields.hpp"

namespace hpops::handlers {
namespace {

const nlohmann::json& member(const nlohmann::json& object, std::string_view key,
                             bool (nlohmann::json::*is)() const noexcept, const nlohmann::json& empty) {
    if (!object.is_object()) return empty;
    const auto it = object.find(key);
    return it != object.end() && ((*it).*is)() ? *it : empty;
}

}  // namespace

const nlohmann::json& field(const nlohmann::json& object, std::string_view key) {
    static const nlohmann::json empty = nlohmann::json::object();
    return member(object, key, &nlohmann::json::is_object, empty);
}

const nlohmann::json& list_field(const nlohmann::json& object, std::string_view key) {
    static const nlohmann::json empty = nlohmann::json::array();
    return member(object, key, &nlohmann::json::is_array, empty);
}

std::string name_of(const nlohmann::json& object) { return field(object, "metadata").value("name", ""); }
std::string namespace_of(const nlohmann::json& object) { return field(object, "metadata").value("namespace", ""); }

const nlohmann::json& condition_of(const nlohmann::json& object, std::string_view type) {
    for (const auto& c : list_field(field(object, "status"), "conditions"))
        if (c.is_object() && c.value("type", "") == type) return c;
    return field(object, "");  // an empty object
}

bool condition_true(const nlohmann::json& object, std::string_view type) {
    return condition_of(object, type).value("status", "") == "True";
}

}  // namespace hpops::handlers
