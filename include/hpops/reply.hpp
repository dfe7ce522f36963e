#pragma once
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace hpops {

// A small, platform-neutral document. Renderers (Slack Block Kit, plain text, ...)
// turn it into bytes and enforce their platform's limits; handlers never do.
enum class Status { ok, warn, bad, unknown };

// What a heading or a line says at a glance. Each renderer draws it its own
// way (Slack: an emoji; a terminal: a word in brackets), so handlers never
// write one platform's icon codes.
enum class Mark {
    none,
    done,       // finished as asked
    working,    // under way; the message will be edited
    warning,    // needs a look; not failed
    failed,
    stopped,    // no longer followed; the backend carries on
    removed,
    denied,     // refused by permissions
    firing,     // alerts firing
    resolved,   // alerts resolved
    critical,   // an alert's severity: critical or page
    major,      // warning
    minor,      // info and anything else
};

struct Heading { std::string text; Mark mark = Mark::none; };
// Inline markup is Slack-flavoured mrkdwn (*bold*, _italic_, `code`,
// <url|label>, mention()), which every renderer reads.
struct Text { std::string markdown; Mark mark = Mark::none; };
// Lines shown together as one block, each with its own mark (an alert list).
struct Lines { std::vector<Text> items; };
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
// How far a followed operation has come ("3/4 replicas ready"); renderers
// draw a bar. Counts outside 0..total are drawn clamped and written as given.
struct ProgressBar {
    std::string label;  // plain text, after the counts: "replicas ready"
    long done = 0;
    long total = 0;
};
struct Divider {};

using Block = std::variant<Heading, Text, Lines, Fields, Table, Chips, Actions, Context, ProgressBar, Divider>;

// A reply's blocks, shared between copies of the reply until one of them is
// changed. A reply that is the same for everyone (help) is built once and
// handed out on every request; copying its dozen strings each time was the
// largest allocation left on the Slack route (bench/README.md).
class Blocks {
public:
    using value_type = Block;
    using const_iterator = std::vector<Block>::const_iterator;

    Blocks() = default;
    Blocks(std::initializer_list<Block> blocks) : blocks_(std::make_shared<std::vector<Block>>(blocks)) {}

    const_iterator begin() const { return all().begin(); }
    const_iterator end() const { return all().end(); }
    std::size_t size() const { return all().size(); }
    bool empty() const { return all().empty(); }
    const Block& operator[](std::size_t i) const { return all()[i]; }
    const Block& front() const { return all().front(); }
    const Block& back() const { return all().back(); }

    template <class B>
    void push_back(B&& block) { edit().emplace_back(std::forward<B>(block)); }
    // The blocks to change in place; copied first if another reply shares them.
    std::vector<Block>& edit() {
        if (!blocks_) blocks_ = std::make_shared<std::vector<Block>>();
        else if (blocks_.use_count() > 1) blocks_ = std::make_shared<std::vector<Block>>(*blocks_);
        return *blocks_;
    }

private:
    const std::vector<Block>& all() const {
        static const std::vector<Block> none;
        return blocks_ ? *blocks_ : none;
    }
    std::shared_ptr<std::vector<Block>> blocks_;
};

enum class Visibility { caller, channel };

struct Reply {
    std::string summary;  // one line; notification / fallback text
    Blocks blocks;
    Visibility visibility = Visibility::caller;
    // When set, a follow-up replaces the message that carried the buttons
    // instead of posting a new one (Slack: replace_original).
    bool replace_original = false;
    // Non-empty when this reply is the same for every caller and every call
    // (help): a renderer may keep its rendering under this key and reuse it.
    std::string constant_key;

    Reply& heading(std::string text, Mark mark = Mark::none) {
        blocks.push_back(Heading{std::move(text), mark});
        return *this;
    }
    Reply& text(std::string markdown, Mark mark = Mark::none) {
        blocks.push_back(Text{std::move(markdown), mark});
        return *this;
    }
    Reply& lines(std::vector<Text> items) { blocks.push_back(Lines{std::move(items)}); return *this; }
    Reply& fields(std::vector<Field> items) { blocks.push_back(Fields{std::move(items)}); return *this; }
    Reply& table(Table t) { blocks.push_back(std::move(t)); return *this; }
    Reply& chips(std::vector<Chip> items) { blocks.push_back(Chips{std::move(items)}); return *this; }
    Reply& actions(std::vector<Button> buttons) { blocks.push_back(Actions{std::move(buttons)}); return *this; }
    Reply& context(std::string text) { blocks.push_back(Context{std::move(text)}); return *this; }
    Reply& progress(std::string label, long done, long total) {
        blocks.push_back(ProgressBar{std::move(label), done, total});
        return *this;
    }
    Reply& divider() { blocks.push_back(Divider{}); return *this; }
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

// A user named in text: each renderer shows it its platform's way (Slack
// notifies them; a terminal prints @name). The name, when known, is what a
// renderer without user ids shows.
// The filled cells of a `width`-cell bar for a ProgressBar (0 with no total).
inline int progress_cells(const ProgressBar& p, int width) {
    if (p.total <= 0) return 0;
    const long done = p.done < 0 ? 0 : (p.done > p.total ? p.total : p.done);
    return static_cast<int>(static_cast<double>(done) / static_cast<double>(p.total) * width);
}

inline std::string mention(std::string_view user_id, std::string_view name = {}) {
    std::string out = "<@";
    out += user_id;
    if (!name.empty() && name.find_first_of("<>|") == std::string_view::npos) {
        out += '|';
        out += name;
    }
    out += '>';
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
inline Reply message_reply(Mark mark, std::string text, Visibility visibility = Visibility::caller) {
    Reply r = message_reply(std::move(text), visibility);
    std::get<Text>(r.blocks.edit().front()).mark = mark;
    return r;
}

}  // namespace hpops
