#include "integrations/mlflow/json_cursor.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hpops/errors.hpp"
#include "integrations/mlflow/mlflow_json.hpp"

namespace hpops::integrations::mlflow {
namespace {

bool cursor_accepts(std::string_view text) {
    try {
        JsonCursor in(text);
        in.skip();
        in.finish();
        return true;
    } catch (const NotJson&) {
        return false;
    }
}

// The cursor replaced nlohmann's parser for MLflow answers: it must call
// exactly the same texts JSON.
void expect_same_verdict(const std::string& text) {
    EXPECT_EQ(cursor_accepts(text), nlohmann::json::accept(text)) << "text: " << nlohmann::json(text).dump();
}

TEST(JsonCursor, AcceptsWhatNlohmannAccepts) {
    const std::vector<std::string> texts = {
        // Values and structure.
        "{}", "[]", " \t\r\n{ } \n", "0", "-0", "1", "-1", "1.5", "1e5", "1E+5", "1e-5", "-0.0e0", "true", "false",
        "null", R"("")", R"({"a":[1,{"b":null},"c"],"d":{}})", "[[[[[]]]]]", R"({"a":1,"a":2})",
        "\xEF\xBB\xBF{}",  // a UTF-8 BOM first
        // Numbers nlohmann refuses or that only look valid.
        "01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "1.5.2", "--1", "-01", "1e999", "-1e999", "1e-999",
        "123456789012345678901234567890", "18446744073709551616", "-9223372036854775809", std::string(400, '9'),
        "1" + std::string(308, '0'), "1" + std::string(309, '0') + ".5", "NaN", "Infinity", "-Infinity",
        // Strings: escapes, \u, surrogates, control characters, UTF-8.
        R"("\"\\\/\b\f\n\r\t")", R"("\u00e9\u00E9")", R"("\ud83d\ude80")", R"("\ud83d")", R"("\ude80")",
        R"("\ud83d\u0041")", R"("\ud83dx")", R"("\u12")", R"("\u12g4")", R"("\x41")", R"("\')", R"("\)", "\"a",
        "\"a\tb\"", "\"a\nb\"", std::string("\"a\0b\"", 5), "\"\x7f\"", "\"caf\xC3\xA9\"", "\"\xC3\"",
        "\"\xC0\xAF\"", "\"\xE0\x80\xAF\"", "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\"", "\"\xF0\x9F\x9A\x80\"",
        "\"\xFF\"", "\"\x80\"", "\"\xE2\x82\"", "\"" + std::string(100, 'x') + "\xE2\x82\xAC" + "\"",
        // Structure errors.
        "", " ", "{", "}", "[", "]", "[1,]", "[,1]", "[1 2]", R"({"a":1,})", R"({,"a":1})", R"({"a" 1})",
        R"({"a":})", R"({a:1})", R"({'a':1})", "{1:2}", "{} {}", "{}x", "[] ,", "tru", "nul", "falsey",
        "/* c */ {}", "{} // c", "\xEF\xBB{}", "\xEF\xBB\xBF", "[\"a\" , ]",
        // A NUL byte ends the text for nlohmann.
        std::string("{}\0x", 4), std::string("{} \0", 4), std::string("\0", 1), std::string("[1\0]", 4),
        std::string("1\0", 2)};
    for (const std::string& text : texts) expect_same_verdict(text);
}

TEST(JsonCursor, DeepNestingNeedsNoRecursion) {
    const std::string deep = std::string(200'000, '[') + std::string(200'000, ']');
    EXPECT_TRUE(cursor_accepts(deep));
    EXPECT_FALSE(cursor_accepts(std::string(200'000, '[') + std::string(199'999, ']')));
}

// Whether parse_runs_page reads the text as JSON (a shape problem is still JSON).
bool runs_reader_accepts(const std::string& text) {
    try {
        parse_runs_page(text);
        return true;
    } catch (const UpstreamError& e) {
        return e.upstream_message().find("is not JSON") == std::string::npos;
    }
}

// Mutations of a real-looking answer, compact and indented as MLflow sends
// it: deleted, added and replaced bytes that JSON's grammar cares about.
// Skipping (every value) and reading (runs/search) must agree with nlohmann
// on every one.
TEST(JsonCursor, AgreesWithNlohmannOnMutatedAnswers) {
    const std::string compact =
        R"({"runs": [{"info": {"run_id": "a\u00e9\"b", "start_time": 1710025507123, "end_time": "17"},)"
        R"( "data": {"metrics": [{"key": "loss", "value": -0.8123e-2, "step": 0}, {"value": "NaN"}],)"
        " \"tags\": [{\"key\": \"n\", \"value\": \"caf\xC3\xA9 \xF0\x9F\x9A\x80\"}]}, \"inputs\": {\"x\": [[], {}, null, true, false]}}],"
        R"( "next_page_token": "eyJvZmZzZXQiOiAyfQ=="})";
    ASSERT_TRUE(nlohmann::json::accept(compact));
    const std::string indented = nlohmann::ordered_json::parse(compact).dump(2);
    const std::string alphabet = std::string("{}[]:,\"\\ \n\t0123456789.eE+-tfnulrasu\x80\xC3\xA9\xED\x01") + '\0';
    std::mt19937 random(20261123);
    int accepted = 0;
    for (int i = 0; i < 20'000; ++i) {
        std::string text = i % 2 ? compact : indented;
        for (int edits = 1 + static_cast<int>(random() % 3); edits > 0; --edits) {
            const std::size_t at = random() % text.size();
            const char c = alphabet[random() % alphabet.size()];
            switch (random() % 3) {
            case 0: text.erase(at, 1); break;
            case 1: text.insert(at, 1, c); break;
            default: text[at] = c;
            }
        }
        const bool verdict = nlohmann::json::accept(text);
        accepted += verdict;
        ASSERT_EQ(cursor_accepts(text), verdict) << "text: " << nlohmann::json(text).dump();
        ASSERT_EQ(runs_reader_accepts(text), verdict) << "text: " << nlohmann::json(text).dump();
    }
    // Some mutants must stay JSON, or the comparison would only test refusals.
    EXPECT_GT(accepted, 1'000);
}

TEST(JsonCursor, ReadsMembersElementsAndDecodedStrings) {
    JsonCursor in(R"( {"k\u0065y": ["a\"b\\c\/\u00e9\ud83d\ude80\n", -12.5e1, true, null, {"x": [1]}], "z": {}} )");
    in.begin_object();
    auto key = in.next_member();
    ASSERT_TRUE(key);
    EXPECT_EQ(*key, "key");
    in.begin_array();
    ASSERT_TRUE(in.next_element());
    EXPECT_EQ(in.peek(), JsonType::string);
    std::string text;
    in.string_into(text);
    EXPECT_EQ(text, "a\"b\\c/\xC3\xA9\xF0\x9F\x9A\x80\n");
    ASSERT_TRUE(in.next_element());
    EXPECT_EQ(in.number(), "-12.5e1");
    ASSERT_TRUE(in.next_element());
    EXPECT_EQ(in.peek(), JsonType::boolean);
    in.skip();
    ASSERT_TRUE(in.next_element());
    EXPECT_EQ(in.peek(), JsonType::null);
    in.skip();
    ASSERT_TRUE(in.next_element());
    in.skip();
    EXPECT_FALSE(in.next_element());
    key = in.next_member();
    ASSERT_TRUE(key);
    EXPECT_EQ(*key, "z");
    in.begin_object();
    EXPECT_FALSE(in.next_member());
    EXPECT_FALSE(in.next_member());
    in.finish();
}

