#pragma once
// Turns what went wrong talking to MLflow into UpstreamError("mlflow", ...)
// whose message reads well in chat. Pure, so tests call them directly.
#include <chrono>
#include <string>
#include <string_view>

#include "hpops/errors.hpp"
#include "hpops/http_client.hpp"
#include "integrations/mlflow/mlflow_target.hpp"

namespace hpops::integrations::mlflow {

// A non-2xx answer. MLflow's {"error_code", "message"} is passed on as is;
// an AWS-style error (SageMaker's front end refusing a signature) keeps its
// type; anything else (a proxy's HTML page) gets a message that says what
// the status means here, with the code "HTTP<status>".
UpstreamError error_from_response(const HttpResponse& response, const MlflowTarget& target, std::string_view path);

// Nothing answered: the HTTP layer's failure, said in MLflow's terms.
// Code "Timeout" ("MLflow at HOST did not answer within 10 s") or "Unreachable".
UpstreamError error_from_transport(const UpstreamError& failure, const MlflowTarget& target);

// "10 s", "2.5 s", "300 ms".
std::string describe_duration(std::chrono::milliseconds duration);

}  // namespace hpops::integrations::mlflow
