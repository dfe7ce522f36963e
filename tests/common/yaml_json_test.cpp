#include "common/yaml_json.hpp"

#include <gtest/gtest.h>

namespace hpops {
namespace {

TEST(YamlJson, PlainScalarsAreTypedAsTheApiReadsThemAndQuotedOnesStayStrings) {
    const auto docs = yaml_documents_as_json(
        "a: true\nb: 12\nc: '12'\nd: \"true\"\ne: 1200Gi\nf: ~\ng: [x, 2, false]\nh: {i: j}\nk: -3\n");
    ASSERT_EQ(docs.size(), 1u);
    const auto& d = docs[0];
    EXPECT_EQ(d["a"], true);
    EXPECT_EQ(d["b"], 12);
    EXPECT_EQ(d["c"], "12");
    EXPECT_EQ(d["d"], "true");
    EXPECT_EQ(d["e"], "1200Gi");
    EXPECT_TRUE(d["f"].is_null());
    EXPECT_EQ(d["g"], nlohmann::json::parse(R"(["x", 2, false])"));
    EXPECT_EQ(d["h"]["i"], "j");
    EXPECT_EQ(d["k"], -3);
}

TEST(YamlJson, EveryMappingDocumentOfAStreamInOrder) {
    const auto docs = yaml_documents_as_json("# only a comment\n---\nkind: A\n---\n---\nkind: B\n");
    ASSERT_EQ(docs.size(), 2u);
    EXPECT_EQ(docs[0]["kind"], "A");
    EXPECT_EQ(docs[1]["kind"], "B");
    EXPECT_THROW(yaml_documents_as_json("a: [unclosed\n"), std::exception);
}

}  // namespace
}  // namespace hpops
