// SqliteStore's DigestScheduleStore half: the digest_schedules table (migration 4).
#include "store/sqlite_statement.hpp"
#include "store/sqlite_store.hpp"

#include <sqlite3.h>

namespace hpops::store {
namespace {

class Use : public StatementUse {
public:
    Use(sqlite3* db, sqlite3_stmt* stmt, const char* operation) : StatementUse(db, stmt, "digest schedules", operation) {}
};

constexpr const char* sql_put =
    "INSERT INTO digest_schedules (name, cron, timezone, channel, sections, created_by, created_unix_ms)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (name) DO UPDATE SET cron = ?2, timezone = ?3, channel = ?4,"
    " sections = ?5, created_by = ?6, created_unix_ms = ?7";
constexpr const char* sql_delete = "DELETE FROM digest_schedules WHERE name = ?1";
constexpr const char* sql_list =
    "SELECT name, cron, timezone, channel, sections, created_by, created_unix_ms FROM digest_schedules ORDER BY name";

// Sections are stored as "fleet,alerts": names of letters only.
std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
    return out;
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto comma = text.find(',', start);
        const auto end = comma == std::string::npos ? text.size() : comma;
        if (end > start) items.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return items;
}

}  // namespace

void SqliteStore::put_digest_schedule(const DigestSchedule& schedule) {
    std::lock_guard lock(mutex_);
    Use q(db_.get(), statement(sql_put), "save digest schedule");
    q.bind(1, schedule.name).bind(2, schedule.cron).bind(3, schedule.timezone).bind(4, schedule.channel);
    q.bind(5, joined(schedule.sections)).bind(6, schedule.created_by).bind(7, schedule.created_unix_ms).step();
}

bool SqliteStore::delete_digest_schedule(const std::string& name) {
    std::lock_guard lock(mutex_);
    Use q(db_.get(), statement(sql_delete), "delete digest schedule");
    q.bind(1, name).step();
    return sqlite3_changes(db_.get()) > 0;
}

std::vector<DigestSchedule> SqliteStore::digest_schedules() const {
    std::lock_guard lock(mutex_);
    Use q(db_.get(), statement(sql_list), "list digest schedules");
    std::vector<DigestSchedule> out;
    while (q.step())
        out.push_back({q.text(0), q.text(1), q.text(2), q.text(3), split(q.text(4)), q.text(5), q.integer(6), false});
    return out;
}

}  // namespace hpops::store
