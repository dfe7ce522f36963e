#pragma once
#include <boost/asio/awaitable.hpp>

#include "handlers/digest_sections.hpp"

namespace hpops::handlers {

// The training section: the period's MLflow runs per experiment (finished,
// failed with the failing runs' names, best and worst samples/s) and the
// models whose mean samples/s fell by more than digests.regression_share
// against the period of the same length before.
boost::asio::awaitable<DigestSection> training_section(const DigestInputs& in);

}  // namespace hpops::handlers
