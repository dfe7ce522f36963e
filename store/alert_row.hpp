#pragma once
// How an alert is kept in a store row: what is not a column (labels,
// annotations, links, group key) as JSON, and a digest that changes when
// anything its message shows changes.
#include <cstdint>
#include <string>

#include "hpops/alert.hpp"

namespace hpops::store {

std::string alert_body(const Alert& alert);
// Fills labels, annotations, links and group key; leaves them empty if `text` is not such JSON.
void read_body(const std::string& text, Alert& alert);
std::uint64_t alert_digest(const Alert& alert);

}  // namespace hpops::store
