#pragma once
// The MLflow run that belongs to a training job. Seed 001's jobs log to an
// MLflow experiment named after the job (HyperPodPyTorchJob
// `hyperpodpytorchjob-2xy` -> experiment `hyperpodpytorchjob-2xy`): a job's
// run is the newest run of the experiment of its name. No match is no run,
// never a guess.
#include <boost/asio/awaitable.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hpops/tracking.hpp"

namespace hpops::handlers {

// Job name -> experiment id, for the jobs whose name an active experiment has.
std::map<std::string, std::string> experiments_for_jobs(const std::vector<Experiment>& experiments,
                                                        const std::vector<std::string>& job_names);

// What a reply says about the match.
struct JobRuns {
    std::map<std::string, Run> runs;  // job name -> its newest run
    std::string note;                 // why there are none: no MLflow configured, or it failed
};

// The newest run of each job's experiment; MLflow failing or absent is a
// note, never a failed listing of the jobs.
boost::asio::awaitable<JobRuns> runs_for_jobs(Tracking* mlflow, std::vector<std::string> job_names);

// "run_20250818_003049 (FINISHED)", clipped for a table cell.
std::string run_cell(const Run& run);

}  // namespace hpops::handlers
