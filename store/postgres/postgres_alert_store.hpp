#pragma once
// The alert tables on PostgreSQL (migration 3), shared by replicas. Each
// accept() is one transaction that first takes the alerts table in SHARE ROW
// EXCLUSIVE mode: accepts from all replicas run one at a time, as they do on
// SQLite's single writer, so Alertmanager's HA pair sending one group to two
// replicas stores it once and opens one message. Listings are not blocked.
#include <memory>

#include "hpops/alert_store.hpp"
#include "store/postgres/pg_pool.hpp"

namespace hpops::store {

class PostgresAlertStore final : public AlertStore {
public:
    PostgresAlertStore(pg::PoolSettings settings, std::size_t max_firing = 100'000);

    AcceptCounts accept(const std::vector<RoutedAlert>& batch, const FloodPolicy& flood,
                        std::chrono::system_clock::time_point now) override;
    std::vector<std::string> channels_with_pending() const override;
    std::optional<PendingMessage> next_pending(const std::string& channel, std::size_t alert_limit) const override;
    void mark_posted(std::int64_t id, std::int64_t version, const std::string& posted_channel,
                     const std::string& ts) override;
    void mark_failed(std::int64_t id, std::int64_t version, const std::string& error) override;
    std::size_t purge_resolved(std::chrono::system_clock::time_point resolved_before) override;
    std::vector<StoredAlert> list_alerts(std::optional<AlertStatus> status, std::int64_t since_unix_ms,
                                         std::size_t limit) const override;

private:
    std::unique_ptr<pg::Pool> pool_;
    std::size_t max_firing_;
};

}  // namespace hpops::store
