#pragma once
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hpops/reply.hpp"

namespace hpops {
struct Clients;
struct Config;
class Store;
class JobStore;
}  // namespace hpops

namespace hpops::handlers {

// What a digest covers: the period since the last one, and what it may read.
struct DigestInputs {
    const Clients& clients;
    Store* store;  // the audit, for who changed what; null: not said
    const JobStore* jobs;  // cluster launches; null: not said
    const Config& config;
    std::int64_t since_unix_ms = 0;
    std::int64_t until_unix_ms = 0;
};

// One section as built: a few lines and at most one table, or, when its
// backend could not be read, `problem` instead (the rest of the digest is
// posted all the same).
struct DigestSection {
    std::string name;   // "fleet"
    std::string title;  // "Fleet"
    std::vector<std::string> lines;  // markdown
    Table table;
    std::string problem;
};

// Keeps a section a few lines long: past `max` rows its table keeps the first
// `max` and a line says how many more there are and where to see them all.
void cap_rows(DigestSection& section, std::size_t max, const std::string& what, const std::string& see_all);
// The same for lines that start with `prefix` ("Failed in ").
void cap_lines(DigestSection& section, std::string_view prefix, std::size_t max, const std::string& what);

// The sections named (empty: all), in digest_section_names() order.
boost::asio::awaitable<std::vector<DigestSection>> build_digest_sections(DigestInputs inputs,
                                                                         std::vector<std::string> names);

}  // namespace hpops::handlers
