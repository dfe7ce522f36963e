#pragma once
// The SQL of PostgresAlertStore: store/alert_store_sql.hpp's statements in
// PostgreSQL's dialect ($n parameters, GREATEST, RETURNING, an alias for
// every subquery in FROM).
namespace hpops::store::pg_alert_sql {

// Accepts from every replica take turns; readers are not held up.
constexpr const char* sql_lock_for_intake = "LOCK TABLE alerts IN SHARE ROW EXCLUSIVE MODE";
constexpr const char* sql_count_firing = "SELECT COUNT(*) FROM alerts WHERE status = 0";

constexpr const char* sql_find = "SELECT status, digest, message_id FROM alerts WHERE key = $1";
constexpr const char* sql_upsert =
    "INSERT INTO alerts (key, source, fingerprint, status, severity, name, summary, channel, message_id, digest,"
    " body, starts_unix_ms, ends_unix_ms, first_seen_unix_ms, updated_unix_ms)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)"
    " ON CONFLICT (key) DO UPDATE SET status = excluded.status, severity = excluded.severity,"
    " name = excluded.name, summary = excluded.summary, channel = excluded.channel,"
    " message_id = excluded.message_id, digest = excluded.digest, body = excluded.body,"
    " starts_unix_ms = excluded.starts_unix_ms, ends_unix_ms = excluded.ends_unix_ms,"
    " first_seen_unix_ms = excluded.first_seen_unix_ms, updated_unix_ms = excluded.updated_unix_ms";
constexpr const char* sql_change =
    "UPDATE alerts SET status = $2, severity = $3, name = $4, summary = $5, digest = $6, body = $7,"
    " starts_unix_ms = CASE WHEN $8::BIGINT = 0 THEN starts_unix_ms ELSE $8 END, ends_unix_ms = $9,"
    " updated_unix_ms = $10 WHERE key = $1";
constexpr const char* sql_bump = "UPDATE alert_messages SET version = version + 1 WHERE id = $1";
constexpr const char* sql_new_message =
    "INSERT INTO alert_messages (channel, kind, created_unix_ms) VALUES ($1, $2, $3) RETURNING id";
constexpr const char* sql_recent_new =
    "SELECT COUNT(*) FROM (SELECT 1 FROM alerts WHERE channel = $1 AND first_seen_unix_ms >= $2 LIMIT $3) AS recent";
constexpr const char* sql_open_flood =
    "SELECT id FROM alert_messages WHERE channel = $1 AND kind = 2 AND created_unix_ms >= $2 ORDER BY id DESC LIMIT 1";
constexpr const char* sql_drop_oldest_firing =
    "DELETE FROM alerts WHERE key IN (SELECT key FROM alerts WHERE status = 0 ORDER BY first_seen_unix_ms LIMIT $1)";
constexpr const char* sql_settle_emptied =
    "UPDATE alert_messages SET posted_version = version, error = 'alerts_dropped'"
    " WHERE posted_version < version AND ts = ''"
    " AND NOT EXISTS (SELECT 1 FROM alerts AS a WHERE a.message_id = alert_messages.id)";

constexpr const char* sql_pending_channels = "SELECT DISTINCT channel FROM alert_messages WHERE posted_version < version";
constexpr const char* sql_next_pending =
    "SELECT id, kind, posted_channel, ts, version FROM alert_messages"
    " WHERE channel = $1 AND posted_version < version ORDER BY id LIMIT 1";
constexpr const char* sql_message_alerts =
    "SELECT source, fingerprint, status, severity, name, summary, body, starts_unix_ms, ends_unix_ms"
    " FROM alerts WHERE message_id = $1 ORDER BY status, starts_unix_ms DESC LIMIT $2";
constexpr const char* sql_message_counts = "SELECT status, COUNT(*) FROM alerts WHERE message_id = $1 GROUP BY status";
constexpr const char* sql_mark_posted =
    "UPDATE alert_messages SET posted_channel = $3, ts = $4, error = '',"
    " posted_version = GREATEST(posted_version, $2) WHERE id = $1";
constexpr const char* sql_mark_failed =
    "UPDATE alert_messages SET error = $3, posted_version = GREATEST(posted_version, $2) WHERE id = $1";

constexpr const char* sql_purge_alerts =
    "DELETE FROM alerts WHERE key IN (SELECT key FROM alerts AS a WHERE a.status = 1 AND a.updated_unix_ms < $1"
    " AND NOT EXISTS (SELECT 1 FROM alert_messages AS m WHERE m.id = a.message_id AND m.posted_version < m.version)"
    " LIMIT $2)";
constexpr const char* sql_purge_messages =
    "DELETE FROM alert_messages WHERE id IN (SELECT id FROM alert_messages AS m WHERE m.created_unix_ms < $1"
    " AND m.posted_version >= m.version AND NOT EXISTS (SELECT 1 FROM alerts AS a WHERE a.message_id = m.id)"
    " LIMIT $2)";

#define HPOPS_ALERT_LIST_SELECT                                                                                    \
    "SELECT a.source, a.fingerprint, a.status, a.severity, a.name, a.summary, a.channel, a.starts_unix_ms,"      \
    " a.ends_unix_ms, m.error FROM alerts a LEFT JOIN alert_messages m ON m.id = a.message_id"
constexpr const char* sql_list_by_status = HPOPS_ALERT_LIST_SELECT
    " WHERE a.status = $1 AND a.updated_unix_ms >= $2 ORDER BY a.starts_unix_ms DESC LIMIT $3";
constexpr const char* sql_list_all = HPOPS_ALERT_LIST_SELECT
    " WHERE a.updated_unix_ms >= $1 ORDER BY a.starts_unix_ms DESC LIMIT $2";
#undef HPOPS_ALERT_LIST_SELECT

}  // namespace hpops::store::pg_alert_sql
