#include "store/postgres/postgres_alert_store.hpp"

#include "store/alert_intake.hpp"
#include "store/alert_row.hpp"
#include "store/postgres/pg_migrations.hpp"
#include "store/postgres/postgres_alert_sql.hpp"
#include "store/row_readers.hpp"
#include "common/timestamps.hpp"

namespace hpops::store {
namespace {

using namespace pg_alert_sql;
using pg::Params;

// Batches keep each purge transaction short: intake waits for the same lock.
constexpr std::int64_t purge_batch = 2000;

// The rows accept_batch reads and writes, on one leased connection inside
// the caller's transaction.
class Rows final : public AlertRows {
public:
    explicit Rows(pg::Connection& c) : c_(c) {}

    std::optional<Stored> find(const std::string& key) override {
        const auto q = c_.exec(sql_find, Params().add(key), "find alert");
        if (q.empty()) return std::nullopt;
        return Stored{q.integer(0, 0), static_cast<std::uint64_t>(q.integer(0, 1)), q.integer(0, 2)};
    }
    void change(const std::string& key, const Alert& a, std::uint64_t digest, std::int64_t now) override {
        c_.exec(sql_change,
                Params().add(key).add(static_cast<std::int64_t>(a.status)).add(a.severity).add(a.name).add(a.summary)
                    .add(static_cast<std::int64_t>(digest)).add(alert_body(a)).add(unix_ms(a.starts_at))
                    .add(a.ends_at ? unix_ms(*a.ends_at) : 0).add(now),
                "change alert");
    }
    void bump(std::int64_t message_id) override { c_.exec(sql_bump, Params().add(message_id), "bump message"); }
    std::int64_t new_message(const std::string& channel, MessageKind kind, std::int64_t now) override {
        return c_.exec(sql_new_message, Params().add(channel).add(static_cast<std::int64_t>(kind)).add(now),
                       "new alert message")
            .integer(0, 0);
    }
    void store_new(const RoutedAlert& r, std::uint64_t digest, std::int64_t message_id, std::int64_t now) override {
        const Alert& a = r.alert;
        c_.exec(sql_upsert,
                Params().add(alert_key(a)).add(a.source).add(a.fingerprint).add(static_cast<std::int64_t>(a.status))
                    .add(a.severity).add(a.name).add(a.summary).add(r.channel).add(message_id)
                    .add(static_cast<std::int64_t>(digest)).add(alert_body(a)).add(unix_ms(a.starts_at))
                    .add(a.ends_at ? unix_ms(*a.ends_at) : 0).add(now),
                "store alert");
    }
    std::size_t recent_new(const std::string& channel, std::int64_t since, std::size_t limit) override {
        return static_cast<std::size_t>(
            c_.exec(sql_recent_new, Params().add(channel).add(since).add(static_cast<std::int64_t>(limit)),
                    "count recent alerts")
                .integer(0, 0));
    }
    std::optional<std::int64_t> open_flood(const std::string& channel, std::int64_t since) override {
        const auto q = c_.exec(sql_open_flood, Params().add(channel).add(since), "find flood summary");
        if (q.empty()) return std::nullopt;
        return q.integer(0, 0);
    }
    std::size_t drop_oldest_firing(std::int64_t over) override {
        static_assert(static_cast<int>(AlertStatus::firing) == 0, "the firing statements say status = 0");
        const auto dropped =
            static_cast<std::size_t>(c_.exec(sql_drop_oldest_firing, Params().add(over), "drop oldest firing").affected());
        if (dropped > 0) c_.exec(sql_settle_emptied, {}, "settle emptied messages");
        return dropped;
    }

private:
    pg::Connection& c_;
};

}  // namespace

PostgresAlertStore::PostgresAlertStore(pg::PoolSettings settings, std::size_t max_firing)
    : pool_(pg::open_migrated_pool(std::move(settings))), max_firing_(max_firing) {}

AcceptCounts PostgresAlertStore::accept(const std::vector<RoutedAlert>& batch, const FloodPolicy& flood,
                                        std::chrono::system_clock::time_point now) {
    auto c = pool_->lease();
    pg::Transaction tx(*c);
    c->run(sql_lock_for_intake, "lock alerts for intake");
    // Counted, not cached (other replicas add and resolve alerts too), and
    // only for a batch that adds firing alerts.
    auto firing = [&c] { return c->exec(sql_count_firing, {}, "count firing alerts").integer(0, 0); };
    Rows rows(*c);
    const IntakeResult result = accept_batch(rows, batch, flood, unix_ms(now), firing, max_firing_);
    tx.commit();
    return result.counts;
}

std::vector<std::string> PostgresAlertStore::channels_with_pending() const {
    auto c = pool_->lease();
    return c->exec(sql_pending_channels, {}, "list pending channels").all([](const pg::Row& r) { return r.text(0); });
}

std::optional<PendingMessage> PostgresAlertStore::next_pending(const std::string& channel, std::size_t limit) const {
    auto c = pool_->lease();
    PendingMessage m;
    {
        const auto q = c->exec(sql_next_pending, Params().add(channel), "next pending message");
        if (q.empty()) return std::nullopt;
        m.id = q.integer(0, 0);
        m.kind = static_cast<MessageKind>(q.integer(0, 1));
        m.channel = channel;
        m.posted_channel = q.text(0, 2);
        m.ts = q.text(0, 3);
        m.version = q.integer(0, 4);
    }
    m.alerts = c->exec(sql_message_alerts, Params().add(m.id).add(static_cast<std::int64_t>(limit)), "read message alerts")
                   .all(alert_from_row<pg::Row>);
    const auto counts = c->exec(sql_message_counts, Params().add(m.id), "count message alerts");
    for (int i = 0; i < counts.rows(); ++i)
        (counts.integer(i, 0) == static_cast<int>(AlertStatus::firing) ? m.firing : m.resolved) =
            static_cast<std::size_t>(counts.integer(i, 1));
    return m;
}

void PostgresAlertStore::mark_posted(std::int64_t id, std::int64_t version, const std::string& posted_channel,
                                     const std::string& ts) {
    auto c = pool_->lease();
    c->exec(sql_mark_posted, Params().add(id).add(version).add(posted_channel).add(ts), "mark posted");
}

void PostgresAlertStore::mark_failed(std::int64_t id, std::int64_t version, const std::string& error) {
    auto c = pool_->lease();
    c->exec(sql_mark_failed, Params().add(id).add(version).add(error), "mark failed");
}

std::size_t PostgresAlertStore::purge_resolved(std::chrono::system_clock::time_point resolved_before) {
    static_assert(static_cast<int>(AlertStatus::resolved) == 1, "the purge statements say status = 1");
    std::size_t alerts = 0;
    for (const char* sql : {sql_purge_alerts, sql_purge_messages}) {
        for (;;) {
            auto c = pool_->lease();
            const auto removed = static_cast<std::size_t>(
                c->exec(sql, Params().add(unix_ms(resolved_before)).add(purge_batch), "purge resolved").affected());
            if (sql == sql_purge_alerts) alerts += removed;
            if (removed < static_cast<std::size_t>(purge_batch)) break;
        }
    }
    return alerts;
}

std::vector<StoredAlert> PostgresAlertStore::list_alerts(std::optional<AlertStatus> status, std::int64_t since,
                                                         std::size_t limit) const {
    auto c = pool_->lease();
    Params params;
    if (status) params.add(static_cast<std::int64_t>(*status));
    params.add(since).add(static_cast<std::int64_t>(limit));
    return c->exec(status ? sql_list_by_status : sql_list_all, params, "list alerts")
        .all(stored_alert_from_row<pg::Row>);
}

}  // namespace hpops::store
