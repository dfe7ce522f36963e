// A job's Slack message: posted once and edited with the bot token; through
// response_url, first and last only, when there is no token or the bot is
// not in the channel, saying once why and what to do.
#include "bot/slack/slack_job_messenger.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "hpops/errors.hpp"
#include "tests/support/run_sync.hpp"

namespace hpops::bot {
namespace {

using hpops::testing::run_sync;

// chat.postMessage / chat.update as Slack answers a bot outside the channel.
class RefusingPoster final : public ChatPoster {
public:
    explicit RefusingPoster(std::string error) : error_(std::move(error)) {}
    boost::asio::awaitable<PostedMessage> post(std::string, Reply) override {
        ++calls;
        throw UpstreamError("slack", error_, "chat.postMessage: " + error_, "", 200);
        co_return PostedMessage{};
    }
    boost::asio::awaitable<PostedMessage> update(std::string, std::string, Reply) override {
        ++calls;
        co_return PostedMessage{};
    }
    int calls = 0;

private:
    std::string error_;
};

// response_url posts, recorded; Slack answers 200.
class RecordingHttp final : public HttpClient {
public:
    boost::asio::awaitable<HttpResponse> send(HttpRequest request, RetryPolicy) override {
        sent.push_back(nlohmann::json::parse(request.body));
        co_return HttpResponse{200, {}, "ok"};
    }
    std::vector<nlohmann::json> sent;
};

JobRecord job_at(JobStatus status, std::int64_t updated) {
    JobRecord job;
    job.id = 7;
    job.status = status;
    job.created_unix_ms = 1000;
    job.updated_unix_ms = updated;
    job.message = {"slack", "C1", "", "https://hooks.slack.com/commands/T/1/x"};
    return job;
}

std::string context_of(const nlohmann::json& message) {
    std::string out;
    for (const auto& block : message["blocks"])
        if (block["type"] == "context") out += block["elements"][0]["text"].get<std::string>();
    return out;
}

TEST(SlackJobMessenger, NotInTheChannelFallsBackToResponseUrlAndSaysHowToInvite) {
    RefusingPoster poster("not_in_channel");
    RecordingHttp http;
    SlackJobMessenger messenger(&poster, http);

    JobRecord job = job_at(JobStatus::running, 1000);
    const JobMessage first = run_sync(messenger.show(job, message_reply(Mark::working, "Scaling")));
    EXPECT_EQ(poster.calls, 1);
    ASSERT_EQ(http.sent.size(), 1u);
    EXPECT_EQ(http.sent[0]["replace_original"], true);
    EXPECT_NE(context_of(http.sent[0]).find("`/invite` the hpops app"), std::string::npos) << http.sent[0].dump();
    EXPECT_TRUE(first.channel.empty());  // the job's later steps skip chat.postMessage

    job.message = first;
    job.updated_unix_ms = 2000;
    run_sync(messenger.show(job, message_reply(Mark::working, "Scaling, still")));
    EXPECT_EQ(http.sent.size(), 1u);  // a running step in between: not sent (5 posts in 30 min)
    EXPECT_EQ(poster.calls, 1);

    job.status = JobStatus::done;
    run_sync(messenger.show(job, message_reply(Mark::done, "Scaled")));
    ASSERT_EQ(http.sent.size(), 2u);
    EXPECT_EQ(context_of(http.sent[1]), "");  // said once
}

TEST(SlackJobMessenger, WithoutABotTokenTheFirstMessageSaysWhy) {
    RecordingHttp http;
    SlackJobMessenger messenger(nullptr, http);
    run_sync(messenger.show(job_at(JobStatus::running, 1000), message_reply("Scaling")));
    ASSERT_EQ(http.sent.size(), 1u);
    EXPECT_NE(context_of(http.sent[0]).find("no Slack bot token"), std::string::npos);
}

// Refuses one channel as Slack does a bot outside it; takes the rest.
class OneChannelRefused final : public ChatPoster {
public:
    boost::asio::awaitable<PostedMessage> post(std::string channel, Reply reply) override {
        if (channel == "C1") throw UpstreamError("slack", "not_in_channel", "chat.postMessage: not_in_channel", "", 200);
        posted.emplace_back(channel, std::move(reply));
        co_return PostedMessage{channel, "1.0"};
    }
    boost::asio::awaitable<PostedMessage> update(std::string, std::string, Reply) override { co_return PostedMessage{}; }
    std::vector<std::pair<std::string, Reply>> posted;
};

TEST(SlackJobMessenger, AJobNoCommandAnswersTellsItsOwnerWhenTheChannelIsClosed) {
    OneChannelRefused poster;
    RecordingHttp http;
    SlackJobMessenger messenger(&poster, http);
    JobRecord job = job_at(JobStatus::running, 1000);
    job.message.response_url.clear();  // a scheduled digest
    job.actor_id = "UOWNER1";
    run_sync(messenger.show(job, message_reply(Mark::working, "Building the digest")));
    EXPECT_TRUE(poster.posted.empty()) << "nothing to tell until it is whole";
    job.status = JobStatus::done;
    const JobMessage shown = run_sync(messenger.show(job, message_reply("Digest daily")));
    ASSERT_EQ(poster.posted.size(), 1u);
    EXPECT_EQ(poster.posted[0].first, "UOWNER1");
    std::string context;
    for (const auto& block : poster.posted[0].second.blocks)
        if (const auto* c = std::get_if<Context>(&block)) context += c->text;
    EXPECT_NE(context.find("could not post this in <#C1> (not_in_channel)"), std::string::npos) << context;
    EXPECT_EQ(shown.channel, "C1") << "where it belongs is kept";
    EXPECT_TRUE(http.sent.empty());

    // A config schedule's digest has no owner: logged, nobody posted to.
    OneChannelRefused quiet;
    SlackJobMessenger ownerless(&quiet, http);
    job.actor_id.clear();
    run_sync(ownerless.show(job, message_reply("Digest daily")));
    EXPECT_TRUE(quiet.posted.empty());
}

TEST(SlackJobMessenger, OtherRefusalsAreTheJobsToRetry) {
    RefusingPoster poster("ratelimited");
    RecordingHttp http;
    SlackJobMessenger messenger(&poster, http);
    EXPECT_THROW(run_sync(messenger.show(job_at(JobStatus::running, 1000), message_reply("Scaling"))), UpstreamError);
    EXPECT_TRUE(http.sent.empty());
}

}  // namespace
}  // namespace hpops::bot
