// The alert store on both backends (store_backends.hpp): dedupe, messages
// moved on by changes, flood control, purges, listings.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "store/alert_row.hpp"
#include "store/postgres/postgres_alert_store.hpp"
#include "store/sqlite_alert_store.hpp"
#include "tests/store/store_backends.hpp"

namespace hpops::store::testing {
namespace {

using namespace std::chrono;

const auto t0 = system_clock::time_point(seconds(1'800'000'000));

RoutedAlert routed(std::string fp, std::string channel = "C1", AlertStatus status = AlertStatus::firing) {
    Alert a;
    a.source = "alertmanager";
    a.fingerprint = std::move(fp);
    a.status = status;
    a.name = "GPUHot";
    a.labels = {{"alertname", "GPUHot"}};
    a.starts_at = t0 - minutes(5);
    if (status == AlertStatus::resolved) a.ends_at = t0;
    return {a, std::move(channel)};
}

class AlertStoreTest : public StoreBackendTest {
protected:
    void SetUp() override {
        StoreBackendTest::SetUp();
        if (GetParam() == Backend::postgres) store = std::make_unique<PostgresAlertStore>(postgres_settings(location_));
        else store = std::make_unique<SqliteAlertStore>(location_);
    }

    std::unique_ptr<AlertStore> store;
    FloodPolicy flood{3, minutes(10)};

    std::vector<PendingMessage> drain(const std::string& channel) {
        std::vector<PendingMessage> out;
        while (auto m = store->next_pending(channel, 20)) {
            store->mark_posted(m->id, m->version, channel + "-ID", "ts" + std::to_string(m->id));
            out.push_back(*m);
        }
        return out;
    }
};

TEST_P(AlertStoreTest, NewAlertIsOneMessageAndRepeatsAreUnchanged) {
    auto c = store->accept({routed("a")}, flood, t0);
    EXPECT_EQ(c.fresh, 1u);
    EXPECT_EQ(store->channels_with_pending(), std::vector<std::string>{"C1"});
    auto posted = drain("C1");
    ASSERT_EQ(posted.size(), 1u);
    EXPECT_EQ(posted[0].kind, MessageKind::alert);
    EXPECT_TRUE(posted[0].ts.empty());
    c = store->accept({routed("a")}, flood, t0 + seconds(30));
    EXPECT_EQ(c.unchanged, 1u);
    EXPECT_TRUE(store->channels_with_pending().empty());
}

TEST_P(AlertStoreTest, ResolveUpdatesTheSameMessage) {
    store->accept({routed("a")}, flood, t0);
    auto first = drain("C1");
    auto c = store->accept({routed("a", "C1", AlertStatus::resolved)}, flood, t0 + minutes(1));
    EXPECT_EQ(c.changed, 1u);
    auto next = store->next_pending("C1", 20);
    ASSERT_TRUE(next);
    EXPECT_EQ(next->id, first[0].id);
    EXPECT_EQ(next->ts, "ts" + std::to_string(first[0].id));
    EXPECT_EQ(next->posted_channel, "C1-ID");
    EXPECT_EQ(next->resolved, 1u);
    ASSERT_EQ(next->alerts.size(), 1u);
    EXPECT_TRUE(next->alerts[0].ends_at);
}

TEST_P(AlertStoreTest, AChangeDuringPostingKeepsTheMessagePending) {
    store->accept({routed("a")}, flood, t0);
    auto m = store->next_pending("C1", 20);
    store->accept({routed("a", "C1", AlertStatus::resolved)}, flood, t0 + seconds(1));  // while m is being posted
    store->mark_posted(m->id, m->version, "C1-ID", "ts1");
    auto again = store->next_pending("C1", 20);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->ts, "ts1");
    EXPECT_GT(again->version, m->version);
}

TEST_P(AlertStoreTest, PurgeForgetsOldResolvedAlertsButNotFiringOrUnpostedOnes) {
    store->accept({routed("old-resolved"), routed("still-firing"), routed("unposted", "C2")}, flood, t0);
    drain("C1");
    drain("C2");
    store->accept({routed("old-resolved", "C1", AlertStatus::resolved), routed("unposted", "C2", AlertStatus::resolved)},
                 flood, t0 + minutes(1));
    drain("C1");  // C2's update is still waiting for Slack

    EXPECT_EQ(store->purge_resolved(t0 + seconds(30)), 0u);  // resolved after the cutoff
    EXPECT_EQ(store->purge_resolved(t0 + hours(1)), 1u);
    std::vector<std::string> kept;
    for (const auto& a : store->list_alerts(std::nullopt, 0, 100)) kept.push_back(a.fingerprint);
    std::sort(kept.begin(), kept.end());
    EXPECT_EQ(kept, (std::vector<std::string>{"still-firing", "unposted"}));
    auto pending = store->next_pending("C2", 20);  // its message still shows its alert
    ASSERT_TRUE(pending);
    ASSERT_EQ(pending->alerts.size(), 1u);
    EXPECT_EQ(pending->alerts[0].fingerprint, "unposted");

    // Once posted, it goes at the next purge; the same fingerprint firing again is new.
    drain("C2");
    EXPECT_EQ(store->purge_resolved(t0 + hours(1)), 1u);
    EXPECT_EQ(store->accept({routed("old-resolved")}, flood, t0 + hours(2)).fresh, 1u);
    EXPECT_EQ(store->accept({routed("unposted", "C2", AlertStatus::resolved)}, flood, t0 + hours(2)).ignored, 1u);
}

TEST_P(AlertStoreTest, PurgeGoesOnPastOneBatch) {
    std::vector<RoutedAlert> firing, resolved;
    for (int i = 0; i < 2500; ++i) {  // more than one purge batch (2,000)
        firing.push_back(routed("fp" + std::to_string(i)));
        resolved.push_back(routed("fp" + std::to_string(i), "C1", AlertStatus::resolved));
    }
    store->accept(firing, flood, t0);
    drain("C1");
    store->accept(resolved, flood, t0 + minutes(1));
    drain("C1");
    EXPECT_EQ(store->purge_resolved(t0 + hours(1)), 2500u);
    EXPECT_TRUE(store->list_alerts(std::nullopt, 0, 10).empty());
}

TEST_P(AlertStoreTest, ResolvedAlertNeverSeenIsIgnored) {
    auto c = store->accept({routed("ghost", "C1", AlertStatus::resolved)}, flood, t0);
    EXPECT_EQ(c.ignored, 1u);
    EXPECT_TRUE(store->channels_with_pending().empty());
}

TEST_P(AlertStoreTest, RefiringAfterResolveIsANewMessage) {
    store->accept({routed("a")}, flood, t0);
    auto first = drain("C1");
    store->accept({routed("a", "C1", AlertStatus::resolved)}, flood, t0 + minutes(1));
    drain("C1");
    auto c = store->accept({routed("a")}, flood, t0 + minutes(20));
    EXPECT_EQ(c.fresh, 1u);
    auto m = store->next_pending("C1", 20);
    ASSERT_TRUE(m);
    EXPECT_NE(m->id, first[0].id);
    EXPECT_TRUE(m->ts.empty());
}

TEST_P(AlertStoreTest, AlertsArrivingTogetherShareOneGroupMessagePerChannel) {
    auto c = store->accept({routed("a"), routed("b"), routed("x", "C2"), routed("a")}, flood, t0);
    EXPECT_EQ(c.fresh, 3u);
    EXPECT_EQ(c.unchanged, 1u);  // the repeated fingerprint
    auto c1 = drain("C1");
    ASSERT_EQ(c1.size(), 1u);
    EXPECT_EQ(c1[0].kind, MessageKind::group);
    EXPECT_EQ(c1[0].firing, 2u);
    EXPECT_EQ(drain("C2").size(), 1u);
}

TEST_P(AlertStoreTest, FloodBeyondTheLimitJoinsOneSummary) {
    for (int i = 0; i < 3; ++i) store->accept({routed("own" + std::to_string(i))}, flood, t0 + seconds(i));
    auto c = store->accept({routed("f1"), routed("f2")}, flood, t0 + seconds(10));
    EXPECT_EQ(c.flooded, 2u);
    c = store->accept({routed("f3")}, flood, t0 + seconds(11));
    EXPECT_EQ(c.flooded, 1u);
    auto messages = drain("C1");
    ASSERT_EQ(messages.size(), 4u);
    EXPECT_EQ(messages.back().kind, MessageKind::flood);
    EXPECT_EQ(messages.back().firing, 3u);
    // Another channel is not affected.
    EXPECT_EQ(store->accept({routed("other", "C2")}, flood, t0 + seconds(12)).flooded, 0u);
    // After the window, alerts get their own messages again.
    EXPECT_EQ(store->accept({routed("late")}, flood, t0 + minutes(30)).flooded, 0u);
}

TEST_P(AlertStoreTest, FailedMessagesStopRetryingAndShowInListings) {
    store->accept({routed("a")}, flood, t0);
    auto m = store->next_pending("C1", 20);
    store->mark_failed(m->id, m->version, "channel_not_found");
    EXPECT_FALSE(store->next_pending("C1", 20));
    auto listed = store->list_alerts(AlertStatus::firing, 0, 10);
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].post_error, "channel_not_found");
    EXPECT_TRUE(store->list_alerts(AlertStatus::resolved, 0, 10).empty());
}

TEST_P(AlertStoreTest, LabelsAnnotationsAndLinksRoundTrip) {
    auto r = routed("a");
    r.alert.labels["odd"] = "quote \" backslash \\ newline \n tab \t bell \x07 é ✓";
    r.alert.annotations["summary"] = "{\"json\": [1]}";
    r.alert.links = {{"Runbook", "https://rb/a?b=c&d=\"e\""}};
    r.alert.group_key = "{}:{alertname=\"GPUHot\"}";
    store->accept({r}, flood, t0);
    auto m = store->next_pending("C1", 20);
    ASSERT_TRUE(m);
    ASSERT_EQ(m->alerts.size(), 1u);
    EXPECT_EQ(m->alerts[0].labels, r.alert.labels);
    EXPECT_EQ(m->alerts[0].annotations, r.alert.annotations);
    ASSERT_EQ(m->alerts[0].links.size(), 1u);
    EXPECT_EQ(m->alerts[0].links[0].url, r.alert.links[0].url);
    EXPECT_EQ(m->alerts[0].group_key, r.alert.group_key);
}

// Alertmanager's HA pair sends one group to two replicas at once: each
// alert is stored once and the group opens one message, whichever wins.
TEST_P(AlertStoreTest, OneGroupSentToTwoStoresAtOnceOpensOneMessage) {
    std::unique_ptr<AlertStore> second;
    if (GetParam() == Backend::postgres) second = std::make_unique<PostgresAlertStore>(postgres_settings(location_));
    else second = std::make_unique<SqliteAlertStore>(location_);
    for (int round = 0; round < 20; ++round) {
        const std::string channel = "C" + std::to_string(round);
        const std::vector<RoutedAlert> group{routed("x" + std::to_string(round), channel),
                                             routed("y" + std::to_string(round), channel)};
        AcceptCounts a, b;
        std::thread other([&] { b = second->accept(group, flood, t0); });
        a = store->accept(group, flood, t0);
        other.join();
        EXPECT_EQ(a.fresh + b.fresh, 2u) << "round " << round;
        EXPECT_EQ(a.unchanged + b.unchanged, 2u) << "round " << round;
        const auto messages = drain(channel);
        ASSERT_EQ(messages.size(), 1u) << "round " << round;
        EXPECT_EQ(messages[0].kind, MessageKind::group);
        EXPECT_EQ(messages[0].firing, 2u);
    }
}

HPOPS_ON_BOTH_STORES(AlertStoreTest);

TEST(AlertDigest, ChangesWithWhatIsShown) {
    auto a = routed("a").alert, b = a;
    EXPECT_EQ(alert_digest(a), alert_digest(b));
    b.annotations["summary"] = "hotter";
    EXPECT_NE(alert_digest(a), alert_digest(b));
}

}  // namespace
}  // namespace hpops::store::testing
