#pragma once
// A forward-only reader over JSON text, for answers read straight into
// hpops types without building a tree: nlohmann's lexer alone takes 19 ms
// over a 1,000-run runs/search answer (3.76 MB), this cursor checks it in
// about 2 (bench/README.md). It accepts exactly what nlohmann::json::parse
// accepts: RFC 8259, UTF-8 checked, a leading UTF-8 BOM skipped, no
// comments, numbers that overflow a double refused. Anything else throws
// NotJson. skip() has no depth limit (it keeps a stack, not recursion).
//
//   JsonCursor in(text);
//   in.begin_object();
//   while (auto key = in.next_member()) { if (*key == "runs") ...; else in.skip(); }
//   in.finish();
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hpops::integrations::mlflow {

struct NotJson {};

enum class JsonType { object, array, string, number, boolean, null };

class JsonCursor {
public:
    explicit JsonCursor(std::string_view text);

    // The type of the next value, after any whitespace.
    JsonType peek();

    // Containers: begin_*, then next_member()/next_element() until it says
    // there is no more, consuming each value (read or skip) in between.
    void begin_object();
    // The next member's key (valid until the next call on the cursor), or
    // nothing when the object closed.
    std::optional<std::string_view> next_member();
    void begin_array();
    bool next_element();

    // Scalars. string() decodes escapes; the view lives until the next call.
    std::string_view string();
    void string_into(std::string& out);
    std::string_view number();  // the number's text, checked
    void skip();                // any value, checked all through
    // Only whitespace may follow the top-level value.
    void finish();

private:
    void skip_whitespace();
    void expect(char c);
    void key_then_colon();
    template <bool Decode>
    void scan_string(std::string* out);
    void scan_number();
    void scan_literal(std::string_view word);

    const char* p_;
    const char* const end_;
    // True right after '{' or '[': the first member needs no comma.
    bool after_open_ = false;
    std::string scratch_;
    std::vector<char> open_;  // skip(): the brackets it is inside, without recursion
};

// A JSON number's text as the nearest double, as nlohmann reads it: values
// too small for a double read as 0 (or subnormal); too large, nullopt.
std::optional<double> double_of(std::string_view number);

}  // namespace hpops::integrations::mlflow
