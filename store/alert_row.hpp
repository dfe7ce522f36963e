#pragma once
// How an alert is kept in a store row: what is not a column (labels,
// annotations, links, group key) as JSON, and a digest that changes when
// anything its message shows changes.
#include <chrono>
#include <cstdint>
#include <string>

#include "hpops/alert.hpp"

namespace hpops::store {

std::string alert_body(const Alert& alert);
// Fills labels, annotations, links and group key; leaves them empty if `text` is not such JSON.
void read_body(const std::string& text, Alert& alert);
std::uint64_t alert_digest(const Alert& alert);

// A message's alert as both backends select it: source, fingerprint, status,
// severity, name, summary, body, starts_unix_ms, ends_unix_ms. `Row` has
// integer(column) and text(column) (store/row_readers.hpp).
template <class Row>
Alert alert_from_row(const Row& q) {
    Alert a;
    a.source = q.text(0);
    a.fingerprint = q.text(1);
    a.status = static_cast<AlertStatus>(q.integer(2));
    a.severity = q.text(3);
    a.name = q.text(4);
    a.summary = q.text(5);
    read_body(q.text(6), a);
    a.starts_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(q.integer(7)));
    if (const auto ends = q.integer(8); ends != 0)
        a.ends_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(ends));
    return a;
}

// A listed alert: source, fingerprint, status, severity, name, summary,
// channel, starts_unix_ms, ends_unix_ms, the message's post error.
template <class Row>
StoredAlert stored_alert_from_row(const Row& q) {
    return {q.text(0), q.text(1), static_cast<AlertStatus>(q.integer(2)), q.text(3), q.text(4), q.text(5),
            q.text(6), q.integer(7),  q.integer(8), q.text(9)};
}

}  // namespace hpops::store
