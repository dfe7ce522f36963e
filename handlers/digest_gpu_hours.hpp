#pragma once
#include <boost/asio/awaitable.hpp>

#include "handlers/digest_sections.hpp"

namespace hpops::handlers {

// The GPU-hours section: per cluster and instance type, the period's
// instance-hours and GPU-hours integrated from the capacity samples, and
// their cost from clusters.hourly_prices where it has the type.
DigestSection gpu_hours_section(const DigestInputs& in);

}  // namespace hpops::handlers
