#include "common/log_format.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "common/log_fields.hpp"

namespace hpops::log {
namespace {

// The default logger, for the test's length, writes to a string in `format`.
class LogLines : public ::testing::Test {
protected:
    void use(Format format) {
        auto logger = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
        logger->set_level(spdlog::level::trace);
        spdlog::set_default_logger(logger);
        use_format(format);
    }
    void SetUp() override { previous_ = spdlog::default_logger(); }
    void TearDown() override { spdlog::set_default_logger(previous_); }

    std::vector<std::string> lines() const {
        std::vector<std::string> out;
        std::istringstream in(out_.str());
        for (std::string line; std::getline(in, line);) out.push_back(line);
        return out;
    }
    // Every line, each parsed on its own: a line that is not one JSON object fails.
    std::vector<nlohmann::json> objects() const {
        std::vector<nlohmann::json> out;
        for (const std::string& line : lines()) {
            auto parsed = nlohmann::json::parse(line, nullptr, false);
            EXPECT_TRUE(parsed.is_object()) << line;
            out.push_back(std::move(parsed));
        }
        return out;
    }

    std::ostringstream out_;
    std::shared_ptr<spdlog::logger> previous_;
};

TEST_F(LogLines, JsonIsOneObjectPerLineWithTimeLevelAndMessage) {
    use(Format::json);
    spdlog::info("hpops {} listening", "0.1.0");
    spdlog::warn("a warning");
    spdlog::error("an error");
    spdlog::debug("a detail");
    const auto lines = objects();
    ASSERT_EQ(lines.size(), 4u) << out_.str();
    EXPECT_EQ(lines[0]["message"], "hpops 0.1.0 listening");
    std::vector<std::string> levels;
    for (const auto& line : lines) levels.push_back(line["level"]);
    EXPECT_EQ(levels, (std::vector<std::string>{"info", "warning", "error", "debug"}));
    const std::string time = lines[0]["time"];
    EXPECT_TRUE(std::regex_match(time, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"))) << time;
    EXPECT_EQ(lines[0].size(), 3u) << "no field is set outside a scope: " << lines[0];
    EXPECT_TRUE(this->lines()[0].starts_with(R"({"time":")")) << "time first, for people reading raw lines";
}

TEST_F(LogLines, JsonEscapesQuotesNewlinesAndInvalidUtf8) {
    use(Format::json);
    spdlog::info("said \"scale\"\nthen\tleft \\ {}", std::string("bad \xff\xfe bytes"));
    log::info({.request_id = "id\"\n", .actor = "\xc3"}, "fields too");
    const auto lines = objects();
    ASSERT_EQ(lines.size(), 2u) << "a newline in a message stays inside its line: " << out_.str();
    EXPECT_EQ(lines[0]["message"], "said \"scale\"\nthen\tleft \\ bad \xEF\xBF\xBD\xEF\xBF\xBD bytes");
    EXPECT_EQ(lines[1]["request_id"], "id\"\n");
    EXPECT_EQ(lines[1]["actor"], "\xEF\xBF\xBD");
}

TEST_F(LogLines, FieldsAppearOnlyWhileInScope) {
    use(Format::json);
    spdlog::info("before");
    log::info({.request_id = "4f1c2a9d0b7e8c61", .actor = "UOPS01", .command = "scale nodegroup"}, "command");
    {
        FieldScope outer({.request_id = "4f1c2a9d0b7e8c61", .job_id = 7});
        log::warn({.backend_request_id = "aws-req-1"}, "step");  // adds to the outer scope
        spdlog::info("outer only");
    }
    spdlog::info("after");
    const auto lines = objects();
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_FALSE(lines[0].contains("request_id"));
    EXPECT_EQ(lines[1]["request_id"], "4f1c2a9d0b7e8c61");
    EXPECT_EQ(lines[1]["actor"], "UOPS01");
    EXPECT_EQ(lines[1]["command"], "scale nodegroup");
    EXPECT_FALSE(lines[1].contains("job_id"));
    EXPECT_EQ(lines[2]["job_id"], 7) << "a number, not a string";
    EXPECT_EQ(lines[2]["backend_request_id"], "aws-req-1");
    EXPECT_EQ(lines[2]["request_id"], "4f1c2a9d0b7e8c61");
    EXPECT_FALSE(lines[3].contains("backend_request_id")) << "the inner scope ended";
    EXPECT_EQ(lines[3]["job_id"], 7);
    EXPECT_EQ(lines[4].size(), 3u) << lines[4];
    EXPECT_EQ(current_fields().job_id, 0);
}

TEST_F(LogLines, TextKeepsSpdlogsLineAndAddsTheFields) {
    use(Format::text);
    spdlog::info("plain");
    log::info({.request_id = "abc", .command = "scale nodegroup", .job_id = 3}, "with fields");
    const auto lines = this->lines();
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_TRUE(std::regex_match(lines[0], std::regex(R"(\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] \[info\] plain)")))
        << lines[0];
    EXPECT_TRUE(lines[1].ends_with("] [info] with fields request_id=abc command=\"scale nodegroup\" job_id=3"))
        << lines[1];
}

TEST(LogFormat, IsTextOrJson) {
    EXPECT_EQ(format_from("text"), Format::text);
    EXPECT_EQ(format_from("json"), Format::json);
    EXPECT_EQ(format_from("JSON"), std::nullopt);
    EXPECT_EQ(format_from(""), std::nullopt);
}

}  // namespace
}  // namespace hpops::log
