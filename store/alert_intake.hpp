#pragma once
// What AlertStore::accept decides, once for both backends: dedupe by
// fingerprint, changes that move a message on, new alerts by channel with
// flood control, and the alerts.max_firing bound. The backend supplies the
// rows (AlertRows) inside its own transaction.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hpops/alert_store.hpp"

namespace hpops::store {

class AlertRows {
public:
    virtual ~AlertRows() = default;

    struct Stored {
        std::int64_t status = 0;
        std::uint64_t digest = 0;
        std::int64_t message_id = 0;
    };
    virtual std::optional<Stored> find(const std::string& key) = 0;
    // A known alert changed: new status and text, same message and first_seen.
    virtual void change(const std::string& key, const Alert& alert, std::uint64_t digest, std::int64_t now) = 0;
    // The message must be posted again (its latest version is not on Slack).
    virtual void bump(std::int64_t message_id) = 0;
    virtual std::int64_t new_message(const std::string& channel, MessageKind kind, std::int64_t now) = 0;
    virtual void store_new(const RoutedAlert& routed, std::uint64_t digest, std::int64_t message_id,
                           std::int64_t now) = 0;
    // How many alerts the channel first saw since `since`, counted up to `limit`.
    virtual std::size_t recent_new(const std::string& channel, std::int64_t since, std::size_t limit) = 0;
    // The channel's flood summary opened since `since`, if any.
    virtual std::optional<std::int64_t> open_flood(const std::string& channel, std::int64_t since) = 0;
    // Forgets the `over` oldest firing alerts and settles messages left empty.
    virtual std::size_t drop_oldest_firing(std::int64_t over) = 0;
};

struct IntakeResult {
    AcceptCounts counts;
    std::int64_t firing_change = 0;  // firing alerts stored after, less before
};

std::string alert_key(const Alert& alert);

// `firing_before`: firing alerts stored before this batch, asked only when
// the batch adds some (a repeat, Alertmanager's usual resend, never asks).
IntakeResult accept_batch(AlertRows& rows, const std::vector<RoutedAlert>& batch, const FloodPolicy& flood,
                          std::int64_t now_unix_ms, const std::function<std::int64_t()>& firing_before,
                          std::size_t max_firing);

}  // namespace hpops::store
