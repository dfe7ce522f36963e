#pragma once
// The `payload` form field of a Slack interaction (block_actions), decoded
// into what hpops acts on. Pure: untrusted bytes in, fields or a reason out.
#include <string>
#include <string_view>
#include <variant>

namespace hpops::bot {

struct ButtonPress {
    std::string user_id;
    std::string user_name;
    std::string channel;
    std::string response_url;
    std::string action_id;  // "hpops.confirm", "hpops.cancel", "hpops.alert_action"
    std::string value;      // the signed token the button carries
};

// Not a button press, and not ours to answer (view submissions, shortcuts).
struct OtherInteraction {};

// A refusal: answered 400 with this reason.
struct PayloadProblem {
    std::string reason;
};

using DecodedInteraction = std::variant<ButtonPress, OtherInteraction, PayloadProblem>;

DecodedInteraction decode_interaction_payload(std::string_view payload);

}  // namespace hpops::bot
