#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bot/server/http_message.hpp"

using hpops::bot::HttpHeaders;
using hpops::bot::HttpIn;

TEST(HttpHeaders, LowerCasesNamesAndKeepsValuesAsSent) {
    HttpHeaders headers;
    headers.add("X-Slack-Signature", "v0=ABC");
    headers.add("Content-Type", "application/x-www-form-urlencoded");
    EXPECT_EQ(headers.find("x-slack-signature"), "v0=ABC");
    EXPECT_EQ(headers.find("content-type"), "application/x-www-form-urlencoded");
    EXPECT_EQ(headers.find("X-Slack-Signature"), "");  // lookups take the lower-case name
    EXPECT_EQ(headers.find("absent"), "");
}

TEST(HttpHeaders, FirstValueWinsAndRepeatsAreCounted) {
    HttpHeaders headers{{"Authorization", "first"}, {"authorization", "second"}, {"host", ""}};
    EXPECT_EQ(headers.find("authorization"), "first");
    EXPECT_EQ(headers.count("authorization"), 2u);
    EXPECT_EQ(headers.count("host"), 1u);  // an empty value is still a header
    EXPECT_EQ(headers.count("absent"), 0u);
}

TEST(HttpHeaders, VisitsEveryHeaderInOrderAndStopsWhenAsked) {
    HttpHeaders headers{{"A", "1"}, {"B", ""}, {"C", "3"}};
    std::vector<std::string> seen;
    headers.for_each([&](std::string_view name, std::string_view value) {
        seen.push_back(std::string(name) + "=" + std::string(value));
        return false;
    });
    EXPECT_EQ(seen, (std::vector<std::string>{"a=1", "b=", "c=3"}));
    int visited = 0;
    headers.for_each([&](std::string_view name, std::string_view) { return ++visited, name == "b"; });
    EXPECT_EQ(visited, 2);
    HttpHeaders empty;
    empty.for_each([&](std::string_view, std::string_view) { return ADD_FAILURE(), true; });
}

TEST(HttpIn, HeaderReadsTheList) {
    HttpIn in;
    in.headers.add("X-Slack-Request-Timestamp", "1531420618");
    EXPECT_EQ(in.header("x-slack-request-timestamp"), "1531420618");
}
