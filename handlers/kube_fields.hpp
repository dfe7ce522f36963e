#pragma once
// Reading Kubernetes objects as JSON, where any field may be missing or null:
// what the API server and each operator leave out is read as empty.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace hpops::handlers {

// object[key] when it is a JSON object (or array, for list_field), else an
// empty one: an operator's fields may be left out, or null.
const nlohmann::json& field(const nlohmann::json& object, std::string_view key);
const nlohmann::json& list_field(const nlohmann::json& object, std::string_view key);
// metadata.name and metadata.namespace, or "".
std::string name_of(const nlohmann::json& object);
std::string namespace_of(const nlohmann::json& object);
// The status condition of `type`, or an empty object.
const nlohmann::json& condition_of(const nlohmann::json& object, std::string_view type);
// Whether that condition's status is "True" (a pod's or node claim's "Ready").
bool condition_true(const nlohmann::json& object, std::string_view type);

}  // namespace hpops::handlers
