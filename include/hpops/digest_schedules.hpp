#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace hpops {

// A status digest posted on a schedule: from the config file, or made in
// chat (`/hp digest schedule`) and kept in the store.
struct DigestSchedule {
    std::string name;
    std::string cron;       // 5 fields, as Debian's cron reads them
    std::string timezone;   // IANA name
    std::string channel;    // a channel id or #name
    std::vector<std::string> sections;  // empty: all
    std::string created_by;  // a user id; empty for the config's
    std::int64_t created_unix_ms = 0;
    bool from_config = false;  // the file's: shown, never changed from chat
};

// The schedules made in chat. Calls are short and synchronous (local SQLite).
class DigestScheduleStore {
public:
    virtual ~DigestScheduleStore() = default;
    // Inserts the schedule, or replaces the one of its name.
    virtual void put_digest_schedule(const DigestSchedule& schedule) = 0;
    // False when no schedule had the name.
    virtual bool delete_digest_schedule(const std::string& name) = 0;
    // By name.
    virtual std::vector<DigestSchedule> digest_schedules() const = 0;
};

}  // namespace hpops
