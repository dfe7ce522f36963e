#include "bot/slack/block_kit_renderer.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <type_traits>
#include <variant>

namespace hpops::bot {
namespace {

using json = nlohmann::json;
using L = BlockKitLimits;
const std::string ellipsis = "…";

// Slack counts characters, not bytes: measure and cut at UTF-8 code points so a
// multi-byte character is never split.
bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::size_t length(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return !is_continuation(c); }));
}

// Byte offset where code point `n` starts (s.size() when s is shorter).
std::size_t offset_of(std::string_view s, std::size_t n) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (is_continuation(s[i])) continue;
        if (seen == n) return i;
        ++seen;
    }
    return s.size();
}

// Moves a byte cut back so it does not land inside an entity such as "&amp;".
std::size_t entity_safe(std::string_view s, std::size_t cut) {
    const auto amp = s.rfind('&', cut == 0 ? 0 : cut - 1);
    if (amp == std::string_view::npos || cut - amp > 5) return cut;
    const auto semi = s.find(';', amp);
    return (semi != std::string_view::npos && semi >= cut) ? amp : cut;
}

bool is_blank(std::string_view s) {
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Clips text that is already in its final (escaped mrkdwn) form.
std::string clip(std::string_view s, std::size_t max) {
    if (length(s) <= max) return std::string(s);
    return std::string(s.substr(0, entity_safe(s, offset_of(s, max - 1)))) + ellipsis;
}

// Escapes raw data and clips it so the escaped form fits `max`.
std::string escape_clip(std::string_view raw, std::size_t max) {
    std::string escaped = slack_escape(raw);
    if (length(escaped) <= max) return escaped;
    return clip(escaped, max);
}

std::string one_line(std::string_view s) {
    std::string out(s);
    std::replace_if(out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
    return out;
}

json plain_text(std::string text) { return {{"type", "plain_text"}, {"text", std::move(text)}, {"emoji", true}}; }
json mrkdwn(std::string text) { return {{"type", "mrkdwn"}, {"text", std::move(text)}}; }
json section(std::string text) { return {{"type", "section"}, {"text", mrkdwn(std::move(text))}}; }
json context_note(std::string text) { return {{"type", "context"}, {"elements", json::array({mrkdwn(std::move(text))})}}; }

std::size_t count_fences(std::string_view s) {
    std::size_t n = 0;
    for (auto pos = s.find("```"); pos != std::string_view::npos; pos = s.find("```", pos + 3)) ++n;
    return n;
}

// Splits handler-written mrkdwn into section-sized pieces, preferring line
// breaks, then spaces. A ``` fence left open by a cut is closed at the end of
// the piece and reopened in the next, so code blocks stay code blocks.
std::vector<std::string> split_mrkdwn(std::string_view rest, std::size_t max) {
    static constexpr std::string_view reopen = "```\n", close = "\n```";
    std::vector<std::string> pieces;
    bool in_fence = false;
    while (!rest.empty()) {
        const std::string prefix = in_fence ? std::string(reopen) : std::string();
        if (length(rest) + prefix.size() <= max) {
            if (!is_blank(rest)) pieces.push_back(prefix + std::string(rest));
            break;
        }
        const std::size_t limit = offset_of(rest, max - reopen.size() - close.size());
        std::size_t take = limit, skip = 0;
        if (auto nl = rest.rfind('\n', limit); nl != std::string_view::npos && nl > 0) {
            take = nl, skip = 1;
        } else if (auto sp = rest.rfind(' ', limit); sp != std::string_view::npos && sp > 0) {
            take = sp, skip = 1;
        } else if (auto safe = entity_safe(rest, limit); safe > 0) {
            take = safe;
        }
        const std::string_view chunk = rest.substr(0, take);
        rest.remove_prefix(take + skip);
        const bool open_after = in_fence != (count_fences(chunk) % 2 == 1);
        std::string piece = prefix + std::string(chunk) + (open_after ? std::string(close) : std::string());
        if (!is_blank(chunk)) pieces.push_back(std::move(piece));
        in_fence = open_after;
    }
    return pieces;
}

// The emoji Slack shows for a mark, with the space after it. Emoji codes
// render in mrkdwn and in plain_text objects with "emoji": true.
std::string_view mark_emoji(Mark mark) {
    switch (mark) {
        case Mark::none: break;
        case Mark::done: return ":white_check_mark: ";
        case Mark::working: return ":hourglass_flowing_sand: ";
        case Mark::warning: return ":warning: ";
        case Mark::failed: return ":x: ";
        case Mark::stopped: return ":no_entry_sign: ";
        case Mark::removed: return ":wastebasket: ";
        case Mark::denied: return ":no_entry: ";
        case Mark::firing: return ":rotating_light: ";
        case Mark::resolved: return ":white_check_mark: ";
        case Mark::critical: return ":red_circle: ";
        case Mark::major: return ":large_orange_circle: ";
        case Mark::minor: return ":large_blue_circle: ";
    }
    return {};
}

// mention() may carry a display name (<@U1|ann>) for renderers without user
// ids; Slack's documented form is the bare id, which it shows as the name.
std::string slack_mrkdwn(std::string_view markdown) {
    std::string out;
    std::size_t from = 0;
    for (auto at = markdown.find("<@"); at != std::string_view::npos; at = markdown.find("<@", at + 2)) {
        const auto close = markdown.find('>', at);
        const auto bar = markdown.find('|', at);
        if (close == std::string_view::npos) break;
        if (bar == std::string_view::npos || bar > close) continue;
        out.append(markdown.substr(from, bar - from)).push_back('>');
        from = close + 1;
    }
    if (from == 0) return std::string(markdown);
    out.append(markdown.substr(from));
    return out;
}

void add_heading(const Heading& h, std::vector<json>& out) {
    if (is_blank(h.text)) return;
    const std::string text = std::string(mark_emoji(h.mark)) + one_line(h.text);
    out.push_back({{"type", "header"}, {"text", plain_text(escape_clip(text, L::header_text))}});
}

void add_text(std::string_view markdown, std::vector<json>& out) {
    if (markdown.find("<@") != std::string_view::npos) {
        const std::string slack = slack_mrkdwn(markdown);
        for (auto& piece : split_mrkdwn(slack, L::section_text)) out.push_back(section(std::move(piece)));
        return;
    }
    for (auto& piece : split_mrkdwn(markdown, L::section_text)) out.push_back(section(std::move(piece)));
}

void add_text(const Text& t, std::vector<json>& out) {
    if (t.mark == Mark::none) return add_text(t.markdown, out);
    add_text(std::string(mark_emoji(t.mark)) + t.markdown, out);
}

// A bar of ten cells in a context line: "▰▰▰▰▰▰▰▱▱▱ 3/4 replicas ready".
void add_progress(const ProgressBar& p, std::vector<json>& out) {
    constexpr int width = 10;
    const int filled = progress_cells(p, width);
    std::string bar;
    for (int i = 0; i < width; ++i) bar += i < filled ? "▰" : "▱";
    std::string text = bar + " " + std::to_string(p.done) + "/" + std::to_string(p.total);
    if (!is_blank(p.label)) text += " " + escape_clip(one_line(p.label), L::context_text - 64);
    out.push_back(context_note(std::move(text)));
}

// Marked lines as one section (split where it outgrows one).
void add_lines(const Lines& lines, std::vector<json>& out) {
    std::string joined;
    for (const Text& line : lines.items) {
        if (is_blank(line.markdown)) continue;
        if (!joined.empty()) joined += '\n';
        joined.append(mark_emoji(line.mark)).append(line.markdown);
    }
    add_text(joined, out);
}

std::string field_text(const Field& f) {
    if (f.label.empty()) return f.value.empty() ? std::string("—") : escape_clip(f.value, L::field_text);
    std::string label = "*" + escape_clip(one_line(f.label), 200) + "*\n";
    const std::size_t room = L::field_text - length(label);
    return label + (f.value.empty() ? std::string("—") : escape_clip(f.value, room));
}

void add_fields(const Fields& f, std::vector<json>& out) {
    for (std::size_t i = 0; i < f.items.size(); i += L::fields_per_section) {
        json fields = json::array();
        for (std::size_t j = i; j < std::min(f.items.size(), i + L::fields_per_section); ++j)
            fields.push_back(mrkdwn(field_text(f.items[j])));
        out.push_back({{"type", "section"}, {"fields", std::move(fields)}});
    }
}

// A cell as it appears in the monospace table: one line, no fence breakers,
// at most table_cell characters.
std::string table_cell(const std::string& raw) {
    std::string cell = one_line(raw);
    for (auto pos = cell.find("```"); pos != std::string::npos; pos = cell.find("```", pos)) cell.replace(pos, 3, "'''");
    if (length(cell) > L::table_cell) cell = cell.substr(0, offset_of(cell, L::table_cell - 1)) + ellipsis;
    return cell;
}

std::string table_line(const std::vector<std::string>& cells, const std::vector<std::size_t>& widths) {
    std::string line;
    for (std::size_t c = 0; c < widths.size(); ++c) {
        const std::string& cell = c < cells.size() ? cells[c] : std::string();
        if (c > 0) line += "  ";
        line += cell;
        line.append(widths[c] - length(cell), ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    return clip(slack_escape(line), L::table_line);
}

void add_table(const Table& t, std::vector<json>& out) {
    std::size_t ncols = t.columns.size();
    for (const auto& row : t.rows) ncols = std::max(ncols, row.size());
    if (ncols == 0) return;

    auto cells_of = [ncols](const std::vector<std::string>& row) {
        std::vector<std::string> cells(ncols);
        for (std::size_t c = 0; c < row.size(); ++c) cells[c] = table_cell(row[c]);
        return cells;
    };
    const auto header_cells = cells_of(t.columns);
    std::vector<std::vector<std::string>> rows;
    rows.reserve(t.rows.size());
    for (const auto& row : t.rows) rows.push_back(cells_of(row));

    std::vector<std::size_t> widths(ncols, 0);
    for (std::size_t c = 0; c < ncols; ++c) {
        widths[c] = std::max<std::size_t>(length(header_cells[c]), 1);
        for (const auto& row : rows) widths[c] = std::max(widths[c], length(row[c]));
    }
    std::vector<std::string> rule_cells(ncols);
    for (std::size_t c = 0; c < ncols; ++c) rule_cells[c] = std::string(widths[c], '-');

    // Every chunk repeats the header so each message reads on its own.
    const std::string head = "```\n" + table_line(header_cells, widths) + "\n" + table_line(rule_cells, widths) + "\n";
    const std::string tail = "```";
    if (rows.empty()) {
        out.push_back(section(head + "(no rows)\n" + tail));
        return;
    }
    std::string body;
    std::size_t body_len = 0;
    const std::size_t fixed = length(head) + tail.size();
    for (const auto& row : rows) {
        std::string line = table_line(row, widths) + "\n";
        const std::size_t line_len = length(line);
        if (!body.empty() && fixed + body_len + line_len > L::section_text) {
            out.push_back(section(head + body + tail));
            body.clear();
            body_len = 0;
        }
        body += line;
        body_len += line_len;
    }
    out.push_back(section(head + body + tail));
}

const char* chip_emoji(Status s) {
    switch (s) {
        case Status::ok: return "🟢";
        case Status::warn: return "🟡";
        case Status::bad: return "🔴";
        case Status::unknown: break;
    }
    return "⚪";
}

void add_chips(const Chips& chips, std::vector<json>& out) {
    for (std::size_t i = 0; i < chips.items.size(); i += L::context_elements) {
        json elements = json::array();
        for (std::size_t j = i; j < std::min(chips.items.size(), i + L::context_elements); ++j) {
            const Chip& chip = chips.items[j];
            elements.push_back(mrkdwn(std::string(chip_emoji(chip.status)) + " " +
                                      escape_clip(one_line(chip.label), L::context_text - 2)));
        }
        out.push_back({{"type", "context"}, {"elements", std::move(elements)}});
    }
}

json button(const Button& b) {
    // Both identifiers come from code, not data: an oversized one is a bug that
    // truncation would turn into a button that silently does nothing.
    if (length(b.action_id) > L::action_id)
        throw std::logic_error("Slack button action_id longer than 255 characters: " + b.action_id.substr(0, 64));
    if (length(b.value) > L::button_value)
        throw std::logic_error("Slack button value longer than 2000 characters (action_id " + b.action_id + ")");
    const std::string label = is_blank(b.label) ? (b.action_id.empty() ? "Button" : b.action_id) : one_line(b.label);
    json out = {{"type", "button"}, {"text", plain_text(escape_clip(label, L::button_text))}};
    if (!b.action_id.empty()) out["action_id"] = b.action_id;
    if (!b.value.empty()) out["value"] = b.value;
    if (b.style == ButtonStyle::primary) out["style"] = "primary";
    if (b.style == ButtonStyle::danger) out["style"] = "danger";
    return out;
}

// FNV-1a over the buttons, so a block_id changes when its buttons change:
// Slack asks for a new block_id on each iteration of an edited message.
std::string actions_block_id(std::size_t index, const std::vector<Button>& buttons, std::size_t from, std::size_t to) {
    std::uint32_t h = 2166136261u;
    auto mix = [&h](std::string_view s) {
        for (unsigned char c : s) h = (h ^ c) * 16777619u;
        h = (h ^ 0xFFu) * 16777619u;
    };
    for (std::size_t i = from; i < to; ++i) mix(buttons[i].action_id), mix(buttons[i].value), mix(buttons[i].label);
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", h);
    return "hpops.actions." + std::to_string(index) + "." + hex;
}

void add_actions(const Actions& a, std::size_t& actions_index, std::vector<json>& out) {
    for (std::size_t i = 0; i < a.buttons.size(); i += L::buttons_per_block) {
        const std::size_t end = std::min(a.buttons.size(), i + L::buttons_per_block);
        json elements = json::array();
        for (std::size_t j = i; j < end; ++j) elements.push_back(button(a.buttons[j]));
        out.push_back({{"type", "actions"},
                       {"block_id", actions_block_id(actions_index++, a.buttons, i, end)},
                       {"elements", std::move(elements)}});
    }
}

std::vector<json> render_blocks(const Reply& reply) {
    std::vector<json> out;
    std::size_t actions_index = 0;
    for (const Block& block : reply.blocks) {
        std::visit([&](const auto& b) {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, Heading>) add_heading(b, out);
            else if constexpr (std::is_same_v<T, Text>) add_text(b, out);
            else if constexpr (std::is_same_v<T, Lines>) add_lines(b, out);
            else if constexpr (std::is_same_v<T, Fields>) add_fields(b, out);
            else if constexpr (std::is_same_v<T, Table>) add_table(b, out);
            else if constexpr (std::is_same_v<T, Chips>) add_chips(b, out);
            else if constexpr (std::is_same_v<T, ProgressBar>) add_progress(b, out);
            else if constexpr (std::is_same_v<T, Actions>) add_actions(b, actions_index, out);
            else if constexpr (std::is_same_v<T, Context>) {
                if (!is_blank(b.text)) out.push_back(context_note(clip(slack_mrkdwn(b.text), L::context_text)));
            } else if constexpr (std::is_same_v<T, Divider>) out.push_back({{"type", "divider"}});
        }, block);
    }
    return out;
}

// The notification text: the summary when there is one, else the first
// readable block. Slack shows it in notifications and where blocks can't render.
std::string fallback_text(const Reply& reply) {
    if (!is_blank(reply.summary)) return clip(reply.summary, L::fallback_text);
    for (const Block& block : reply.blocks) {
        if (auto* h = std::get_if<Heading>(&block); h && !is_blank(h->text)) return escape_clip(h->text, L::fallback_text);
        if (auto* t = std::get_if<Text>(&block); t && !is_blank(t->markdown)) return clip(t->markdown, L::fallback_text);
        if (auto* c = std::get_if<Context>(&block); c && !is_blank(c->text)) return clip(c->text, L::fallback_text);
    }
    return "hpops";
}

json page_payload(const Reply& reply, const std::string& text, json blocks, bool first) {
    json page = {{"text", text},
                 {"blocks", std::move(blocks)},
                 {"response_type", reply.visibility == Visibility::channel ? "in_channel" : "ephemeral"}};
    // Later pages are new messages; replacing would overwrite page one.
    if (first && reply.replace_original) page["replace_original"] = true;
    return page;
}

}  // namespace

std::string slack_escape(std::string_view text) { return mrkdwn_escape(text); }

std::vector<json> render_block_kit(const Reply& reply) {
    std::vector<json> blocks = render_blocks(reply);
    const std::string text = fallback_text(reply);
    if (blocks.empty()) blocks.push_back(section(text));

    const std::size_t total = blocks.size();
    if (total <= L::blocks_per_message) return {page_payload(reply, text, json(std::move(blocks)), true)};

    // Every page but the last gives one slot to its "continued" note.
    const std::size_t per_page = L::blocks_per_message - 1;
    const std::size_t needed = 1 + (total - L::blocks_per_message + per_page - 1) / per_page;
    const std::size_t pages = std::min(needed, L::max_pages);
    const bool capped = needed > L::max_pages;

    std::vector<json> out;
    for (std::size_t p = 0; p < pages; ++p) {
        const bool last = p + 1 == pages;
        const std::size_t begin = p * per_page;
        const std::size_t end = (last && !capped) ? total : begin + per_page;
        json page_blocks = json::array();
        for (std::size_t i = begin; i < end; ++i) page_blocks.push_back(std::move(blocks[i]));
        const std::string of = std::to_string(p + 1) + " of " + std::to_string(pages);
        if (!last) page_blocks.push_back(context_note("_continued in the next message (page " + of + ")_"));
        if (last && capped) page_blocks.push_back(context_note("_… " + std::to_string(total - end) + " more blocks not shown_"));
        std::string page_text = text;
        if (p > 0) {
            const std::string suffix = " (continued, page " + of + ")";
            page_text = clip(text, L::fallback_text - length(suffix)) + suffix;
        }
        out.push_back(page_payload(reply, page_text, std::move(page_blocks), p == 0));
    }
    return out;
}

json render_block_kit_single(const Reply& reply) {
    std::vector<json> pages = render_block_kit(reply);
    json first = std::move(pages.front());
    if (pages.size() > 1) {
        const std::size_t more = pages.size() - 1;
        first["blocks"].back() = context_note("_… " + std::to_string(more) + " more message" + (more == 1 ? "" : "s") +
                                              " follow (page 1 of " + std::to_string(pages.size()) + ")_");
    }
    return first;
}

}  // namespace hpops::bot
