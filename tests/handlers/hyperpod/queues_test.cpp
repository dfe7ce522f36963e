// `/hp queues`'s pure parts: quantities, pending workloads and their reasons,
// quota rows, and the reply over Kueue objects shaped as the API server
// returns them.
#include "handlers/queues.hpp"

#include <gtest/gtest.h>

#include "bot/terminal/plain_text_renderer.hpp"
#include "hpops/errors.hpp"
#include "tests/handlers/hyperpod/fixture_time.hpp"

namespace hpops::handlers {
namespace {

using nlohmann::json;

json cluster_queue(const std::string& name, int pending, int admitted) {
    return json::parse(R"({"metadata": {"name": ")" + name + R"("},
      "spec": {"cohort": "research", "resourceGroups": [
        {"coveredResources": ["cpu", "nvidia.com/gpu"], "flavors": [
          {"name": "h100", "resources": [{"name": "cpu", "nominalQuota": "96"}, {"name": "nvidia.com/gpu", "nominalQuota": 16}]},
          {"name": "a10g", "resources": [{"name": "cpu", "nominalQuota": "48"}, {"name": "nvidia.com/gpu", "nominalQuota": "8"}]}]}]},
      "status": {"pendingWorkloads": )" + std::to_string(pending) + R"(, "admittedWorkloads": )" +
                       std::to_string(admitted) + R"(,
        "flavorsReservation": [{"name": "h100", "resources": [{"name": "cpu", "total": "48"}, {"name": "nvidia.com/gpu", "total": "12", "borrowed": "2"}]}],
        "flavorsUsage": [{"name": "h100", "resources": [{"name": "cpu", "total": "40"}, {"name": "nvidia.com/gpu", "total": "8"}]}]}})");
}

json local_queue(const std::string& ns, const std::string& name, const std::string& cq, int pending, int admitted) {
    return {{"metadata", {{"name", name}, {"namespace", ns}}},
            {"spec", {{"clusterQueue", cq}}},
            {"status", {{"pendingWorkloads", pending}, {"admittedWorkloads", admitted}}}};
}

json workload(const std::string& ns, const std::string& name, const std::string& queue, const std::string& created,
              json conditions) {
    return {{"metadata", {{"name", name}, {"namespace", ns}, {"creationTimestamp", created}}},
            {"spec", {{"queueName", queue}, {"podSets", json::array()}}},
            {"status", {{"conditions", std::move(conditions)}}}};
}

json waiting(const std::string& message) {
    return json::array({{{"type", "QuotaReserved"}, {"status", "False"}, {"reason", "Pending"}, {"message", message}}});
}

const json admitted_conditions = json::array({{{"type", "QuotaReserved"}, {"status", "True"}},
                                              {{"type", "Admitted"}, {"status", "True"}}});

KueueObjects two_teams() {
    KueueObjects o;
    o.cluster_queues = {cluster_queue("team-b", 0, 1), cluster_queue("team-a", 2, 1)};
    o.local_queues = {local_queue("team-a", "training", "team-a", 2, 1), local_queue("team-b", "training", "team-b", 0, 1)};
    o.workloads = {
        workload("team-a", "job-new", "training", "2026-12-05T11:00:00Z", waiting("newer one")),
        workload("team-a", "job-old", "training", "2026-12-05T09:00:00Z",
                 waiting("couldn't assign flavors to pod set main: insufficient unused quota for nvidia.com/gpu in "
                         "flavor h100, 4 more needed")),
        workload("team-a", "job-running", "training", "2026-12-05T08:00:00Z", admitted_conditions),
        workload("team-b", "job-b", "training", "2026-12-05T07:00:00Z", admitted_conditions)};
    return o;
}

TEST(KubeQuantity, ReadsEverySuffixKubernetesWrites) {
    EXPECT_EQ(parse_quantity("8"), 8.0);
    EXPECT_EQ(parse_quantity("500m"), 0.5);
    EXPECT_EQ(parse_quantity("1.5"), 1.5);
    EXPECT_EQ(parse_quantity("36Gi"), 36.0 * 1024 * 1024 * 1024);
    EXPECT_EQ(parse_quantity("2k"), 2000.0);
    EXPECT_EQ(parse_quantity("1e3"), 1000.0);
    EXPECT_EQ(parse_quantity("1E"), 1e18) << "E alone is exa, not an exponent";
    for (const char* bad : {"", "Gi", "8 Gi", "8Xi", "1e", "1e999", "abc"}) EXPECT_EQ(parse_quantity(bad), std::nullopt) << bad;
}

