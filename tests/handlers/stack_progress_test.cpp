#include "handlers/stack_progress.hpp"

#include <gtest/gtest.h>

#include "bot/terminal/plain_text_renderer.hpp"

namespace hpops::handlers {
namespace {

StackEvent ev(std::string id, std::string type, std::string status, std::string reason = "") {
    return StackEvent{"e", "2026-12-05T10:00:00Z", std::move(id), "", std::move(type), std::move(status),
                      std::move(reason)};
}
StackEvent stack(std::string status, std::string reason = "") {
    return ev("hp", "AWS::CloudFormation::Stack", std::move(status), std::move(reason));
}

constexpr std::int64_t minute = 60'000;

TEST(StackProgress, CountsResourcesDoneAndUnderWay) {
    const std::vector<StackEvent> events = {
        stack("CREATE_IN_PROGRESS", "User Initiated"),  ev("Vpc", "AWS::EC2::VPC", "CREATE_IN_PROGRESS"),
        ev("Vpc", "AWS::EC2::VPC", "CREATE_COMPLETE"),  ev("Eks", "AWS::EKS::Cluster", "CREATE_IN_PROGRESS"),
        ev("Role", "AWS::IAM::Role", "CREATE_IN_PROGRESS")};
    const StackProgress p = stack_progress(events, "hp", 5, false);
    EXPECT_EQ(p.stack_status, "CREATE_IN_PROGRESS");
    EXPECT_EQ(p.done, 1);
    EXPECT_EQ(p.total, 5);
    EXPECT_EQ(p.in_progress, (std::vector<std::string>{"Eks (AWS::EKS::Cluster)", "Role (AWS::IAM::Role)"}));
    EXPECT_FALSE(p.finished);
    EXPECT_FALSE(p.first_failure);
    EXPECT_EQ(stack_progress(events, "hp", 0, false).total, 3);  // template unknown: what was seen

    const std::string text = bot::render_plain_text(render_stack_progress(p, "hp", 0, 12 * minute, false));
    EXPECT_NE(text.find("[working] Launching hp: CREATE_IN_PROGRESS, 12m"), std::string::npos) << text;
    EXPECT_NE(text.find("[##--------] 1/5 resources created"), std::string::npos) << text;
    EXPECT_NE(text.find("Now: Eks (AWS::EKS::Cluster), Role (AWS::IAM::Role)"), std::string::npos) << text;
}

// The reason that matters is the first failure, not the cascade of
// cancellations and the rollback that follow it.
TEST(StackProgress, PutsTheFirstFailingResourceOnTop) {
    const std::vector<StackEvent> events = {
        stack("CREATE_IN_PROGRESS", "User Initiated"),
        ev("Vpc", "AWS::EC2::VPC", "CREATE_IN_PROGRESS"),
        ev("Vpc", "AWS::EC2::VPC", "CREATE_COMPLETE"),
        ev("Nodes", "AWS::SageMaker::Cluster", "CREATE_IN_PROGRESS"),
        ev("Bucket", "AWS::S3::Bucket", "CREATE_IN_PROGRESS"),
        ev("Bucket", "AWS::S3::Bucket", "CREATE_FAILED", "Resource creation cancelled"),
        ev("Nodes", "AWS::SageMaker::Cluster", "CREATE_FAILED",
           "Resource handler returned message: \"ml.p5.48xlarge: insufficient capacity\""),
        stack("ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [Nodes]."),
        ev("Vpc", "AWS::EC2::VPC", "DELETE_COMPLETE"),
        stack("ROLLBACK_COMPLETE")};
    const StackProgress p = stack_progress(events, "hp", 3, false);
    ASSERT_TRUE(p.first_failure);
    EXPECT_EQ(p.first_failure->logical_id, "Nodes");
    EXPECT_TRUE(p.finished);
    EXPECT_FALSE(p.succeeded);
    const Reply reply = render_stack_progress(p, "hp", 0, 25 * minute, false);
    EXPECT_EQ(reply.summary, "Launching hp failed");
    const std::string text = bot::render_plain_text(reply);
    EXPECT_EQ(text.find("[failed] Nodes (AWS::SageMaker::Cluster) failed: Resource handler returned message: "
                        "\"ml.p5.48xlarge: insufficient capacity\""),
              0u)
        << text;
    EXPECT_NE(text.find("ended ROLLBACK_COMPLETE after 25m"), std::string::npos) << text;
    EXPECT_EQ(text.find("Now:"), std::string::npos) << text;
}

TEST(StackProgress, ATeardownCountsDeletions) {
    const std::vector<StackEvent> events = {stack("DELETE_IN_PROGRESS", "User Initiated"),
                                            ev("Nodes", "AWS::SageMaker::Cluster", "DELETE_COMPLETE"),
                                            ev("Vpc", "AWS::EC2::VPC", "DELETE_COMPLETE"),
                                            stack("DELETE_COMPLETE")};
    const StackProgress p = stack_progress(events, "hp", 0, true);
    EXPECT_TRUE(p.succeeded);
    EXPECT_EQ(p.done, 2);
    const std::string text = bot::render_plain_text(render_stack_progress(p, "hp", 0, 90'000, true));
    EXPECT_NE(text.find("[done] Deleted hp in 1m"), std::string::npos) << text;
}

TEST(StackLog, ShowsTheLastEventsWithTheFirstFailureOnTop) {
    std::vector<StackEvent> events = {stack("CREATE_IN_PROGRESS", "User Initiated")};
    for (int i = 0; i < 30; ++i) events.push_back(ev("Q" + std::to_string(i), "AWS::SQS::Queue", "CREATE_COMPLETE"));
    events.push_back(ev("Nodes", "AWS::SageMaker::Cluster", "CREATE_FAILED", "quota exceeded"));
    events.push_back(stack("ROLLBACK_COMPLETE"));
    const Reply reply = render_stack_log(events, "hp", 5);
    const std::string text = bot::render_plain_text(reply);
    EXPECT_NE(text.find("last 5 of 33 events"), std::string::npos) << text;
    EXPECT_NE(text.find("[failed] First failure: Nodes: quota exceeded"), std::string::npos) << text;
    const auto failed_at = text.find("CREATE_FAILED");
    const auto row_start = text.rfind('\n', failed_at) + 1;
    const std::string failed_row = text.substr(row_start, text.find('\n', failed_at) - row_start);
    EXPECT_TRUE(failed_row.starts_with("10:00:00")) << failed_row;
    for (const char* cell : {"Nodes", "SageMaker::Cluster", "quota exceeded"})
        EXPECT_NE(failed_row.find(cell), std::string::npos) << failed_row;
    EXPECT_EQ(text.find("Q24"), std::string::npos) << text;  // older than the last five
    EXPECT_NE(text.find("Q27"), std::string::npos) << text;
    EXPECT_NE(bot::render_plain_text(render_stack_log({}, "hp", 20)).find("No events yet."), std::string::npos);
}

TEST(StackStatus, TerminalOnesEndAFollow) {
    for (const char* s : {"CREATE_COMPLETE", "ROLLBACK_COMPLETE", "DELETE_COMPLETE", "CREATE_FAILED", "DELETE_FAILED",
                          "ROLLBACK_FAILED", "UPDATE_COMPLETE"})
        EXPECT_TRUE(is_terminal_stack_status(s)) << s;
    for (const char* s : {"", "CREATE_IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "DELETE_IN_PROGRESS",
                          "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"})
        EXPECT_FALSE(is_terminal_stack_status(s)) << s;
}

}  // namespace
}  // namespace hpops::handlers
