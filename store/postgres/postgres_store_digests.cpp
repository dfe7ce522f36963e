// PostgresStore's DigestScheduleStore half: the digest_schedules table (migration 4).
#include "store/row_readers.hpp"
#include "store/postgres/postgres_store.hpp"

namespace hpops::store {
namespace {

using pg::Params;

constexpr const char* sql_put =
    "INSERT INTO digest_schedules (name, cron, timezone, channel, sections, created_by, created_unix_ms)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO UPDATE SET cron = $2, timezone = $3, channel = $4,"
    " sections = $5, created_by = $6, created_unix_ms = $7";
constexpr const char* sql_delete = "DELETE FROM digest_schedules WHERE name = $1";
constexpr const char* sql_list_schedules =
    "SELECT name, cron, timezone, channel, sections, created_by, created_unix_ms FROM digest_schedules ORDER BY name";

}  // namespace

void PostgresStore::put_digest_schedule(const DigestSchedule& s) {
    auto c = lease();
    c->exec(sql_put,
            Params().add(s.name).add(s.cron).add(s.timezone).add(s.channel).add(joined_sections(s.sections))
                .add(s.created_by).add(s.created_unix_ms),
            "save digest schedule");
}

bool PostgresStore::delete_digest_schedule(const std::string& name) {
    auto c = lease();
    return c->exec(sql_delete, Params().add(name), "delete digest schedule").affected() > 0;
}

std::vector<DigestSchedule> PostgresStore::digest_schedules() const {
    auto c = lease();
    return c->exec(sql_list_schedules, {}, "list digest schedules").all(digest_schedule_from_row<pg::Row>);
}

}  // namespace hpops::store
