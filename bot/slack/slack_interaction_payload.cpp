#include "bot/slack/slack_interaction_payload.hpp"

#include <nlohmann/json.hpp>

#include "common/json_depth.hpp"

namespace hpops::bot {
namespace {

std::string string_at(const nlohmann::json& json, const nlohmann::json::json_pointer& pointer) {
    if (!json.contains(pointer)) return {};
    const auto& value = json.at(pointer);
    return value.is_string() ? value.get<std::string>() : std::string{};
}

}  // namespace

DecodedInteraction decode_interaction_payload(std::string_view text) {
    if (std::string why = json_depth_problem(text); !why.empty()) return PayloadProblem{"payload " + why};
    const auto payload = nlohmann::json::parse(text, nullptr, false);
    if (payload.is_discarded() || !payload.is_object()) return PayloadProblem{"payload is not a JSON object"};
    using ptr = nlohmann::json::json_pointer;
    if (string_at(payload, ptr("/type")) != "block_actions") return OtherInteraction{};
    ButtonPress press{string_at(payload, ptr("/user/id")),     string_at(payload, ptr("/user/username")),
                      string_at(payload, ptr("/channel/id")),  string_at(payload, ptr("/response_url")),
                      string_at(payload, ptr("/actions/0/action_id")), string_at(payload, ptr("/actions/0/value"))};
    if (press.user_id.empty() || press.action_id.empty()) return PayloadProblem{"payload lacks user.id or actions[0]"};
    return press;
}

}  // namespace hpops::bot
