#pragma once
// Reading a platform-neutral Reply in tests: its blocks of one kind, and the
// words a reader sees in it, so a test can look for a phrase wherever the
// renderer put it.
#include <string>
#include <variant>
#include <vector>

#include "hpops/reply.hpp"

namespace hpops::testing {

template <class T>
std::vector<T> blocks_of(const Reply& reply) {
    std::vector<T> out;
    for (const Block& b : reply.blocks)
        if (auto* x = std::get_if<T>(&b)) out.push_back(*x);
    return out;
}

// Every Text and Context block's words, one block a line.
inline std::string reply_words(const Reply& reply) {
    std::string out;
    for (const Block& b : reply.blocks) {
        if (auto* t = std::get_if<Text>(&b)) out += t->markdown + "\n";
        if (auto* c = std::get_if<Context>(&b)) out += c->text + "\n";
    }
    return out;
}

}  // namespace hpops::testing
