#pragma once
// A nesting bound for JSON from outside (webhooks, Slack payloads), checked
// before nlohmann parses it: every level of nesting costs the parser an
// allocated array or object, so a body of 16 MB of "[" took the process to
// 620 MB before it was refused, with no credentials needed. Nothing a sender
// legitimately sends nests more than a handful of levels.
#include <cstddef>
#include <string>
#include <string_view>

namespace hpops {

inline constexpr std::size_t max_json_depth = 64;

// One linear pass over the bytes, counting [ and { outside strings. Returns
// why `text` is refused ("nests deeper than 64 levels"), or empty. Says
// nothing about whether the JSON is otherwise valid: the parser does that.
std::string json_depth_problem(std::string_view text, std::size_t max_depth = max_json_depth);

}  // namespace hpops
