#pragma once
#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "hpops/config.hpp"
#include "hpops/http_client.hpp"
#include "hpops/tracking.hpp"
#include "integrations/aws/credential_chain.hpp"
#include "integrations/mlflow/mlflow_target.hpp"

namespace hpops::integrations::mlflow {

// MLflow's REST API (api/2.0/mlflow/) for an open-source tracking server
// (optional bearer or basic auth) or SageMaker managed MLflow (SigV4 as
// "sagemaker-mlflow", routed by the tracking-server ARN header). Searches
// follow next_page_token. Every failure is UpstreamError("mlflow", ...):
// MLflow's error_code and message, or Timeout / Unreachable when nothing
// answered within config.timeout.
class MlflowClient final : public Tracking {
public:
    // credentials may be null when AWS is not configured; a SageMaker ARN then
    // fails each call with a clear error instead of failing start-up.
    // aws_region is used only for an ARN without one.
    MlflowClient(HttpClient& http, const MlflowConfig& config, std::string aws_region,
                 aws::CredentialsProvider* credentials);

    std::string ui_url() const override { return ui_url_; }
    boost::asio::awaitable<std::vector<Experiment>> search_experiments() override;
    boost::asio::awaitable<std::vector<Run>> search_runs(RunQuery query) override;
    boost::asio::awaitable<Run> get_run(std::string run_id) override;
    boost::asio::awaitable<void> delete_run(std::string run_id) override;
    boost::asio::awaitable<std::vector<MetricPoint>> metric_history(std::string run_id, std::string key) override;

    const MlflowTarget& target() const { return target_; }

    // A page token seen twice, or more pages than this, means a server that
    // would page forever; the call stops with BadResponse rather than loop.
    static constexpr int max_pages = 10'000;

private:
    // The body of a 2xx answer; anything else throws.
    boost::asio::awaitable<std::string> call(MlflowCall call);

    HttpClient& http_;
    aws::CredentialsProvider* const credentials_;
    const MlflowTarget target_;
    const std::string ui_url_;
};

}  // namespace hpops::integrations::mlflow
