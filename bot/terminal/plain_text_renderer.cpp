#include "bot/terminal/plain_text_renderer.hpp"

#include <algorithm>
#include <cctype>
#include <type_traits>
#include <variant>
#include <vector>

namespace hpops::bot {
namespace {

// Column alignment counts code points so names with accents or emoji do not
// skew the table (East Asian double width is not accounted for).
std::size_t width(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string pad(std::string s, std::size_t to) {
    const std::size_t w = width(s);
    if (w < to) s.append(to - w, ' ');
    return s;
}

std::string rtrim(std::string s) {
    s.erase(s.find_last_not_of(" \t\r\n") + 1);
    return s;
}

std::string one_line(std::string_view s) {
    std::string out(s);
    std::replace_if(out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
    return out;
}

std::vector<std::string> lines_of(std::string_view s) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t nl; (nl = s.find('\n', start)) != std::string_view::npos; start = nl + 1)
        lines.emplace_back(s.substr(start, nl - start));
    lines.emplace_back(s.substr(start));
    return lines;
}

// Bytes of non-ASCII characters count as word characters so UTF-8 names are
// never split by the emphasis rules.
bool is_word(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || std::isalnum(u) || c == '_';
}

std::string unescape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s.substr(i, 4) == "&lt;") out += '<', i += 3;
        else if (s.substr(i, 4) == "&gt;") out += '>', i += 3;
        else if (s.substr(i, 5) == "&amp;") out += '&', i += 4;
        else out += s[i];
    }
    return out;
}

// The inside of a Slack <...> span: links, mentions and special commands.
std::string link_text(std::string_view inner) {
    const auto bar = inner.find('|');
    const std::string target = unescape(inner.substr(0, bar));
    const std::string label = bar == std::string_view::npos ? std::string() : unescape(inner.substr(bar + 1));
    if (!target.empty() && (target[0] == '@' || target[0] == '#'))
        return label.empty() ? target : std::string(1, target[0]) + label;
    if (!target.empty() && target[0] == '!')  // <!here>, <!subteam^ID|@team>, <!date^...|fallback>
        return label.empty() ? "@" + target.substr(1) : label;
    if (label.empty() || label == target) return target;
    return label + " (" + target + ")";
}

// Index of the marker closing emphasis opened at `open`, or npos. Slack only
// treats *x*, _x_, ~x~ as formatting at word boundaries on a single line.
std::size_t closing_marker(std::string_view s, std::size_t open) {
    const char m = s[open];
    if (open > 0 && is_word(s[open - 1])) return std::string_view::npos;
    if (open + 1 >= s.size() || s[open + 1] == ' ' || s[open + 1] == m || s[open + 1] == '\n')
        return std::string_view::npos;
    for (std::size_t j = open + 2; j < s.size() && s[j] != '\n'; ++j) {
        if (s[j] != m || s[j - 1] == ' ') continue;
        if (j + 1 == s.size() || !is_word(s[j + 1])) return j;
    }
    return std::string_view::npos;
}

}  // namespace

std::string simplify_mrkdwn(std::string_view s) {
    std::string out;
    bool fence = false;
    for (std::size_t i = 0; i < s.size();) {
        if (s.substr(i, 3) == "```") {
            fence = !fence;
            i += 3;
            // A marker alone on its line disappears with its line break.
            if ((out.empty() || out.back() == '\n') && i < s.size() && s[i] == '\n') ++i;
            continue;
        }
        const char c = s[i];
        if (fence || (c != '`' && c != '<' && c != '*' && c != '_' && c != '~')) {
            const std::size_t n = s.substr(i, 5) == "&amp;" ? 5 : (s.substr(i, 4) == "&lt;" || s.substr(i, 4) == "&gt;") ? 4 : 1;
            out += unescape(s.substr(i, n));
            i += n;
            continue;
        }
        if (c == '`' || c == '<') {
            const std::size_t close = s.find(c == '`' ? '`' : '>', i + 1);
            const std::size_t eol = s.find('\n', i);
            if (close != std::string_view::npos && (eol == std::string_view::npos || close < eol)) {
                const auto inner = s.substr(i + 1, close - i - 1);
                out += c == '`' ? unescape(inner) : link_text(inner);
                i = close + 1;
                continue;
            }
        } else if (const std::size_t close = closing_marker(s, i); close != std::string_view::npos) {
            out += simplify_mrkdwn(s.substr(i + 1, close - i - 1));
            i = close + 1;
            continue;
        }
        out += c;
        ++i;
    }
    return out;
}

