#include "bot/digests/digest_scheduler.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "handlers/digest_job.hpp"
#include "handlers/digest_rules.hpp"
#include "hpops/errors.hpp"
#include "schedules/next_firing.hpp"
#include "schedules/time_zones.hpp"

namespace hpops::bot {
namespace {

using std::chrono::sys_seconds;

struct Readable {
    schedules::CronExpression cron;
    const date::time_zone* zone;
};

// Config and chat schedules are checked when made; one that no longer reads
// (a zone gone from the system's database) is logged and left out.
std::optional<Readable> readable(const DigestSchedule& s) {
    try {
        return Readable{schedules::parse_cron(s.cron), &schedules::find_zone(s.timezone)};
    } catch (const UserError& e) {
        spdlog::warn("digests: schedule {} cannot be read: {}", s.name, e.what());
        return std::nullopt;
    }
}

// The newest firing in (from, until], if any.
std::optional<sys_seconds> newest_between(const Readable& r, sys_seconds from, sys_seconds until) {
    std::optional<sys_seconds> newest;
    sys_seconds at = from;
    // min_interval is at least a minute and the grace at most a week: bounded.
    for (int i = 0; i < 20'000; ++i) {
        const auto next = schedules::next_firing(r.cron, *r.zone, at);
        if (!next || *next > until) break;
        newest = at = *next;
    }
    return newest;
}

// The newest firing of `schedule` hpops posted before `fire_unix` (0: none
// among the newest 200 jobs).
std::int64_t posted_before(const JobStore& jobs, const std::string& schedule, std::int64_t fire_unix) {
    for (const auto& job : jobs.recent_jobs(std::nullopt, 0, 200)) {
        if (job.kind != handlers::DigestJob::kind || job.target != "digest " + schedule) continue;
        const auto state = nlohmann::json::parse(job.state, nullptr, false);
        const std::int64_t fired = state.is_object() ? state.value("fire_unix", std::int64_t{0}) : 0;
        if (fired > 0 && fired < fire_unix) return fired;
    }
    return 0;
}

// Where the period of a digest starts: the previous one posted, or a day before.
std::int64_t period_start(const JobStore& jobs, const std::string& schedule, std::int64_t fire_unix) {
    const std::int64_t previous = posted_before(jobs, schedule, fire_unix);
    return (previous > 0 ? previous : fire_unix - 86'400) * 1000;
}

}  // namespace

DigestScheduler::DigestScheduler(boost::asio::any_io_executor executor, const Config& config, Store& store, Jobs& jobs,
                                 Leadership leadership)
    : config_(config), store_(store), jobs_(jobs), leadership_(std::move(leadership)),
      task_(executor, "digests", [this] { return round(); }, [this] { leadership_.resign(); }) {}

void DigestScheduler::log_skipped(sys_seconds now) const {
    const auto grace = std::chrono::duration_cast<std::chrono::seconds>(config_.digests.grace);
    for (const auto& s : handlers::all_digest_schedules(config_, store_)) {
        const auto r = readable(s);
        if (!r) continue;
        const auto missed = newest_between(*r, now - grace - std::chrono::hours(24 * 8), now - grace);
        if (!missed) continue;
        const std::int64_t fire = missed->time_since_epoch().count();
        // Only a schedule this hpops posted before can have been missed while it was down.
        if (posted_before(jobs_.store(), s.name, fire) > 0 && !jobs_.store().claimed(handlers::digest_claim(s.name, fire)))
            spdlog::warn("digests: {}'s firing due {} was missed while hpops was down and is older than digests.grace "
                         "({} s): skipped",
                         s.name, handlers::local_time_text(fire, s.timezone), grace.count());
    }
}

boost::asio::awaitable<std::vector<std::string>> DigestScheduler::tick(sys_seconds now) {
    if (!started_) {
        started_ = true;
        log_skipped(now);
    }
    std::vector<std::string> taken;
    const auto grace = std::chrono::duration_cast<std::chrono::seconds>(config_.digests.grace);
    for (const auto& s : handlers::all_digest_schedules(config_, store_)) {
        const auto r = readable(s);
        if (!r) continue;
        // Due now, or missed within the grace: the newest such firing, once.
        const auto due = newest_between(*r, now - grace - std::chrono::seconds(1), now);
        if (!due) continue;
        const std::int64_t fire = due->time_since_epoch().count();
        if (fire * 1000 < s.created_unix_ms) continue;  // made in chat after it: not a missed one
        const std::string claim = handlers::digest_claim(s.name, fire);
        if (jobs_.store().claimed(claim)) continue;
        const std::int64_t late = (now - *due) > std::chrono::seconds(60) ? (now - *due).count() : 0;
        JobRecord job = handlers::digest_firing_job(s, fire, late, period_start(jobs_.store(), s.name, fire));
        auto beginning = jobs_.begin(std::move(job), std::chrono::milliseconds(0));
        const std::int64_t id = co_await std::move(beginning);
        if (id == 0) continue;  // another replica took it between the check and the insert
        if (late > 0) spdlog::info("digests: {}'s firing due {} s ago posted late (job {})", s.name, late, id);
        taken.push_back(claim);
    }
    co_return taken;
}

std::optional<sys_seconds> DigestScheduler::next_due(sys_seconds now) const {
    std::optional<sys_seconds> soonest;
    for (const auto& s : handlers::all_digest_schedules(config_, store_))
        if (const auto r = readable(s))
            if (const auto next = schedules::next_firing(r->cron, *r->zone, now); next && (!soonest || *next < *soonest))
                soonest = next;
    return soonest;
}

void DigestScheduler::start(std::chrono::seconds recheck) {
    recheck_ = recheck;
    task_.start();
}

boost::asio::awaitable<std::chrono::milliseconds> DigestScheduler::round() {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    // The lease is renewed every wait, leading or not: a follower takes over within it.
    auto wait = std::min(std::chrono::duration_cast<std::chrono::milliseconds>(recheck_), leadership_.renew_every());
    if (!leadership_.lead()) co_return wait;
    try {
        auto ticking = tick(now);
        co_await std::move(ticking);
    } catch (const std::exception& e) {
        // The store failed: the next tick tries again; the claim keeps it once.
        spdlog::error("digests: {}", e.what());
    }
    std::optional<sys_seconds> next;
    try {
        next = next_due(now);
    } catch (const std::exception&) {
        // The store's schedules cannot be read (logged by the tick): recheck as usual.
    }
    if (next) wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(*next - now));
    co_return wait;
}

void DigestScheduler::stop() { task_.stop(); }

}  // namespace hpops::bot
