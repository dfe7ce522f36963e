#include "handlers/alerts.hpp"

#include <gtest/gtest.h>

#include "bot/slack/block_kit_renderer.hpp"
#include "hpops/errors.hpp"
#include "hpops/progress.hpp"
#include "store/sqlite_store.hpp"
#include "tests/support/block_kit_rules.hpp"
#include "tests/support/run_sync.hpp"

namespace hpops::handlers {
namespace {

class FakeLog final : public AlertLog {
public:
    std::vector<StoredAlert> alerts;
    mutable std::optional<AlertStatus> asked_status;
    mutable std::int64_t asked_since = -1;
    mutable std::size_t asked_limit = 0;
    boost::asio::awaitable<std::vector<StoredAlert>> list_alerts(std::optional<AlertStatus> status, std::int64_t since,
                                                                 std::size_t limit) const override {
        asked_status = status;
        asked_since = since;
        asked_limit = limit;
        std::vector<StoredAlert> out;
        for (const auto& a : alerts)
            if ((!status || a.status == *status) && out.size() < limit) out.push_back(a);
        co_return out;
    }
};

StoredAlert stored(std::string name, AlertStatus status, std::string error = {}) {
    StoredAlert a;
    a.name = std::move(name);
    a.status = status;
    a.severity = "critical";
    a.channel = "C0GPU";
    a.summary = "Xid 79 on node-a";
    a.starts_unix_ms = 1'800'000'000'000;
    a.post_error = std::move(error);
    return a;
}

struct Fixture {
    Config config;
    store::SqliteStore store{":memory:"};
    BotInfo bot;
    Clients clients;
    NoProgress progress;
    FakeLog log;

    Reply run(Intent intent, bool with_log = true) {
        clients.alerts = with_log ? &log : nullptr;
        CommandContext context{"slack", Actor{"U1", "u", Role::viewer}, "C1", "r1", config, store, bot, clients,
                               progress, {}};
        Alerts handler;
        return testing::run_sync(handler.handle(intent, context));
    }
};

TEST(AlertsHandler, ListsFiringByDefaultAndShowsPostErrors) {
    Fixture f;
    f.log.alerts = {stored("GPUXidErrors", AlertStatus::firing, "channel_not_found"),
                    stored("DiskFull", AlertStatus::resolved)};
    Reply r = f.run(Intent{"alerts", {}, {}});
    EXPECT_EQ(f.log.asked_status, AlertStatus::firing);
    EXPECT_EQ(f.log.asked_limit, 21u);  // one more than shown, to say whether there are more
    const auto page = bot::render_block_kit_single(r);
    EXPECT_EQ(testing::block_kit_violations(page), std::vector<std::string>{});
    const std::string text = page.dump();
    EXPECT_NE(text.find("GPUXidErrors"), std::string::npos);
    EXPECT_NE(text.find("not posted: channel_not_found"), std::string::npos);
    EXPECT_EQ(text.find("DiskFull"), std::string::npos);
}

TEST(AlertsHandler, OptionsAndEmptyAnswers) {
    Fixture f;
    Reply none = f.run(Intent{"alerts", {}, {{"status", "resolved"}, {"since", "2h"}, {"limit", "5"}}});
    EXPECT_EQ(f.log.asked_status, AlertStatus::resolved);
    EXPECT_GT(f.log.asked_since, 0);
    EXPECT_EQ(f.log.asked_limit, 6u);
    EXPECT_EQ(none.summary, "No resolved alerts.");
    f.run(Intent{"alerts", {}, {{"status", "all"}}});
    EXPECT_FALSE(f.log.asked_status);
    EXPECT_THROW(f.run(Intent{"alerts", {}, {{"status", "pending"}}}), UserError);
    EXPECT_THROW(f.run(Intent{"alerts", {}, {{"limit", "0"}}}), UserError);
    EXPECT_THROW(f.run(Intent{"alerts", {}, {}}, false), UserError);  // no alerts section
}

TEST(AlertsHandler, SaysWhenThereAreMore) {
    std::vector<StoredAlert> many(4, stored("A", AlertStatus::firing));
    Reply r = render_alert_list(many, "firing", 3, 1'800'000'060'000);
    const std::string text = bot::render_block_kit_single(r).dump();
    EXPECT_NE(text.find("3+ firing alerts"), std::string::npos);
    EXPECT_NE(text.find("Showing the newest 3"), std::string::npos);
}

}  // namespace
}  // namespace hpops::handlers
