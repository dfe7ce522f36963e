#include "integrations/mlflow/json_cursor.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "common/text.hpp"

namespace hpops::integrations::mlflow {

namespace {

// Bytes a string may hold as they are: printable ASCII but the quote and backslash.
constexpr std::array<bool, 256> plain_table = [] {
    std::array<bool, 256> table{};
    for (int c = 0x20; c < 0x80; ++c) table[c] = c != '"' && c != '\\';
    return table;
}();

bool plain(char c) { return plain_table[static_cast<unsigned char>(c)]; }

// Whether any of 8 bytes is not plain (quote, backslash, control or
// non-ASCII): lets long strings be scanned a word at a time.
bool any_special(std::uint64_t x) {
    constexpr std::uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
    auto has_zero = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
    const std::uint64_t below_space = (x - 0x20 * ones) & ~x & highs;
    return ((has_zero(x ^ ('"' * ones)) | has_zero(x ^ ('\\' * ones)) | below_space | x) & highs) != 0;
}

bool digit(char c) { return c >= '0' && c <= '9'; }

unsigned hex_digit(char c) {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
    throw NotJson{};
}

// Length of the well-formed UTF-8 sequence (RFC 3629, as nlohmann checks it)
// starting at a non-ASCII byte.
std::ptrdiff_t utf8_length(const char* p, const char* end) {
    const auto b = [&](std::ptrdiff_t i) { return p + i < end ? static_cast<unsigned char>(p[i]) : 0u; };
    const auto in = [](unsigned v, unsigned lo, unsigned hi) { return v >= lo && v <= hi; };
    const unsigned lead = b(0);
    if (in(lead, 0xC2, 0xDF) && in(b(1), 0x80, 0xBF)) return 2;
    if (lead == 0xE0 && in(b(1), 0xA0, 0xBF) && in(b(2), 0x80, 0xBF)) return 3;
    if ((in(lead, 0xE1, 0xEC) || in(lead, 0xEE, 0xEF)) && in(b(1), 0x80, 0xBF) && in(b(2), 0x80, 0xBF)) return 3;
    if (lead == 0xED && in(b(1), 0x80, 0x9F) && in(b(2), 0x80, 0xBF)) return 3;
    if (lead == 0xF0 && in(b(1), 0x90, 0xBF) && in(b(2), 0x80, 0xBF) && in(b(3), 0x80, 0xBF)) return 4;
    if (in(lead, 0xF1, 0xF3) && in(b(1), 0x80, 0xBF) && in(b(2), 0x80, 0xBF) && in(b(3), 0x80, 0xBF)) return 4;
    if (lead == 0xF4 && in(b(1), 0x80, 0x8F) && in(b(2), 0x80, 0xBF) && in(b(3), 0x80, 0xBF)) return 4;
    throw NotJson{};
}

}  // namespace

std::optional<double> double_of(std::string_view number) {
    double out = 0;
    const char* end = number.data() + number.size();
    const auto [stop, ec] = std::from_chars(number.data(), end, out);
    if (ec == std::errc::result_out_of_range)
        // from_chars gives no value on underflow; strtod gives 0 or a subnormal, as nlohmann does.
        out = std::strtod(std::string(number).c_str(), nullptr);
    else if (ec != std::errc{} || stop != end)
        return std::nullopt;
    if (!std::isfinite(out)) return std::nullopt;
    return out;
}

JsonCursor::JsonCursor(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {
    if (text.starts_with("\xEF\xBB\xBF")) p_ += 3;
}

void JsonCursor::skip_whitespace() {
    while (p_ < end_) {
        switch (*p_) {
        case ' ':
            // MLflow indents its answers (json.dumps, indent=2): spaces go 8 at a time.
            for (std::uint64_t word; end_ - p_ >= 8; p_ += 8) {
                std::memcpy(&word, p_, 8);
                if (word != 0x2020202020202020) break;
            }
            while (p_ < end_ && *p_ == ' ') ++p_;
            break;
        case '\n':
        case '\r':
        case '\t': ++p_; break;
        default: return;
        }
    }
}

void JsonCursor::expect(char c) {
    skip_whitespace();
    if (p_ == end_ || *p_ != c) throw NotJson{};
    ++p_;
}

JsonType JsonCursor::peek() {
    skip_whitespace();
    if (p_ == end_) throw NotJson{};
    switch (*p_) {
    case '{': return JsonType::object;
    case '[': return JsonType::array;
    case '"': return JsonType::string;
    case 't':
    case 'f': return JsonType::boolean;
    case 'n': return JsonType::null;
    default:
        if (*p_ == '-' || digit(*p_)) return JsonType::number;
        throw NotJson{};
    }
}

void JsonCursor::begin_object() {
    expect('{');
    after_open_ = true;
}

void JsonCursor::begin_array() {
    expect('[');
    after_open_ = true;
}

std::optional<std::string_view> JsonCursor::next_member() {
    skip_whitespace();
    if (p_ < end_ && *p_ == '}') {
        ++p_;
        after_open_ = false;
        return std::nullopt;
    }
    if (!after_open_) expect(',');
    after_open_ = false;
    skip_whitespace();
    if (p_ == end_ || *p_ != '"') throw NotJson{};
    const std::string_view key = string();
    expect(':');
    return key;
}

bool JsonCursor::next_element() {
    skip_whitespace();
    if (p_ < end_ && *p_ == ']') {
        ++p_;
        after_open_ = false;
        return false;
    }
    if (!after_open_) expect(',');
    after_open_ = false;
    return true;
}

template <bool Decode>
void JsonCursor::scan_string(std::string* out) {
    for (;;) {
        const char* run = p_;
        for (std::uint64_t word; end_ - p_ >= 8; p_ += 8) {
            std::memcpy(&word, p_, 8);
            if (any_special(word)) break;
        }
        while (p_ < end_ && plain(*p_)) ++p_;
        if constexpr (Decode) out->append(run, p_);
        if (p_ == end_) throw NotJson{};
        const auto c = static_cast<unsigned char>(*p_);
        if (c == '"') {
            ++p_;
            return;
        }
        if (c < 0x20) throw NotJson{};  // control characters must be escaped
        if (c >= 0x80) {
            const std::ptrdiff_t n = utf8_length(p_, end_);
            if constexpr (Decode) out->append(p_, static_cast<std::size_t>(n));
            p_ += n;
            continue;
        }
        // A backslash.
        if (++p_ == end_) throw NotJson{};
        char plain_char = 0;
        switch (*p_++) {
        case '"': plain_char = '"'; break;
        case '\\': plain_char = '\\'; break;
        case '/': plain_char = '/'; break;
        case 'b': plain_char = '\b'; break;
        case 'f': plain_char = '\f'; break;
        case 'n': plain_char = '\n'; break;
        case 'r': plain_char = '\r'; break;
        case 't': plain_char = '\t'; break;
        case 'u': {
            auto hex4 = [&] {
                if (end_ - p_ < 4) throw NotJson{};
                std::uint32_t v = 0;
                for (int i = 0; i < 4; ++i) v = v << 4 | hex_digit(*p_++);
                return v;
            };
            std::uint32_t cp = hex4();
            if (cp >= 0xDC00 && cp <= 0xDFFF) throw NotJson{};  // a low surrogate alone
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') throw NotJson{};
                p_ += 2;
                const std::uint32_t low = hex4();
                if (low < 0xDC00 || low > 0xDFFF) throw NotJson{};
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            }
            if constexpr (Decode) append_utf8(*out, cp);
            continue;
        }
        default: throw NotJson{};
        }
        if constexpr (Decode) *out += plain_char;
    }
}

std::string_view JsonCursor::string() {
    expect('"');
    // Most strings have no escapes: hand back a view of the text itself.
    const char* start = p_;
    while (p_ < end_ && plain(*p_)) ++p_;
    if (p_ < end_ && *p_ == '"') return {start, static_cast<std::size_t>(p_++ - start)};
    scratch_.assign(start, p_);
    scan_string<true>(&scratch_);
    return scratch_;
}

void JsonCursor::string_into(std::string& out) {
    expect('"');
    out.clear();
    scan_string<true>(&out);
}

void JsonCursor::scan_number() {
    const char* start = p_;
    if (p_ < end_ && *p_ == '-') ++p_;
    if (p_ == end_ || !digit(*p_)) throw NotJson{};
    if (*p_++ != '0')
        while (p_ < end_ && digit(*p_)) ++p_;
    bool may_overflow = false;
    if (p_ < end_ && *p_ == '.') {
        if (++p_ == end_ || !digit(*p_)) throw NotJson{};
        while (p_ < end_ && digit(*p_)) ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
        may_overflow = true;
        if (++p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
        if (p_ == end_ || !digit(*p_)) throw NotJson{};
        while (p_ < end_ && digit(*p_)) ++p_;
    }
    // nlohmann refuses a number whose double is infinite: only an exponent,
    // or more digits than DBL_MAX has, can get there.
    if ((may_overflow || p_ - start > 300) && !double_of({start, static_cast<std::size_t>(p_ - start)}))
        throw NotJson{};
}

std::string_view JsonCursor::number() {
    skip_whitespace();
    const char* start = p_;
    scan_number();
    return {start, static_cast<std::size_t>(p_ - start)};
}

void JsonCursor::scan_literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0)
        throw NotJson{};
    p_ += word.size();
}

