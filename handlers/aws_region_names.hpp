#pragma once
#include <string>
#include <string_view>

namespace hpops::handlers {

// Why `region` is not an AWS region, with the nearest one that is ("did you
// mean `us-west-2`?"); empty when it is one. Checked before any call, which
// would otherwise fail with a DNS error.
std::string region_problem(std::string_view region);

}  // namespace hpops::handlers
