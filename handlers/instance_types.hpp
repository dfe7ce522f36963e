#pragma once
// What hpops knows of an instance type: its GPUs, and its price in the table.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace hpops::handlers {

// How many GPUs (or Trainium / Inferentia chips) one instance of `type` has:
// "p5.48xlarge" and "ml.p5.48xlarge" -> 8; a CPU type ("m5.2xlarge") -> 0;
// nullopt for a type of an accelerated family (g, p, trn, inf, dl) that the
// table does not know, so its GPU-hours are said to be unknown, never zero.
std::optional<int> accelerators_per_instance(std::string_view type);

// The hourly price of `type` in clusters.hourly_prices, under either spelling:
// its own, else its ml.* or EC2 name's. The table's numbers are EC2 list
// prices (common/instance_prices.cpp), so an EKS g5.xlarge costs what
// ml.g5.xlarge is listed at, and a table written with EC2 names prices a
// HyperPod ml.* type. Nullopt when neither is there: never zero.
std::optional<double> hourly_price(const std::map<std::string, double>& prices, const std::string& type);

}  // namespace hpops::handlers
