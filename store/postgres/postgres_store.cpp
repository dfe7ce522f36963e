#include "store/postgres/postgres_store.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "store/postgres/pg_migrations.hpp"
#include "store/row_readers.hpp"
#include "common/timestamps.hpp"

namespace hpops::store {
namespace {

using pg::Params;

constexpr const char* sql_insert_audit =
    "INSERT INTO audit (time_unix_ms, platform, actor_id, actor_name, channel, command, arguments, outcome,"
    " detail, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
// An empty backend id keeps one recorded earlier (e.g. by a progress update).
constexpr const char* sql_finish_audit =
    "UPDATE audit SET outcome = $2, detail = $3,"
    " backend_request_id = CASE WHEN $4::TEXT = '' THEN backend_request_id ELSE $4 END WHERE id = $1";
constexpr const char* sql_recent_audit =
    "SELECT id, time_unix_ms, platform, actor_id, actor_name, channel, command, arguments, outcome, detail,"
    " request_id, backend_request_id FROM audit ORDER BY id DESC LIMIT $1";
constexpr const char* sql_audit_by_id =
    "SELECT id, time_unix_ms, platform, actor_id, actor_name, channel, command, arguments, outcome, detail,"
    " request_id, backend_request_id FROM audit WHERE id = $1";
// The command text after the command, padded with a space, holds " NAME " for
// an argument or "=NAME " for an option's value (as on SQLite).
constexpr const char* sql_audit_history =
    "SELECT id, time_unix_ms, platform, actor_id, actor_name, channel, command, arguments, outcome, detail,"
    " request_id, backend_request_id FROM audit WHERE time_unix_ms >= $1 AND outcome <> 'confirm-requested'"
    " AND ($2::TEXT = '' OR strpos(substr(arguments, length(command) + 1) || ' ', ' ' || $2 || ' ') > 0"
    " OR strpos(substr(arguments, length(command) + 1) || ' ', '=' || $2 || ' ') > 0)"
    " ORDER BY id DESC LIMIT $3";
// One statement decides, whichever replica asks: a new key inserts, an
// expired one is renewed, a live one is left alone (no row: a replay).
constexpr const char* sql_remember =
    "INSERT INTO seen_requests (key, expires_unix_ms) VALUES ($1, $2)"
    " ON CONFLICT (key) DO UPDATE SET expires_unix_ms = excluded.expires_unix_ms"
    " WHERE seen_requests.expires_unix_ms <= $3";
constexpr const char* sql_purge = "DELETE FROM seen_requests WHERE expires_unix_ms <= $1";
constexpr const char* sql_select_one = "SELECT 1";

}  // namespace

PostgresStore::PostgresStore(pg::PoolSettings settings, Clock clock)
    : clock_(std::move(clock)),
      description_("postgres " + pg::redacted_url(settings.connect.url) + " (pool " + std::to_string(settings.size) +
                   ", statement timeout " + std::to_string(settings.connect.statement_timeout_ms) + " ms)"),
      pool_(pg::open_migrated_pool(std::move(settings))) {}

std::int64_t PostgresStore::append_audit(const AuditRecord& r) {
    auto c = lease();
    const auto result = c->exec(sql_insert_audit,
                                Params()
                                    .add(r.time_unix_ms != 0 ? r.time_unix_ms : unix_ms(clock_()))
                                    .add(r.platform).add(r.actor_id).add(r.actor_name).add(r.channel)
                                    .add(r.command).add(r.arguments).add(r.outcome).add(r.detail).add(r.request_id),
                                "append audit");
    return result.integer(0, 0);
}

void PostgresStore::finish_audit(std::int64_t id, const std::string& outcome, const std::string& detail,
                                 const std::string& backend_request_id) {
    auto c = lease();
    const auto result = c->exec(sql_finish_audit, Params().add(id).add(outcome).add(detail).add(backend_request_id),
                                "finish audit");
    if (result.affected() == 0)
        throw std::runtime_error("postgres: finish audit: no audit record " + std::to_string(id));
}

std::vector<AuditRecord> PostgresStore::recent_audit(std::size_t limit) const {
    auto c = lease();
    const auto limit_value = static_cast<std::int64_t>(std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
    const auto q = c->exec(sql_recent_audit, Params().add(limit_value), "read audit");
    return q.all(audit_from_row<pg::Row>);
}

std::optional<AuditRecord> PostgresStore::audit_record(std::int64_t id) const {
    auto c = lease();
    const auto q = c->exec(sql_audit_by_id, Params().add(id), "read audit");
    if (q.empty()) return std::nullopt;
    return audit_from_row(q.row(0));
}

std::vector<AuditRecord> PostgresStore::audit_history(const AuditQuery& query) const {
    auto c = lease();
    const auto limit = static_cast<std::int64_t>(std::min<std::size_t>(query.limit, std::numeric_limits<std::int64_t>::max()));
    const auto q = c->exec(sql_audit_history, Params().add(query.since_unix_ms).add(query.mentions).add(limit),
                           "read audit history");
    return q.all(audit_from_row<pg::Row>);
}

bool PostgresStore::remember_request(const std::string& key, std::chrono::system_clock::time_point expires) {
    bool is_new = false;
    {
        auto c = lease();
        is_new = c->exec(sql_remember, Params().add(key).add(unix_ms(expires)).add(unix_ms(clock_())),
                         "remember request")
                     .affected() > 0;
    }
    // Amortised clean-up keeps the table at about one tolerance window of keys.
    if (++inserts_since_purge_ >= purge_interval) purge_expired_requests();
    return is_new;
}

std::size_t PostgresStore::purge_expired_requests() {
    inserts_since_purge_ = 0;
    auto c = lease();
    return static_cast<std::size_t>(c->exec(sql_purge, Params().add(unix_ms(clock_())), "purge seen requests").affected());
}

int PostgresStore::schema_version() const {
    auto c = lease();
    return pg::schema_version(*c);
}

bool PostgresStore::healthy() const {
    try {
        auto c = lease();
        return c->exec(sql_select_one, {}, "health check").integer(0, 0) == 1;
    } catch (const std::exception&) {
        return false;
    }
}

std::string PostgresStore::describe() const { return description_; }

}  // namespace hpops::store
