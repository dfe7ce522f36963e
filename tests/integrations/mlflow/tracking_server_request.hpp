#pragma once
// What the MLflow client tests read of a request sent to a SageMaker managed
// MLflow tracking server: its ARN, and a header by name.
#include <string>
#include <string_view>

#include "hpops/http_client.hpp"
#include "integrations/aws/sigv4_canonical.hpp"

namespace hpops::integrations::mlflow::testing {

inline constexpr const char* tracking_server_arn =
    "arn:aws:sagemaker:us-west-2:123456789012:mlflow-tracking-server/hp-tracking";

// HTTP header names are case-insensitive; "<absent>" reads well in a failed EXPECT_EQ.
inline std::string header(const HttpRequest& request, std::string_view name) {
    for (const auto& [key, value] : request.headers)
        if (aws::iequals(key, name)) return value;
    return "<absent>";
}

}  // namespace hpops::integrations::mlflow::testing