TEST(JsonCursor, MembersNeedCommasAndNothingTrailing) {
    auto keys = [](std::string_view text) {
        JsonCursor in(text);
        std::string out;
        in.begin_object();
        while (auto key = in.next_member()) {
            out += *key;
            in.skip();
        }
        in.finish();
        return out;
    };
    EXPECT_EQ(keys(R"({"a": 1, "b": [], "c": {}})"), "abc");
    EXPECT_EQ(keys("{}"), "");
    for (const char* bad : {R"({"a": 1 "b": 2})", R"({"a": 1,})", R"({, "a": 1})", R"({"a": 1} 2)", R"({"a" 1})",
                            R"({"a": 1)"})
        EXPECT_THROW(keys(bad), NotJson) << bad;
}

TEST(JsonCursor, NumbersAsDoubles) {
    EXPECT_EQ(double_of("0.1"), 0.1);
    EXPECT_EQ(double_of("-12.5e1"), -125.0);
    EXPECT_EQ(double_of("9007199254740993"), 9007199254740992.0);  // rounds like (double)int64
    EXPECT_EQ(double_of("1e-400"), 0.0);                            // underflow reads as zero
    EXPECT_EQ(double_of("4.9e-324"), 4.9e-324);                     // subnormals are kept
    EXPECT_FALSE(double_of("1e400"));
    EXPECT_FALSE(double_of("1.5x"));
}

}  // namespace
}  // namespace hpops::integrations::mlflow
