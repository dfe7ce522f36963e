#include <gtest/gtest.h>

#include "hpops/reply.hpp"

using namespace hpops;

namespace {

std::string text_of(const Block& block) { return std::get<Text>(block).markdown; }

}  // namespace

TEST(ReplyBlocks, CopiesShareBlocksUntilOneIsChanged) {
    Reply original;
    original.text("one").text("two");
    Reply copy = original;
    ASSERT_EQ(copy.blocks.size(), 2u);
    EXPECT_EQ(&copy.blocks[0], &original.blocks[0]);  // shared, not copied

    copy.text("three");  // the copy gets its own blocks; the original keeps its two
    EXPECT_NE(&copy.blocks[0], &original.blocks[0]);
    EXPECT_EQ(original.blocks.size(), 2u);
    ASSERT_EQ(copy.blocks.size(), 3u);
    EXPECT_EQ(text_of(copy.blocks[2]), "three");

    std::get<Text>(original.blocks.edit()[0]).markdown = "changed";
    EXPECT_EQ(text_of(original.blocks[0]), "changed");
    EXPECT_EQ(text_of(copy.blocks[0]), "one");
}

TEST(ReplyBlocks, AnEmptyReplyHasNoBlocksAndCanGrow) {
    Reply empty;
    EXPECT_TRUE(empty.blocks.empty());
    EXPECT_EQ(empty.blocks.begin(), empty.blocks.end());
    Reply copy = empty;
    copy.divider();
    EXPECT_TRUE(empty.blocks.empty());
    EXPECT_EQ(copy.blocks.size(), 1u);
    copy.blocks = {Heading{"h"}, Context{"c"}};
    EXPECT_EQ(copy.blocks.size(), 2u);
    EXPECT_TRUE(std::holds_alternative<Context>(copy.blocks.back()));
}

TEST(ReplyBlocks, AnOwnerThatIsNotSharedChangesInPlace) {
    Reply reply;
    reply.text("a");
    std::vector<Block>* list = &reply.blocks.edit();
    EXPECT_EQ(&reply.blocks.edit(), list);  // no copy when nobody else holds the list
    Reply copy = reply;
    EXPECT_NE(&reply.blocks.edit(), list);  // shared now: the editor gets its own
    EXPECT_EQ(&copy.blocks[0], &list->front());
}