namespace {

std::string_view mark_word(Mark mark);

std::string render(const Heading& h) {
    const std::string title = std::string(mark_word(h.mark)) + one_line(h.text);
    return title + "\n" + std::string(std::max<std::size_t>(width(title), 1), '=');
}

// A mark as a word in brackets: terminals and logs have no emoji codes, and a
// word greps.
std::string_view mark_word(Mark mark) {
    switch (mark) {
        case Mark::none: break;
        case Mark::done: return "[done] ";
        case Mark::working: return "[working] ";
        case Mark::warning: return "[warning] ";
        case Mark::failed: return "[failed] ";
        case Mark::stopped: return "[stopped] ";
        case Mark::removed: return "[removed] ";
        case Mark::denied: return "[denied] ";
        case Mark::firing: return "[FIRING] ";
        case Mark::resolved: return "[resolved] ";
        case Mark::critical: return "[critical] ";
        case Mark::major: return "[major] ";
        case Mark::minor: return "[minor] ";
    }
    return {};
}

std::string render(const Text& t) {
    const std::string text = rtrim(simplify_mrkdwn(t.markdown));
    return text.empty() ? text : std::string(mark_word(t.mark)) + text;
}

std::string render(const Lines& lines) {
    std::string out;
    for (const Text& line : lines.items) {
        std::string text = render(line);
        if (text.empty()) continue;
        out += (out.empty() ? "" : "\n") + text;
    }
    return out;
}

std::string render(const Fields& f) {
    std::size_t label_width = 0;
    for (const auto& item : f.items) label_width = std::max(label_width, width(one_line(item.label)));
    std::string out;
    for (const auto& item : f.items) {
        if (!out.empty()) out += '\n';
        // Continuation lines of a multi-line value line up under its first line.
        const std::string indent = item.label.empty() ? std::string() : std::string(label_width + 2, ' ');
        if (!item.label.empty()) out += pad(one_line(item.label) + ":", label_width + 1) + " ";
        const auto lines = lines_of(item.value);
        for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" + indent : std::string()) + lines[i];
        out = rtrim(std::move(out));
    }
    return out;
}

std::string render(const Table& t) {
    std::size_t ncols = t.columns.size();
    for (const auto& row : t.rows) ncols = std::max(ncols, row.size());
    if (ncols == 0) return {};
    auto cells_of = [ncols](const std::vector<std::string>& row) {
        std::vector<std::string> cells(ncols);
        for (std::size_t c = 0; c < row.size(); ++c) cells[c] = one_line(row[c]);
        return cells;
    };
    std::vector<std::vector<std::string>> rows{cells_of(t.columns)};
    for (const auto& row : t.rows) rows.push_back(cells_of(row));
    std::vector<std::size_t> widths(ncols, 1);
    for (const auto& row : rows)
        for (std::size_t c = 0; c < ncols; ++c) widths[c] = std::max(widths[c], width(row[c]));

    auto line = [&widths](const std::vector<std::string>& cells) {
        std::string out;
        for (std::size_t c = 0; c < cells.size(); ++c) out += (c ? "  " : "") + pad(cells[c], widths[c]);
        return rtrim(std::move(out));
    };
    std::vector<std::string> rule(ncols);
    for (std::size_t c = 0; c < ncols; ++c) rule[c] = std::string(widths[c], '-');

    std::string out = line(rows[0]) + "\n" + line(rule);
    for (std::size_t r = 1; r < rows.size(); ++r) out += "\n" + line(rows[r]);
    if (rows.size() == 1) out += "\n(no rows)";
    return out;
}

std::string render(const Chips& chips) {
    std::string out;
    for (const auto& chip : chips.items) {
        const char* tag = chip.status == Status::ok     ? "[ok]"
                          : chip.status == Status::warn ? "[warn]"
                          : chip.status == Status::bad  ? "[bad]"
                                                        : "[unknown]";
        out += (out.empty() ? "" : "  ") + std::string(tag) + " " + one_line(chip.label);
    }
    return out;
}

std::string render(const Actions& a) {
    if (a.buttons.empty()) return {};
    std::string out = "Buttons:";
    for (const auto& b : a.buttons) out += " [" + one_line(b.label.empty() ? b.action_id : b.label) + "]";
    return out;
}

std::string render(const Context& c) {
    const std::string text = rtrim(simplify_mrkdwn(c.text));
    if (text.find_first_not_of(" \t\n") == std::string::npos) return {};
    std::string out;
    for (const auto& l : lines_of(text)) out += (out.empty() ? "  " : "\n  ") + l;
    return out;
}

// "[#######---] 3/4 replicas ready": ASCII, so it survives any terminal and log.
std::string render(const ProgressBar& p) {
    constexpr int width = 10;
    const int filled = progress_cells(p, width);
    std::string out = "[" + std::string(filled, '#') + std::string(width - filled, '-') + "] " + std::to_string(p.done) +
                      "/" + std::to_string(p.total);
    if (const std::string label = one_line(p.label); !label.empty()) out += " " + label;
    return out;
}

std::string render(const Divider&) { return std::string(40, '-'); }

}  // namespace

std::string render_plain_text(const Reply& reply) {
    std::string out;
    for (const Block& block : reply.blocks) {
        std::string part = std::visit([](const auto& b) { return render(b); }, block);
        if (part.find_first_not_of(" \t\n") == std::string::npos) continue;
        out += (out.empty() ? "" : "\n\n") + part;
    }
    // A reply without visible blocks still says something.
    if (out.empty()) out = rtrim(simplify_mrkdwn(reply.summary));
    return out + "\n";
}

}  // namespace hpops::bot
