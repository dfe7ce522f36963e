#include "bot/crypto.hpp"

#include <gtest/gtest.h>

#include "bot/form_decode.hpp"

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

TEST(FormDecode, EncodesComponents) {
    EXPECT_EQ(form_encode_component("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    EXPECT_EQ(decode_form("x=" + form_encode_component("a b&c=d/é"))->find("x"), "a b&c=d/é");
}
