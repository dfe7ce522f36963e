#include "integrations/aws/sigv4_canonical.hpp"

#include <gtest/gtest.h>

using namespace hpops::integrations::aws;

TEST(SigV4Encoding, KeepsOnlyUnreservedCharacters) {
    EXPECT_EQ(uri_encode("AZaz09-_.~", true), "AZaz09-_.~");
    EXPECT_EQ(uri_encode("a b/c*+=%", true), "a%20b%2Fc%2A%2B%3D%25");
    EXPECT_EQ(uri_encode("a b/c", false), "a%20b/c");
    EXPECT_EQ(uri_encode("\xe1\x88\xb4", true), "%E1%88%B4");
}

TEST(SigV4Encoding, DecodesOnlyWellFormedEscapes) {
    EXPECT_EQ(uri_decode("%e1%88%B4+%7E"), "\xe1\x88\xb4+~");
    EXPECT_EQ(uri_decode("100%"), "100%");
    EXPECT_EQ(uri_decode("%zz%4"), "%zz%4");
}

TEST(SigV4Url, SplitsAbsoluteUrls) {
    const auto parts = split_url("https://User@EKS.us-west-2.amazonaws.com:443/clusters/a?x=1#frag");
    EXPECT_EQ(parts.scheme, "https");
    EXPECT_EQ(parts.path, "/clusters/a");
    EXPECT_EQ(parts.query, "x=1");
    EXPECT_EQ(parts.prefix, "https://User@EKS.us-west-2.amazonaws.com:443/clusters/a");
    EXPECT_EQ(parts.host_header(), "eks.us-west-2.amazonaws.com");

    EXPECT_EQ(split_url("http://127.0.0.1:5000").host_header(), "127.0.0.1:5000");
    EXPECT_EQ(split_url("http://127.0.0.1:5000").path, "");
    EXPECT_EQ(split_url("http://h:80?q").host_header(), "h");
    EXPECT_EQ(split_url("https://[::1]:8443/").host_header(), "[::1]:8443");
    EXPECT_EQ(split_url("https://[::1]/").host_header(), "[::1]");
    EXPECT_THROW(split_url("eks.amazonaws.com/clusters"), std::invalid_argument);
    EXPECT_THROW(split_url("https:///path"), std::invalid_argument);
}

TEST(SigV4Path, RemovesDotSegmentsLikeBotocore) {
    EXPECT_EQ(remove_dot_segments("/a/b/../c/./d"), "/a/c/d");
    EXPECT_EQ(remove_dot_segments("/a/b/.."), "/a");
    EXPECT_EQ(remove_dot_segments("/.."), "/");
    EXPECT_EQ(remove_dot_segments("//x//"), "/x/");
    EXPECT_EQ(remove_dot_segments(""), "");
}

TEST(SigV4Path, DoubleEncodesExceptForS3) {
    EXPECT_EQ(canonical_uri("", true, true), "/");
    EXPECT_EQ(canonical_uri("/caf%C3%A9%20menu", true, true), "/caf%25C3%25A9%2520menu");
    EXPECT_EQ(canonical_uri("/caf%C3%A9%20menu", false, false), "/caf%C3%A9%20menu");
    // S3: an encoded slash stays inside its key segment; dots stay.
    EXPECT_EQ(canonical_uri("/a%2Fb/./c d", false, false), "/a%2Fb/./c%20d");
}

TEST(SigV4Query, SortsEncodedPairs) {
    const auto params = parse_query("b=2&a=%7e&a=1&&c&d=x+y&%E1%88%B4=");
    ASSERT_EQ(params.size(), 6u);
    EXPECT_EQ(params[1], (std::pair<std::string, std::string>{"a", "~"}));
    EXPECT_EQ(encode_query(params, true), "%E1%88%B4=&a=1&a=~&b=2&c=&d=x%2By");
    EXPECT_EQ(encode_query(params, false), "b=2&a=~&a=1&c=&d=x%2By&%E1%88%B4=");
}

TEST(SigV4Headers, TrimsFoldsJoinsAndSkipsHopByHop) {
    const HeaderList headers = {{"Host", "example.amazonaws.com"}, {"X-B", "  one \t two  "}, {"x-a", "v1\r\n   v2"},
                                {"X-B", "three"},                    {"User-Agent", "hpops"},  {"Connection", "close"}};
    const auto canonical = canonical_headers(headers);
    EXPECT_EQ(canonical.text, "host:example.amazonaws.com\nx-a:v1 v2\nx-b:one two,three\n");
    EXPECT_EQ(canonical.signed_names, "host;x-a;x-b");
    EXPECT_TRUE(is_unsigned_header("expect"));
    EXPECT_FALSE(is_unsigned_header("content-type"));
}

TEST(SigV4Headers, CanonicalRequestLayout) {
    const auto request = canonical_request("GET", "/", {{"b", "2"}, {"a", "1"}}, {{"Host", "h"}}, "HASH", true, true);
    EXPECT_EQ(request.text, "GET\n/\na=1&b=2\nhost:h\n\nhost\nHASH");
    EXPECT_EQ(request.signed_headers, "host");
}
