// SqliteStore's DigestScheduleStore half: the digest_schedules table (migration 4).
#include "store/digest_sections_text.hpp"
#include "store/row_readers.hpp"
#include "store/sqlite_statement.hpp"
#include "store/sqlite_store.hpp"

#include <sqlite3.h>

namespace hpops::store {
namespace {

class ScheduleUse : public StatementUse {
public:
    ScheduleUse(sqlite3* db, sqlite3_stmt* stmt, const char* operation) : StatementUse(db, stmt, "digest schedules", operation) {}
};

constexpr const char* sql_put =
    "INSERT INTO digest_schedules (name, cron, timezone, channel, sections, created_by, created_unix_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (name) DO UPDATE SET cron = ?2, timezone = ?3, channel = ?4,"
    " sections = ?5, created_by = ?6, created_unix_ms = ?7";
constexpr const char* sql_delete = "DELETE FROM digest_schedules WHERE name = ?1";
constexpr const char* sql_list_schedules =
    "SELECT name, cron, timezone, channel, sections, created_by, created_unix_ms FROM digest_schedules ORDER BY name";

}  // namespace

void SqliteStore::put_digest_schedule(const DigestSchedule& schedule) {
    std::lock_guard lock(mutex_);
    ScheduleUse q(db_.get(), statement(sql_put), "save digest schedule");
    q.bind(1, schedule.name).bind(2, schedule.cron).bind(3, schedule.timezone).bind(4, schedule.channel);
    q.bind(5, joined_sections(schedule.sections)).bind(6, schedule.created_by).bind(7, schedule.created_unix_ms).step();
}

bool SqliteStore::delete_digest_schedule(const std::string& name) {
    std::lock_guard lock(mutex_);
    ScheduleUse q(db_.get(), statement(sql_delete), "delete digest schedule");
    q.bind(1, name).step();
    return sqlite3_changes(db_.get()) > 0;
}

std::vector<DigestSchedule> SqliteStore::digest_schedules() const {
    std::lock_guard lock(mutex_);
    ScheduleUse q(db_.get(), statement(sql_list_schedules), "list digest schedules");
    std::vector<DigestSchedule> out;
    while (q.step()) out.push_back(digest_schedule_from_row(q));
    return out;
}

}  // namespace hpops::store
