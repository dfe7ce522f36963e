#pragma once
// An in-memory MLflow for fast tests of the training handlers. The end-to-end
// tests keep `mlflow server`.
#include <boost/asio/awaitable.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hpops/errors.hpp"
#include "hpops/tracking.hpp"

namespace hpops::testing {

// Tracking over vectors: searches are recorded; a run_name filter is honoured,
// any other filter is the test's business (it sets `runs` to the answer).
class FakeTracking final : public Tracking {
public:
    std::vector<Experiment> experiments;
    std::vector<Run> runs;
    std::string ui;
    std::map<std::string, std::vector<MetricPoint>> histories;  // by metric key
    std::optional<UpstreamError> search_error;

    std::vector<RunQuery> searches;
    std::vector<std::string> gets, deleted, history_keys;

    std::string ui_url() const override { return ui; }
    boost::asio::awaitable<std::vector<Experiment>> search_experiments() override { co_return experiments; }

    boost::asio::awaitable<std::vector<Run>> search_runs(RunQuery query) override {
        searches.push_back(query);
        if (search_error) throw *search_error;
        std::vector<Run> out;
        const std::string by_name = "attributes.run_name = '";
        for (const auto& run : runs) {
            if (query.filter.starts_with(by_name) &&
                query.filter != by_name + run.name + "'")
                continue;
            if (static_cast<int>(out.size()) == query.max_results) break;
            out.push_back(run);
        }
        co_return out;
    }

    boost::asio::awaitable<Run> get_run(std::string run_id) override {
        gets.push_back(run_id);
        for (const auto& run : runs)
            if (run.id == run_id) co_return run;
        throw UpstreamError("mlflow", "RESOURCE_DOES_NOT_EXIST", "Run '" + run_id + "' not found", "", 404);
    }

    boost::asio::awaitable<void> delete_run(std::string run_id) override {
        deleted.push_back(run_id);
        co_return;
    }

    boost::asio::awaitable<std::vector<MetricPoint>> metric_history(std::string, std::string key) override {
        history_keys.push_back(key);
        auto it = histories.find(key);
        co_return it == histories.end() ? std::vector<MetricPoint>{} : it->second;
    }
};

}  // namespace hpops::testing
