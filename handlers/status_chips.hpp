#pragma once
#include <string_view>

#include "hpops/reply.hpp"

namespace hpops::handlers {

// One colour per AWS lifecycle state, for EKS (ACTIVE, CREATE_FAILED, ...) and
// SageMaker (InService, Failed, ...) alike.
Status status_colour(std::string_view aws_status);

}  // namespace hpops::handlers
