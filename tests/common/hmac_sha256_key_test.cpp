#include <gtest/gtest.h>

#include <string>

#include "common/crypto.hpp"
#include "common/hmac_sha256_key.hpp"

using namespace hpops;

namespace {

std::string hex(const HmacSha256Key::Digest& digest) {
    return to_hex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace

// RFC 4231, test cases 1, 2 and 6 (a key longer than the block is hashed first).
TEST(HmacSha256Key, MatchesRfc4231) {
    EXPECT_EQ(hex(HmacSha256Key(std::string(20, '\x0b')).sign({"Hi There"})),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    EXPECT_EQ(hex(HmacSha256Key("Jefe").sign({"what do ya want for nothing?"})),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_EQ(hex(HmacSha256Key(std::string(131, '\xaa')).sign({"Test Using Larger Than Block-Size Key - Hash Key First"})),
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

// Against OpenSSL's one-shot HMAC, across the key and message lengths where
// padding changes (empty, one block, one byte over), with the message split.
TEST(HmacSha256Key, AgreesWithOneShotHmacForEveryLengthAndSplit) {
    for (std::size_t key_size : {0, 1, 32, 63, 64, 65, 200}) {
        std::string key;
        for (std::size_t i = 0; i < key_size; ++i) key.push_back(static_cast<char>(i * 7 + 1));
        const HmacSha256Key prepared(key);
        for (std::size_t size : {0, 1, 55, 56, 64, 65, 1000}) {
            std::string message;
            for (std::size_t i = 0; i < size; ++i) message.push_back(static_cast<char>(i * 13 + key_size));
            const std::string expected = to_hex(hmac_sha256(key, message));
            const std::string_view view = message;
            EXPECT_EQ(hex(prepared.sign({view})), expected) << key_size << "/" << size;
            const std::size_t cut = size / 3;
            EXPECT_EQ(hex(prepared.sign({view.substr(0, cut), "", view.substr(cut)})), expected) << key_size << "/" << size;
        }
    }
}

TEST(HmacSha256Key, SignsRepeatedlyAndSurvivesAMove) {
    HmacSha256Key first("secret");
    const auto once = first.sign({"message"});
    EXPECT_EQ(first.sign({"message"}), once);  // the pads are not consumed by signing
    HmacSha256Key moved = std::move(first);
    EXPECT_EQ(moved.sign({"mess", "age"}), once);
    HmacSha256Key other("other");
    other = std::move(moved);
    EXPECT_EQ(other.sign({"message"}), once);
    EXPECT_NE(HmacSha256Key("secret2").sign({"message"}), once);
}