void JsonCursor::key_then_colon() {
    expect('"');
    scan_string<false>(nullptr);
    expect(':');
}

void JsonCursor::skip() {
    open_.clear();
    for (;;) {
        // A value.
        switch (peek()) {
        case JsonType::object:
        case JsonType::array: {
            const char close = *p_++ == '{' ? '}' : ']';
            skip_whitespace();
            if (p_ < end_ && *p_ == close) {
                ++p_;
                break;
            }
            open_.push_back(close);
            if (close == '}') key_then_colon();
            continue;
        }
        case JsonType::string:
            ++p_;
            scan_string<false>(nullptr);
            break;
        case JsonType::number: scan_number(); break;
        case JsonType::boolean: scan_literal(*p_ == 't' ? "true" : "false"); break;
        case JsonType::null: scan_literal("null"); break;
        }
        // Close what ends here; a comma means another value in the innermost container.
        for (;;) {
            if (open_.empty()) return;
            skip_whitespace();
            if (p_ == end_) throw NotJson{};
            if (*p_ == open_.back()) {
                ++p_;
                open_.pop_back();
                continue;
            }
            if (*p_ != ',') throw NotJson{};
            ++p_;
            if (open_.back() == '}') key_then_colon();
            break;
        }
    }
}

void JsonCursor::finish() {
    skip_whitespace();
    // nlohmann takes a NUL byte for the end of the text (C strings), whatever follows.
    if (p_ != end_ && *p_ != '\0') throw NotJson{};
}

}  // namespace hpops::integrations::mlflow
