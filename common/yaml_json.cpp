#include "common/yaml_json.hpp"

#include <charconv>
#include <yaml-cpp/yaml.h>

namespace hpops {
namespace {

nlohmann::json scalar(const YAML::Node& node) {
    const std::string& text = node.Scalar();
    if (node.Tag() != "?") return text;  // quoted: a string, whatever it reads like
    if (text == "true" || text == "True") return true;
    if (text == "false" || text == "False") return false;
    if (text == "null" || text == "~" || text.empty()) return nullptr;
    long long number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec == std::errc{} && end == text.data() + text.size()) return number;
    return text;
}

nlohmann::json to_json(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Map: {
            nlohmann::json out = nlohmann::json::object();
            for (const auto& entry : node) out[entry.first.Scalar()] = to_json(entry.second);
            return out;
        }
        case YAML::NodeType::Sequence: {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& item : node) out.push_back(to_json(item));
            return out;
        }
        case YAML::NodeType::Scalar:
            return scalar(node);
        default:
            return nullptr;
    }
}

}  // namespace

std::vector<nlohmann::json> yaml_documents_as_json(std::string_view yaml) {
    std::vector<nlohmann::json> documents;
    for (const YAML::Node& document : YAML::LoadAll(std::string(yaml)))
        if (document.IsMap()) documents.push_back(to_json(document));  // comments-only documents are skipped
    return documents;
}

}  // namespace hpops
