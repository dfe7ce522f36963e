#pragma once
// Every table hpops keeps, in one numbered list: the main store (audit, jobs,
// nonces, schedules) and the alert store open the same SQLite file, and each
// brings it up to date here on open, whichever comes first.
#include <chrono>
#include <span>
#include <string>

struct sqlite3;

namespace hpops::store {

struct Migration {
    int version;
    const char* sql;
};

std::span<const Migration> migrations();
int latest_schema_version();

// Applies every migration the file lacks, each in its own IMMEDIATE
// transaction (two processes opening one file cannot both apply one).
// Throws std::runtime_error when the file was written by a newer hpops.
void migrate(sqlite3* db, const std::string& path, std::chrono::system_clock::time_point now);
// The file's version: 0 before the first migration.
int schema_version(sqlite3* db, const std::string& path);

}  // namespace hpops::store
