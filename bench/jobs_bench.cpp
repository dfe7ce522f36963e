// jobs_bench: N concurrent follows on one process, as durable jobs (JobRunner
// over the SQLite store, synchronous=FULL, every step committed) and, as the
// baseline in the same run, as the detached poll loops hpops used before
// (poll_until below: nothing stored, as handlers followed before jobs).
//
//   jobs_bench [JOBS] [STEPS] [POLL_MS] [BACKEND_MS]     defaults: 200 10 200 20
//
// Every follow polls a stand-in backend that answers after BACKEND_MS and is
// done after STEPS polls. Reports wall time, how late steps ran against their
// poll interval (p50/p99/max), and RSS before and after, per mode.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "bot/jobs/job_runner.hpp"
#include "hpops/config.hpp"
#include "hpops/handler.hpp"
#include "store/sqlite_store.hpp"

namespace {

namespace asio = boost::asio;
using namespace hpops;
using steady = std::chrono::steady_clock;
using json = nlohmann::json;

// How handlers followed long work before jobs: a loop in the handler's own
// coroutine, checking every `interval` until done or `timeout` passes.
asio::awaitable<bool> poll_until(std::chrono::milliseconds interval, std::chrono::milliseconds timeout,
                                 std::function<asio::awaitable<bool>()> check) {
    const auto deadline = steady::now() + timeout;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
        if (co_await check()) co_return true;
        if (steady::now() + interval > deadline) co_return false;
        timer.expires_after(interval);
        co_await timer.async_wait(asio::use_awaitable);
    }
}

struct Settings {
    int jobs = 200, steps = 10;
    std::chrono::milliseconds poll{200}, backend{20};
};

long rss_kib() {
    std::ifstream status("/proc/self/status");
    std::string key;
    long value = 0;
    while (status >> key) {
        if (key == "VmRSS:") {
            status >> value;
            return value;
        }
        status.ignore(4096, '\n');
    }
    return 0;
}

// Lateness of each step against when it was due, in ms.
struct Lateness {
    std::mutex mutex;
    std::vector<double> ms;
    void add(steady::duration late) {
        std::lock_guard lock(mutex);
        ms.push_back(std::chrono::duration<double, std::milli>(late).count());
    }
    void print(const char* mode, double wall_s, long rss_before, long rss_after, int finished, int jobs) {
        std::sort(ms.begin(), ms.end());
        auto at = [&](double q) { return ms.empty() ? 0.0 : ms[std::min(ms.size() - 1, std::size_t(q * ms.size()))]; };
        std::printf("%-22s %4d/%-4d finished in %6.2f s   steps %6zu   late p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms"
                    "   RSS %6.1f -> %6.1f MiB\n",
                    mode, finished, jobs, wall_s, ms.size(), at(0.5), at(0.99), ms.empty() ? 0.0 : ms.back(),
                    rss_before / 1024.0, rss_after / 1024.0);
    }
};

asio::awaitable<void> backend_call(std::chrono::milliseconds latency) {
    asio::steady_timer timer(co_await asio::this_coro::executor, latency);
    co_await timer.async_wait(asio::use_awaitable);
}

// A follow as a job: one backend call per step; the state counts the polls.
class PollingKind final : public JobKind {
public:
    PollingKind(const Settings& s, Lateness& late) : s_(s), late_(late) {}
    std::string_view name() const override { return "poll"; }
    asio::awaitable<JobStep> step(const JobRecord& job, JobContext&) override {
        {
            std::lock_guard lock(mutex_);
            if (auto it = due_.find(job.id); it != due_.end()) late_.add(steady::now() - it->second);
        }
        co_await backend_call(s_.backend);
        json state = json::parse(job.state);
        const int n = state.value("n", 0) + 1;
        state["n"] = n;
        if (n >= s_.steps) {
            ++finished;
            co_return JobStep{JobStatus::done, state.dump(), {}, "done"};
        }
        {
            std::lock_guard lock(mutex_);
            due_[job.id] = steady::now() + s_.poll;
        }
        co_return JobStep{JobStatus::running, state.dump(), s_.poll, "polled"};
    }
    Reply render(const JobRecord& job) const override { return message_reply(job.state); }
    std::chrono::milliseconds deadline(const Config&) const override { return std::chrono::hours(1); }
    std::atomic<int> finished{0};

private:
    const Settings& s_;
    Lateness& late_;
    std::mutex mutex_;
    std::map<std::int64_t, steady::time_point> due_;
};

void run_jobs(const Settings& s, int threads) {
    const auto path = std::filesystem::temp_directory_path() / ("hpops-jobs-bench-" + std::to_string(::getpid()) + ".db");
    Lateness late;
    {
        store::SqliteStore store(path.string());
        Config config;
        Clients clients;
        PollingKind kind(s, late);
        asio::io_context io(threads);
        auto work = asio::make_work_guard(io);
        std::vector<std::thread> pool;
        for (int i = 0; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
        bot::JobRunner runner(io.get_executor(), store, JobContext{config, clients}, nullptr,
                              bot::JobRunnerOptions{.concurrency = 256});
        runner.add_kind(kind);
        runner.start();
        const long rss_before = rss_kib();
        const auto started = steady::now();
        for (int i = 0; i < s.jobs; ++i) {
            JobRecord job;
            job.kind = "poll";
            job.state = R"({"n":0})";
            asio::co_spawn(io, runner.begin(job, std::chrono::milliseconds(0)), asio::use_future).get();
        }
        while (kind.finished < s.jobs && steady::now() - started < std::chrono::minutes(5))
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        const double wall = std::chrono::duration<double>(steady::now() - started).count();
        const long rss_after = rss_kib();
        asio::co_spawn(io, runner.stop(), asio::use_future).get();
        work.reset();
        io.stop();
        for (auto& t : pool) t.join();
        late.print("durable jobs (SQLite)", wall, rss_before, rss_after, kind.finished, s.jobs);
    }
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

void run_poll_loops(const Settings& s, int threads) {
    Lateness late;
    asio::io_context io(threads);
    std::atomic<int> finished{0};
    const long rss_before = rss_kib();
    const auto started = steady::now();
    for (int i = 0; i < s.jobs; ++i)
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
                int n = 0;
                std::optional<steady::time_point> due;
                co_await poll_until(s.poll, std::chrono::hours(1), [&]() -> asio::awaitable<bool> {
                    if (due) late.add(steady::now() - *due);
                    co_await backend_call(s.backend);
                    due = steady::now() + s.poll;
                    co_return ++n >= s.steps;
                });
                ++finished;
            },
            asio::detached);
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
    io.run();
    for (auto& t : pool) t.join();
    const double wall = std::chrono::duration<double>(steady::now() - started).count();
    late.print("poll loops (baseline)", wall, rss_before, rss_kib(), finished, s.jobs);
}

}  // namespace

int main(int argc, char** argv) {
    Settings s;
    if (argc > 1) s.jobs = std::atoi(argv[1]);
    if (argc > 2) s.steps = std::atoi(argv[2]);
    if (argc > 3) s.poll = std::chrono::milliseconds(std::atoi(argv[3]));
    if (argc > 4) s.backend = std::chrono::milliseconds(std::atoi(argv[4]));
    std::printf("%d follows x %d polls, poll interval %lld ms, backend answers in %lld ms, 2 threads\n", s.jobs,
                s.steps, static_cast<long long>(s.poll.count()), static_cast<long long>(s.backend.count()));
    run_poll_loops(s, 2);
    run_jobs(s, 2);
    return 0;
}
