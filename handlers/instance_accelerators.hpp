#pragma once
#include <optional>
#include <string_view>

namespace hpops::handlers {

// How many GPUs (or Trainium / Inferentia chips) one instance of `type` has:
// "p5.48xlarge" and "ml.p5.48xlarge" -> 8; a CPU type ("m5.2xlarge") -> 0;
// nullopt for a type of an accelerated family (g, p, trn, inf, dl) that the
// table does not know, so its GPU-hours are said to be unknown, never zero.
std::optional<int> accelerators_per_instance(std::string_view type);

}  // namespace hpops::handlers
