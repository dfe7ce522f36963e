#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include <sqlite3.h>

namespace hpops::store {

// One use of a prepared, cached statement: binds, steps, reads columns, and
// resets it on scope exit so the next caller finds it clean. Errors throw
// std::runtime_error("sqlite WHERE: OPERATION: message"); the message is built
// only on failure, so a query costs no string work.
class StatementUse {
public:
    StatementUse(sqlite3* db, sqlite3_stmt* stmt, std::string_view where, const char* operation)
        : db_(db), stmt_(stmt), where_(where), operation_(operation) {}
    ~StatementUse() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    StatementUse(const StatementUse&) = delete;
    StatementUse& operator=(const StatementUse&) = delete;

    StatementUse& bind(int index, std::int64_t value) { return check(sqlite3_bind_int64(stmt_, index, value)); }
    StatementUse& bind(int index, std::string_view value) {
        return check(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT));
    }
    // True while there is a row to read.
    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc != SQLITE_DONE) fail();
        return false;
    }
    std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
    std::string text(int column) const {
        const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
        return data ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
    }

private:
    StatementUse& check(int rc) {
        if (rc != SQLITE_OK) fail();
        return *this;
    }
    [[noreturn]] void fail() const {
        throw std::runtime_error("sqlite " + std::string(where_) + ": " + operation_ + ": " + sqlite3_errmsg(db_));
    }
    sqlite3* db_;
    sqlite3_stmt* stmt_;
    std::string_view where_;
    const char* operation_;
};

}  // namespace hpops::store
