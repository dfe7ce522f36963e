#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hpops/reply.hpp"

namespace hpops::bot {

// Slack's published Block Kit limits, plus the renderer's own choices, named so
// callers and tests can refer to them instead of repeating numbers.
struct BlockKitLimits {
    static constexpr std::size_t blocks_per_message = 50;
    static constexpr std::size_t max_pages = 10;           // our cap: beyond this a reply is unreadable anyway
    static constexpr std::size_t section_text = 3000;
    static constexpr std::size_t header_text = 150;
    static constexpr std::size_t fields_per_section = 10;
    static constexpr std::size_t field_text = 2000;
    static constexpr std::size_t context_elements = 10;
    static constexpr std::size_t context_text = 3000;
    static constexpr std::size_t buttons_per_block = 25;
    static constexpr std::size_t button_text = 75;
    static constexpr std::size_t action_id = 255;
    static constexpr std::size_t button_value = 2000;
    static constexpr std::size_t fallback_text = 3000;
    static constexpr std::size_t table_cell = 40;          // our choice: wider cells wrap in Slack's code blocks
    static constexpr std::size_t table_line = 900;         // our choice: keeps header + rule + one row under a section
};

// Renders a Reply as one or more Slack message payloads ("pages"), each within
// Block Kit's rules. Every page carries "text" (fallback), "blocks",
// "response_type" and, on the first page only, "replace_original": true when set.
// Oversized input is split or truncated with a note, never rejected; the only
// throw is std::logic_error for a button whose action_id or value exceeds
// Slack's limit, because truncating either would silently break the
// interaction round-trip.
std::vector<nlohmann::json> render_block_kit(const Reply& reply);

// The first page only, for transports that carry exactly one message (inline
// HTTP responses). When more pages exist its last block says how many follow.
nlohmann::json render_block_kit_single(const Reply& reply);

// Slack's required escaping of data placed in message text: & < > as entities.
std::string slack_escape(std::string_view text);

// Serialises a message for the wire. Invalid UTF-8 from data (a node label, a
// run tag) becomes U+FFFD instead of an exception in the middle of a reply.
inline std::string to_wire(const nlohmann::json& message, int indent = -1) {
    return message.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace hpops::bot
