#pragma once
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

namespace hpops {

// Every document of a YAML stream as JSON, as the Kubernetes API reads
// manifests: plain scalars true/false are booleans, plain integers numbers,
// null/~ null, everything else (and anything quoted) a string. Throws
// std::runtime_error (yaml-cpp's) on a syntax error.
std::vector<nlohmann::json> yaml_documents_as_json(std::string_view yaml);

}  // namespace hpops
