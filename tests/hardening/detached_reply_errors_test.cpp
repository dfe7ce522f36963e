// Finding 12: an exception in a detached reply task (a SQLite error during
// Confirm) gave no reply and left the in-flight count (now hpops_followups_in_flight) up for good.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <stdexcept>

#include "bot/dispatch/deferred_reply.hpp"
#include "bot/dispatch/reply_or_error.hpp"
#include "common/metrics.hpp"
#include "tests/support/dispatcher_fixture.hpp"
using hpops::store::SqliteStore;

using namespace hpops;
using namespace hpops::bot;
using hpops::testing::DispatcherTest;
using hpops::testing::run_sync;

namespace {

boost::asio::awaitable<Reply> failing_work() {
    throw std::runtime_error("database is locked");
    co_return Reply{};
}

// A store whose writes of request keys fail, as a full disk or a locked
// database makes them; the rest is a working store.
class FailingStore final : public Store {
public:
    std::int64_t append_audit(const AuditRecord& r) override { return inner.append_audit(r); }
    void finish_audit(std::int64_t id, const std::string& o, const std::string& d, const std::string& b) override {
        inner.finish_audit(id, o, d, b);
    }
    std::vector<AuditRecord> recent_audit(std::size_t limit) const override { return inner.recent_audit(limit); }
    std::optional<AuditRecord> audit_record(std::int64_t id) const override { return inner.audit_record(id); }
    std::vector<AuditRecord> audit_history(const AuditQuery& q) const override { return inner.audit_history(q); }
    bool remember_request(const std::string&, std::chrono::system_clock::time_point) override {
        throw std::runtime_error("sqlite: disk I/O error");
    }
    bool healthy() const override { return true; }
    std::string describe() const override { return "failing"; }

private:
    SqliteStore inner{":memory:"};
};

}  // namespace

TEST(DetachedReplyErrors, AThrowingTaskStillAnswersWithItsRequestId) {
    Metrics metrics;
    const Reply reply = run_sync(reply_or_error(failing_work(), &metrics, "req-42"));
    EXPECT_NE(DispatcherTest::all_text(reply).find("req-42"), std::string::npos) << DispatcherTest::all_text(reply);
    EXPECT_NE(metrics.render_prometheus().find("kind=\"detached_exception\"} 1"), std::string::npos);
}

TEST(DetachedReplyErrors, LateWorkThatThrowsIsStillDelivered) {
    boost::asio::io_context io;
    std::optional<Reply> late;
    std::optional<Reply> inline_reply{Reply{}};
    boost::asio::co_spawn(io, [&]() -> boost::asio::awaitable<void> {
        inline_reply = co_await run_with_budget(failing_work(), std::chrono::milliseconds(0),
                                                [&](Reply r) { late = std::move(r); });
    }, boost::asio::detached);
    io.run();
    EXPECT_FALSE(inline_reply);
    ASSERT_TRUE(late) << "the acknowledgement promised an answer";
    EXPECT_NE(DispatcherTest::all_text(*late).find("went wrong"), std::string::npos) << DispatcherTest::all_text(*late);
}

TEST(DetachedReplyErrors, JobCountComesDownWhenTheTaskThrows) {
    Metrics metrics;
    boost::asio::io_context io;
    boost::asio::co_spawn(io, [&]() -> boost::asio::awaitable<void> {
        JobInFlight counted(metrics);
        co_await failing_work();
    }, boost::asio::detached);
    io.run();
    EXPECT_NE(metrics.render_prometheus().find("hpops_followups_in_flight 0"), std::string::npos)
        << metrics.render_prometheus();
}

TEST_F(DispatcherTest, AStoreFailureDuringConfirmBecomesAnAnswer) {
    const std::string token = token_of(run("UADMIN", "nodegroup delete spot-ng"));
    FailingStore failing;
    Dispatcher broken(config, failing, bot, handlers, metrics);
    const Reply reply = run_sync(reply_or_error(
        broken.confirm(Caller{"slack", "UADMIN", "UADMIN", "C1", "req-7", std::nullopt}, token), &metrics, "req-7"));
    EXPECT_NE(all_text(reply).find("req-7"), std::string::npos) << all_text(reply);
    EXPECT_EQ(delete_calls, 0);
}
