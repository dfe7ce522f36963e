// The value parsers behind the config loader: durations, sizes, host:port,
// and the did-you-mean suggestion for a misspelt key.
#include "common/config_values.hpp"

#include <gtest/gtest.h>

#include "common/text_similarity.hpp"

namespace hpops {
namespace {

using namespace std::chrono_literals;

TEST(ConfigLoaderValues, ParsesDurations) {
    EXPECT_EQ(parse_duration("0"), 0ms);
    EXPECT_EQ(parse_duration("500ms"), 500ms);
    EXPECT_EQ(parse_duration("10s"), 10s);
    EXPECT_EQ(parse_duration("2m"), 2min);
    EXPECT_EQ(parse_duration("1h"), 1h);
    EXPECT_EQ(parse_duration("1m30s"), 90s);
    EXPECT_EQ(parse_duration("35d"), 35 * 24h);
    EXPECT_EQ(parse_duration("1d12h"), 36h);
    EXPECT_EQ(parse_duration(" 5s "), 5s);
    for (const char* bad : {"", "10", "s", "1.5s", "-1s", "10 sec", "5w", "99999999999999999999h"})
        EXPECT_EQ(parse_duration(bad), std::nullopt) << bad;
}

TEST(ConfigLoaderValues, ParsesSizes) {
    EXPECT_EQ(parse_size("1024"), 1024u);
    EXPECT_EQ(parse_size("1MiB"), 1u << 20);
    EXPECT_EQ(parse_size("1 MiB"), 1u << 20);
    EXPECT_EQ(parse_size("64KiB"), 64u << 10);
    EXPECT_EQ(parse_size("2MB"), 2'000'000u);
    EXPECT_EQ(parse_size("10B"), 10u);
    for (const char* bad : {"", "MiB", "1.5MiB", "-1", "1 TB", "1mib", "99999999999999999999GiB"})
        EXPECT_EQ(parse_size(bad), std::nullopt) << bad;
}

TEST(ConfigLoaderValues, ParsesHostPort) {
    std::string why;
    auto v4 = parse_host_port("10.0.0.1:443", why);
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->host, "10.0.0.1");
    EXPECT_EQ(v4->port, 443);
    auto v6 = parse_host_port("[::]:65535", why);
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "::");
    EXPECT_EQ(v6->port, 65535);
    for (const char* bad : {"", "host", "host:", "host:x", "host:-1", "[::1]", "[::1:80", "[]:80", "a b:80"}) {
        why.clear();
        EXPECT_FALSE(parse_host_port(bad, why)) << bad;
        EXPECT_FALSE(why.empty()) << bad;
    }
}

TEST(ConfigLoaderValues, SuggestsCloseNames) {
    EXPECT_EQ(closest_match("thread", {"listen", "threads"}), "threads");
    EXPECT_EQ(closest_match("Listen", {"listen", "threads"}), "listen");
    EXPECT_EQ(closest_match("zzz", {"listen", "threads"}), "");
    EXPECT_EQ(closest_match("tls", {"log", "tls"}), "tls");
}

}  // namespace
}  // namespace hpops
