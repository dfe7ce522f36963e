#pragma once
// Slack's published Block Kit rules for a chat message (chat.postMessage,
// chat.update, response_url), checked independently of any renderer so tests
// and the Slack Web API stand-in can reject what Slack would reject.
// Header-only so it needs no build change: every function is inline.
#include <algorithm>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace hpops::testing {

namespace block_kit_detail {

using json = nlohmann::json;

// Slack counts characters; count UTF-8 code points, not bytes.
inline std::size_t chars(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

class Checker {
public:
    std::vector<std::string> violations;

    void fail(const std::string& where, const std::string& what) { violations.push_back(where + ": " + what); }

    // A string field: present when required, a string, 1..max characters.
    void string_field(const json& obj, const char* key, const std::string& where, std::size_t max, bool required) {
        if (!obj.contains(key)) {
            if (required) fail(where, std::string("missing \"") + key + "\"");
            return;
        }
        const json& v = obj.at(key);
        const std::string at = where + "." + key;
        if (!v.is_string()) return fail(at, "must be a string");
        const std::size_t n = chars(v.get_ref<const std::string&>());
        if (n == 0) fail(at, "must not be empty");
        if (n > max) fail(at, "is " + std::to_string(n) + " characters, limit " + std::to_string(max));
    }

    // A text object; `plain_only` for headers and buttons.
    void text_object(const json& t, const std::string& where, std::size_t max, bool plain_only) {
        if (!t.is_object()) return fail(where, "text object must be an object");
        const std::string type = t.value("type", "");
        if (type != "plain_text" && type != "mrkdwn")
            return fail(where, "text object type must be plain_text or mrkdwn, got \"" + type + "\"");
        if (plain_only && type != "plain_text") fail(where, "must be plain_text");
        if (t.contains("emoji") && type != "plain_text") fail(where, "\"emoji\" is only allowed on plain_text");
        if (t.contains("verbatim") && type != "mrkdwn") fail(where, "\"verbatim\" is only allowed on mrkdwn");
        string_field(t, "text", where, max, true);
    }

    void element_list(const json& block, const std::string& where, std::size_t max) {
        if (!block.contains("elements") || !block["elements"].is_array()) return fail(where, "needs an \"elements\" array");
        const std::size_t n = block["elements"].size();
        if (n == 0) fail(where, "\"elements\" must not be empty");
        if (n > max) fail(where, "has " + std::to_string(n) + " elements, limit " + std::to_string(max));
    }

    void section(const json& b, const std::string& where) {
        if (!b.contains("text") && !b.contains("fields")) fail(where, "section needs \"text\" or \"fields\"");
        if (b.contains("text")) text_object(b["text"], where + ".text", 3000, false);
        if (!b.contains("fields")) return;
        const json& fields = b["fields"];
        if (!fields.is_array() || fields.empty()) return fail(where + ".fields", "must be a non-empty array");
        if (fields.size() > 10) fail(where + ".fields", "has " + std::to_string(fields.size()) + " items, limit 10");
        for (std::size_t i = 0; i < fields.size(); ++i)
            text_object(fields[i], where + ".fields[" + std::to_string(i) + "]", 2000, false);
    }

    void context(const json& b, const std::string& where) {
        element_list(b, where, 10);
        if (!b.contains("elements") || !b["elements"].is_array()) return;
        for (std::size_t i = 0; i < b["elements"].size(); ++i) {
            const json& e = b["elements"][i];
            const std::string at = where + ".elements[" + std::to_string(i) + "]";
            if (e.is_object() && e.value("type", "") == "image") {
                string_field(e, "image_url", at, 3000, true);
                string_field(e, "alt_text", at, 2000, true);
            } else {
                text_object(e, at, 3000, false);
            }
        }
    }

    void button(const json& e, const std::string& at) {
        if (!e.contains("text")) fail(at, "button needs \"text\"");
        else text_object(e["text"], at + ".text", 75, true);
        string_field(e, "value", at, 2000, false);
        string_field(e, "url", at, 3000, false);
        if (e.contains("style")) {
            const json& s = e["style"];
            if (!s.is_string() || (s != "primary" && s != "danger"))
                fail(at + ".style", "must be \"primary\" or \"danger\"");
        }
    }

    void actions(const json& b, const std::string& where) {
        element_list(b, where, 25);
        if (!b.contains("elements") || !b["elements"].is_array()) return;
        static const std::set<std::string> interactive = {
            "button", "checkboxes", "datepicker", "datetimepicker", "overflow", "radio_buttons", "timepicker",
            "static_select", "external_select", "users_select", "conversations_select", "channels_select",
            "multi_static_select", "multi_external_select", "multi_users_select", "multi_conversations_select",
            "multi_channels_select", "workflow_button", "rich_text_input"};
        std::set<std::string> action_ids;
        for (std::size_t i = 0; i < b["elements"].size(); ++i) {
            const json& e = b["elements"][i];
            const std::string at = where + ".elements[" + std::to_string(i) + "]";
            if (!e.is_object()) { fail(at, "element must be an object"); continue; }
            const std::string type = e.value("type", "");
            if (!interactive.count(type)) fail(at, "unknown interactive element type \"" + type + "\"");
            string_field(e, "action_id", at, 255, false);
            if (e.contains("action_id") && e["action_id"].is_string() &&
                !action_ids.insert(e["action_id"].get<std::string>()).second)
                fail(at + ".action_id", "duplicates another action_id in the block");
            if (type == "button") button(e, at);
        }
    }

    void block(const json& b, const std::string& where, std::set<std::string>& block_ids) {
        if (!b.is_object()) return fail(where, "block must be an object");
        if (!b.contains("type") || !b["type"].is_string()) return fail(where, "missing block \"type\"");
        const std::string type = b["type"].get<std::string>();
        if (b.contains("block_id")) {
            string_field(b, "block_id", where, 255, false);
            if (b["block_id"].is_string() && !block_ids.insert(b["block_id"].get<std::string>()).second)
                fail(where + ".block_id", "duplicates another block_id in the message");
        }
        if (type == "section") section(b, where);
        else if (type == "header") {
            if (!b.contains("text")) fail(where, "header needs \"text\"");
            else text_object(b["text"], where + ".text", 150, true);
        } else if (type == "context") context(b, where);
        else if (type == "actions") actions(b, where);
        else if (type == "divider") {}
        else if (type == "image") {
            string_field(b, "image_url", where, 3000, true);
            string_field(b, "alt_text", where, 2000, true);
        } else if (type == "rich_text") {
            if (!b.contains("elements") || !b["elements"].is_array()) fail(where, "rich_text needs an \"elements\" array");
        } else {
            fail(where, "unknown block type \"" + type + "\"");
        }
    }
};

}  // namespace block_kit_detail

// Returns human-readable violations of Slack's Block Kit rules; empty = valid.
inline std::vector<std::string> block_kit_violations(const nlohmann::json& message) {
    block_kit_detail::Checker check;
    if (!message.is_object()) return {"message: must be a JSON object"};

    const bool has_blocks = message.contains("blocks");
    if (message.contains("text")) {
        const auto& text = message["text"];
        const std::size_t n = text.is_string() ? block_kit_detail::chars(text.get_ref<const std::string&>()) : 0;
        if (!text.is_string()) check.fail("message.text", "must be a string");
        else if (n > 40000) check.fail("message.text", "is " + std::to_string(n) + " characters, limit 40000");
        // Slack accepts an empty fallback next to blocks (it only warns).
        else if (n == 0 && !has_blocks) check.fail("message.text", "must not be empty without blocks");
    } else if (!has_blocks) {
        check.fail("message", "needs \"text\" or \"blocks\"");
    }
    if (message.contains("response_type")) {
        const auto& rt = message["response_type"];
        if (!rt.is_string() || (rt != "ephemeral" && rt != "in_channel"))
            check.fail("message.response_type", "must be \"ephemeral\" or \"in_channel\"");
    }
    if (message.contains("replace_original") && !message["replace_original"].is_boolean())
        check.fail("message.replace_original", "must be a boolean");
    if (!has_blocks) return check.violations;

    const auto& blocks = message["blocks"];
    if (!blocks.is_array()) {
        check.fail("message.blocks", "must be an array");
        return check.violations;
    }
    if (blocks.size() > 50) check.fail("message.blocks", "has " + std::to_string(blocks.size()) + " blocks, limit 50");
    std::set<std::string> block_ids;
    for (std::size_t i = 0; i < blocks.size(); ++i)
        check.block(blocks[i], "blocks[" + std::to_string(i) + "]", block_ids);
    return check.violations;
}

}  // namespace hpops::testing
