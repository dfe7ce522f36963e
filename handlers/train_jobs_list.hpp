#pragma once
#include <chrono>
#include <cstddef>
#include <string>

#include "handlers/train_job_runs.hpp"
#include "handlers/train_jobs.hpp"
#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp trainjobs [namespace=] [status=] [limit=]`: PyTorchJobs and
// HyperPodPyTorchJobs with state, replicas ready/total, restarts, age, queue
// and the MLflow run of each.
class TrainJobsList final : public Handler {
public:
    std::string_view command() const override { return "trainjobs"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

struct TrainJobsView {
    std::string cluster;
    std::string ns;      // empty: every namespace
    std::string status;  // empty: every state
    std::size_t limit = 20;
};

// The whole answer, pure for tests.
Reply render_train_jobs(const TrainJobs& jobs, const JobRuns& runs, const TrainJobsView& view,
                        std::chrono::system_clock::time_point now);

}  // namespace hpops::handlers
