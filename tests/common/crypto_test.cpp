#include "common/crypto.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <random>

#include "bot/slack/form_decode.hpp"

using namespace hpops;
using namespace hpops::bot;

TEST(Crypto, HmacSha256MatchesRfc4231Case2) {
    EXPECT_EQ(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, Sha256OfEmptyString) {
    EXPECT_EQ(to_hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Crypto, ConstantTimeEqual) {
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "ab"));
}

TEST(Crypto, Base64UrlRoundTripsEveryLength) {
    std::string bytes;
    for (int i = 0; i < 40; ++i) {
        auto decoded = base64url_decode(base64url_encode(bytes));
        ASSERT_TRUE(decoded);
        EXPECT_EQ(*decoded, bytes);
        bytes.push_back(static_cast<char>(i * 37 + 200));
    }
    EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
    EXPECT_FALSE(base64url_decode("ab$d"));
    EXPECT_FALSE(base64url_decode("a"));
}

TEST(FormDecode, DecodesSlackFields) {
    auto form = decode_form("text=scale+ng+spot-ng%20desired%3D3&user_id=U1&empty=&flag");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->find("text"), "scale ng spot-ng desired=3");
    EXPECT_EQ(form->find("user_id"), "U1");
    EXPECT_EQ(form->find("empty"), "");
    EXPECT_EQ(form->find("flag"), "");
    EXPECT_EQ(form->find("absent"), std::nullopt);
    EXPECT_EQ(form->value_or_empty("absent"), "");
    EXPECT_EQ(form->size(), 4u);
}

TEST(FormDecode, MatchesEscapedKeysAndSurvivesMoves) {
    auto form = decode_form("a%3Db=1&c+d=2&x=%E2%9C%93");
    ASSERT_TRUE(form);
    FormFields moved = std::move(*form);  // a short body lives inside the string: offsets, not views
    EXPECT_EQ(moved.find("a=b"), "1");
    EXPECT_EQ(moved.find("c d"), "2");
    EXPECT_EQ(moved.find("x"), "\xE2\x9C\x93");
    EXPECT_EQ(moved.find("a%3Db"), std::nullopt);  // keys compare decoded
}

TEST(FormDecode, RejectsMalformedBodies) {
    EXPECT_FALSE(decode_form("text=%zz"));
    EXPECT_FALSE(decode_form("text=%4"));
    EXPECT_FALSE(decode_form("text=%"));
    EXPECT_FALSE(decode_form("a=1&a=2"));  // a repeated field is ambiguous: refuse it
    EXPECT_FALSE(decode_form("a=1&%61=2"));  // the same key, escaped
    EXPECT_FALSE(decode_form("x=1&bad=%G0"));  // a bad escape in a field nobody reads is still refused
    std::string many;
    for (std::size_t i = 0; i <= FormFields::max_fields; ++i) many += "k" + std::to_string(i) + "=v&";
    EXPECT_FALSE(decode_form(many));
    EXPECT_TRUE(decode_form(many.substr(0, many.find("k128="))));
}

namespace {

// The straightforward decoder this one replaced: split, unescape everything
// into a map. Both must agree on every body, valid or not.
std::optional<std::map<std::string, std::string>> reference_decode(std::string_view body) {
    auto unescape = [](std::string_view in) -> std::optional<std::string> {
        std::string out;
        for (std::size_t i = 0; i < in.size(); ++i) {
            if (in[i] == '+') {
                out += ' ';
            } else if (in[i] == '%') {
                if (i + 2 >= in.size() || !std::isxdigit(static_cast<unsigned char>(in[i + 1])) ||
                    !std::isxdigit(static_cast<unsigned char>(in[i + 2])))
                    return std::nullopt;
                out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
                i += 2;
            } else {
                out += in[i];
            }
        }
        return out;
    };
    std::map<std::string, std::string> fields;
    while (!body.empty()) {
        const auto amp = body.find('&');
        const std::string_view pair = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        auto key = unescape(pair.substr(0, eq));
        auto value = unescape(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
        if (!key || !value || !fields.emplace(*key, *value).second) return std::nullopt;
    }
    return fields;
}

}  // namespace

TEST(FormDecode, AgreesWithAStraightforwardDecoderOnRandomBodies) {
    std::mt19937 random(20261123);
    const std::string alphabet = "ab=&%+0F9g";
    int valid = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string body;
        for (int n = static_cast<int>(random() % 24); n > 0; --n) body += alphabet[random() % alphabet.size()];
        const auto expected = reference_decode(body);
        const auto form = decode_form(body);
        ASSERT_EQ(form.has_value(), expected.has_value()) << body;
        if (!expected) continue;
        ++valid;
        ASSERT_EQ(form->size(), expected->size()) << body;
        for (const auto& [key, value] : *expected) ASSERT_EQ(form->find(key), value) << body << " key " << key;
    }
    EXPECT_GT(valid, 2000);  // the alphabet makes valid bodies common enough to compare values
}

TEST(FormDecode, EncodesComponents) {
    EXPECT_EQ(form_encode_component("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    EXPECT_EQ(decode_form("x=" + form_encode_component("a b&c=d/é"))->find("x"), "a b&c=d/é");
}