TEST(KueueWorkloads, PendingUntilQuotaIsReservedAndNotWhenFinished) {
    EXPECT_TRUE(workload_pending(workload("n", "w", "q", "", json::array())));
    EXPECT_TRUE(workload_pending(workload("n", "w", "q", "", waiting("x"))));
    EXPECT_FALSE(workload_pending(workload("n", "w", "q", "", admitted_conditions)));
    EXPECT_FALSE(workload_pending(workload("n", "w", "q", "", json::array({{{"type", "Finished"}, {"status", "True"}}}))));
    json inactive = workload("n", "w", "q", "", json::array());
    inactive["spec"]["active"] = false;
    EXPECT_FALSE(workload_pending(inactive)) << "a deactivated workload does not wait";
}

TEST(KueueWorkloads, TheReasonIsKueuesOwnMessage) {
    EXPECT_EQ(pending_reason(workload("n", "w", "q", "", waiting("insufficient quota"))), "insufficient quota");
    const json checks = json::array({{{"type", "QuotaReserved"}, {"status", "Unknown"}},
                                     {{"type", "Admitted"}, {"status", "False"}, {"message", "waiting for checks"}}});
    EXPECT_EQ(pending_reason(workload("n", "w", "q", "", checks)), "waiting for checks");
    EXPECT_NE(pending_reason(workload("n", "w", "q", "", json::array())).find("no reason given yet"), std::string::npos);
}

TEST(KueueQuota, EachFlavorAndResourceAgainstReservedAndUsed) {
    const auto rows = quota_rows(cluster_queue("team-a", 0, 0));
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0], (std::vector<std::string>{"team-a", "h100", "cpu", "96", "48 (50%)", "40"}));
    EXPECT_EQ(rows[1], (std::vector<std::string>{"team-a", "h100", "nvidia.com/gpu", "16", "12 (75%, 2 borrowed)", "8"}));
    EXPECT_EQ(rows[3], (std::vector<std::string>{"team-a", "a10g", "nvidia.com/gpu", "8", "0 (0%)", "0"}))
        << "a flavor nothing reserves shows zero, not a gap";
}

TEST(KueueReply, ShowsEveryQueueWithItsOldestPendingWorkloadAndWhy) {
    const Reply reply = render_queues(two_teams(), "", "prod", fixture_now);
    const std::string text = bot::render_plain_text(reply);
    EXPECT_LT(text.find("team-a"), text.find("team-b")) << text;
    EXPECT_NE(text.find("team-a/job-old (3h)"), std::string::npos) << "the oldest, not the newest:\n" << text;
    EXPECT_EQ(text.find("job-new"), std::string::npos) << text;
    EXPECT_NE(text.find("insufficient unused quota for nvidia.com/gpu in flavor h100, 4 more needed"), std::string::npos)
        << text;
    EXPECT_NE(text.find("12 (75%, 2 borrowed)"), std::string::npos) << text;
    EXPECT_NE(text.find("team-b/training"), std::string::npos) << text;
    EXPECT_EQ(reply.summary, "2 ClusterQueues: 2 pending, 2 admitted");
}

TEST(KueueReply, OneQueueByClusterQueueOrLocalQueueName) {
    const std::string by_cq = bot::render_plain_text(render_queues(two_teams(), "team-b", "prod", fixture_now));
    EXPECT_NE(by_cq.find("team-b/training"), std::string::npos) << by_cq;
    EXPECT_EQ(by_cq.find("team-a"), std::string::npos) << by_cq;
    const std::string by_lq =
        bot::render_plain_text(render_queues(two_teams(), "team-a/training", "prod", fixture_now));
    EXPECT_NE(by_lq.find("job-old"), std::string::npos) << by_lq;
    EXPECT_EQ(by_lq.find("team-b"), std::string::npos) << by_lq;
}

TEST(KueueReply, AnUnknownQueueListsThoseThereAre) {
    try {
        render_queues(two_teams(), "team-c", "prod", fixture_now);
        FAIL() << "no error";
    } catch (const UserError& e) {
        EXPECT_STREQ(e.what(),
                     "No ClusterQueue or LocalQueue `team-c` on cluster `prod`. ClusterQueues: team-a, team-b; "
                     "LocalQueues: team-a/training, team-b/training.");
    }
    EXPECT_THROW(render_queues({}, "x", "prod", fixture_now), UserError);
    EXPECT_NE(
        bot::render_plain_text(render_queues({}, "", "prod", fixture_now)).find("No ClusterQueue on cluster prod yet."),
        std::string::npos);
}

}  // namespace
}  // namespace hpops::handlers
