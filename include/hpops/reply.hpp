#pragma once
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hpops {

// A small, platform-neutral document. Renderers (Slack Block Kit, plain text, ...)
// turn it into bytes and enforce their platform's limits; handlers never do.
enum class Status { ok, warn, bad, unknown };

struct Heading { std::string text; };
struct Text { std::string markdown; };  // Slack-flavoured mrkdwn: *bold*, _italic_, `code`, <url|label>
struct Field { std::string label; std::string value; };
struct Fields { std::vector<Field> items; };
struct Table {
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
};
struct Chip { std::string label; Status status = Status::unknown; };
struct Chips { std::vector<Chip> items; };
enum class ButtonStyle { normal, primary, danger };
struct Button {
    std::string label;
    std::string action_id;     // e.g. "hpops.confirm", "hpops.cancel"
    std::string value;         // opaque; for confirmations a signed token
    ButtonStyle style = ButtonStyle::normal;
};
struct Actions { std::vector<Button> buttons; };
struct Context { std::string text; };  // small grey footnote line
struct Divider {};

using Block = std::variant<Heading, Text, Fields, Table, Chips, Actions, Context, Divider>;

enum class Visibility { caller, channel };

struct Reply {
    std::string summary;  // one line; notification / fallback text
    std::vector<Block> blocks;
    Visibility visibility = Visibility::caller;
    // When set, a follow-up replaces the message that carried the buttons
    // instead of posting a new one (Slack: replace_original).
    bool replace_original = false;
    // Non-empty when this reply is the same for every caller and every call
    // (help): a renderer may keep its rendering under this key and reuse it.
    std::string constant_key;

    Reply& heading(std::string text) { blocks.emplace_back(Heading{std::move(text)}); return *this; }
    Reply& text(std::string markdown) { blocks.emplace_back(Text{std::move(markdown)}); return *this; }
    Reply& fields(std::vector<Field> items) { blocks.emplace_back(Fields{std::move(items)}); return *this; }
    Reply& table(Table t) { blocks.emplace_back(std::move(t)); return *this; }
    Reply& chips(std::vector<Chip> items) { blocks.emplace_back(Chips{std::move(items)}); return *this; }
    Reply& actions(std::vector<Button> buttons) { blocks.emplace_back(Actions{std::move(buttons)}); return *this; }
    Reply& context(std::string text) { blocks.emplace_back(Context{std::move(text)}); return *this; }
    Reply& divider() { blocks.emplace_back(Divider{}); return *this; }
};

// Data placed inside mrkdwn text (a run name, an error message) must not be
// read as markup: Slack treats &, < and > as control characters.
inline std::string mrkdwn_escape(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (char c : raw) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            default: out += c;
        }
    }
    return out;
}

// A reply that is only a message (errors, denials, acknowledgements).
inline Reply message_reply(std::string text, Visibility visibility = Visibility::caller) {
    Reply r;
    r.summary = text;
    r.visibility = visibility;
    r.text(std::move(text));
    return r;
}

}  // namespace hpops
