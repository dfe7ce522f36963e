#pragma once
// Persistence of alerts and of the Slack messages that show them. Receivers
// call accept() and answer 2xx only after it returns; the posting worker
// reads pending messages, so a restart between the two still posts.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hpops/alert.hpp"

namespace hpops {

struct RoutedAlert {
    Alert alert;
    std::string channel;
};

struct FloodPolicy {
    std::size_t max_new = 10;
    std::chrono::milliseconds window{5 * 60'000};
};

struct AcceptCounts {
    std::size_t fresh = 0;      // new alerts (own, group or flood message)
    std::size_t changed = 0;    // known alerts that changed or resolved: their message is updated
    std::size_t unchanged = 0;  // repeats of what is stored: nothing to do
    std::size_t ignored = 0;    // resolved alerts never seen firing
    std::size_t flooded = 0;    // of `fresh`, those collapsed into a channel's summary
    std::size_t dropped = 0;    // oldest firing alerts forgotten to stay within alerts.max_firing
};

enum class MessageKind { alert, group, flood };

// A message to post (ts empty) or to update, with the alerts it shows.
struct PendingMessage {
    std::int64_t id = 0;
    MessageKind kind = MessageKind::alert;
    std::string channel;         // as routed (id or #name)
    std::string posted_channel;  // the id Slack answered with; chat.update needs it
    std::string ts;
    std::int64_t version = 0;
    std::vector<Alert> alerts;  // up to the limit asked for, firing first
    std::size_t firing = 0;     // totals, beyond the limit too
    std::size_t resolved = 0;
};

class AlertStore {
public:
    virtual ~AlertStore() = default;
    // One transaction: dedupe by fingerprint, flood control, new messages.
    // Throws when the store cannot take it (the receiver answers 503).
    virtual AcceptCounts accept(const std::vector<RoutedAlert>& batch, const FloodPolicy& flood,
                                std::chrono::system_clock::time_point now) = 0;
    virtual std::vector<std::string> channels_with_pending() const = 0;
    // The oldest message of `channel` whose latest version is not yet on Slack.
    virtual std::optional<PendingMessage> next_pending(const std::string& channel, std::size_t alert_limit) const = 0;
    // Records that `version` of the message is on Slack (a later accept may
    // have moved it on; then it stays pending).
    virtual void mark_posted(std::int64_t id, std::int64_t version, const std::string& posted_channel,
                             const std::string& ts) = 0;
    // Slack refused the message for good (channel_not_found, invalid_blocks...).
    virtual void mark_failed(std::int64_t id, std::int64_t version, const std::string& error) = 0;
    // Forgets alerts resolved before `resolved_before`, and the messages left
    // showing none of the alerts kept once Slack has their last version.
    // Firing alerts, messages still to post and the alerts they show are
    // kept, however old.
    // Returns how many alerts were removed.
    virtual std::size_t purge_resolved(std::chrono::system_clock::time_point resolved_before) = 0;
    // Newest first; `status` nullopt means both. Blocks: handlers reach it
    // through PooledAlertLog, off the server's threads.
    virtual std::vector<StoredAlert> list_alerts(std::optional<AlertStatus> status, std::int64_t since_unix_ms,
                                                 std::size_t limit) const = 0;
};

}  // namespace hpops
