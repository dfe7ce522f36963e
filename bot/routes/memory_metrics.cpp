#include "bot/routes/memory_metrics.hpp"

#include <malloc.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>

namespace hpops::bot {
namespace {

std::uint64_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::uint64_t size = 0, resident = 0;
    statm >> size >> resident;
    return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

std::uint64_t open_descriptors() {
    std::error_code ec;
    std::uint64_t count = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++count;
    return count;
}

void gauge(std::string& out, std::string_view name, std::string_view help, std::uint64_t value,
           std::string_view labels = {}) {
    out += "# HELP " + std::string(name) + " " + std::string(help) + "\n# TYPE " + std::string(name) + " gauge\n" +
           std::string(name) + std::string(labels) + " " + std::to_string(value) + "\n";
}

}  // namespace

std::string memory_metrics(const ReplayGuard& slack_replays, const ReplayGuard& grafana_replays) {
    std::string out;
    gauge(out, "process_resident_memory_bytes", "Resident memory size in bytes.", resident_bytes());
    gauge(out, "process_open_fds", "Number of open file descriptors.", open_descriptors());
    // mallinfo2 walks every arena under its lock: cheap at a scrape's pace.
    const struct mallinfo2 heap = mallinfo2();
    gauge(out, "hpops_malloc_in_use_bytes", "Heap bytes handed out by malloc and not freed.",
          heap.uordblks + heap.hblkhd);
    gauge(out, "hpops_malloc_free_bytes", "Heap bytes freed but kept by malloc's arenas.", heap.fordblks);
    gauge(out, "hpops_sqlite_memory_bytes", "Bytes SQLite holds (page caches, statements, schema).",
          static_cast<std::uint64_t>(sqlite3_memory_used()));
    out += "# HELP hpops_replay_guard_bytes Bytes the replay guards' tables take, by source.\n"
           "# TYPE hpops_replay_guard_bytes gauge\n"
           "hpops_replay_guard_bytes{source=\"slack\"} " + std::to_string(slack_replays.bytes_reserved()) + "\n"
           "hpops_replay_guard_bytes{source=\"grafana\"} " + std::to_string(grafana_replays.bytes_reserved()) + "\n";
    return out;
}

}  // namespace hpops::bot
