#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "bot/leadership.hpp"
#include "bot/periodic_task.hpp"
#include "hpops/config.hpp"
#include "hpops/job.hpp"
#include "hpops/store.hpp"

namespace hpops::bot {

// Posts scheduled digests: at each schedule's firing it begins a digest job
// under the claim (schedule, fire time), which the store lets exist once, so
// a restart at the firing instant or a second replica never posts it twice.
// A firing missed while hpops was down is posted once, marked late, if it is
// younger than digests.grace (only the newest, when several were missed);
// an older one is skipped and logged at start.
//
// Of several replicas, the leader ticks (`leadership`); when it dies, the
// next leader posts what came due meanwhile, as after a restart.
class DigestScheduler {
public:
    DigestScheduler(boost::asio::any_io_executor executor, const Config& config, Store& store, Jobs& jobs,
                    Leadership leadership = {});

    // Begins every schedule's newest firing due at `now` and younger than the
    // grace, unless claimed already. Returns the claims this call took.
    boost::asio::awaitable<std::vector<std::string>> tick(std::chrono::sys_seconds now);
    // When the next firing of any schedule comes after `now`.
    std::optional<std::chrono::sys_seconds> next_due(std::chrono::sys_seconds now) const;

    // Ticks at each firing and every `recheck` (schedules made in chat
    // meanwhile) on its own strand while it leads, until stop().
    void start(std::chrono::seconds recheck = std::chrono::seconds(30));
    void stop();

private:
    void log_skipped(std::chrono::sys_seconds now) const;
    boost::asio::awaitable<std::chrono::milliseconds> round();

    const Config& config_;
    Store& store_;
    Jobs& jobs_;
    Leadership leadership_;  // on the task's strand
    bool started_ = false;
    std::chrono::seconds recheck_{30};
    PeriodicTask task_;
};

}  // namespace hpops::bot
