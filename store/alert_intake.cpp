#include "store/alert_intake.hpp"

#include <algorithm>
#include <unordered_set>

#include "store/alert_row.hpp"

namespace hpops::store {

std::string alert_key(const Alert& a) { return a.source + "/" + a.fingerprint; }

IntakeResult accept_batch(AlertRows& rows, const std::vector<RoutedAlert>& batch, const FloodPolicy& flood,
                          std::int64_t now, const std::function<std::int64_t()>& firing_before,
                          std::size_t max_firing) {
    IntakeResult result;
    AcceptCounts& counts = result.counts;
    std::unordered_set<std::string> seen;
    seen.reserve(batch.size());
    // New alerts by channel, in arrival order.
    struct Fresh {
        const RoutedAlert* routed;
        std::uint64_t digest;
    };
    std::vector<std::pair<std::string, std::vector<Fresh>>> fresh;
    for (const RoutedAlert& r : batch) {
        const Alert& a = r.alert;
        std::string key = alert_key(a);
        if (!seen.insert(key).second) {
            ++counts.unchanged;  // a fingerprint twice in one payload: the first wins
            continue;
        }
        const std::uint64_t digest = alert_digest(a);
        const auto stored = rows.find(key);
        const bool refiring = stored && stored->status == static_cast<int>(AlertStatus::resolved) &&
                              a.status == AlertStatus::firing;
        if (stored && !refiring) {
            if (stored->digest == digest) {
                ++counts.unchanged;
                continue;
            }
            rows.change(key, a, digest, now);
            rows.bump(stored->message_id);
            if (stored->status == static_cast<int>(AlertStatus::firing) && a.status == AlertStatus::resolved)
                --result.firing_change;
            ++counts.changed;
            continue;
        }
        if (a.status == AlertStatus::resolved) {
            ++counts.ignored;
            continue;
        }
        auto slot = std::find_if(fresh.begin(), fresh.end(), [&](const auto& p) { return p.first == r.channel; });
        if (slot == fresh.end()) slot = fresh.insert(fresh.end(), {r.channel, {}});
        slot->second.push_back({&r, digest});
    }

    const std::int64_t window_start = now - flood.window.count();
    for (const auto& [channel, alerts] : fresh) {
        const std::size_t recent = rows.recent_new(channel, window_start, flood.max_new);
        // Up to max_new per window get their own (or a group) message; the rest
        // join the channel's summary.
        const std::size_t own = recent >= flood.max_new ? 0 : std::min(alerts.size(), flood.max_new - recent);
        if (own > 0) {
            const std::int64_t id = rows.new_message(channel, own == 1 ? MessageKind::alert : MessageKind::group, now);
            for (std::size_t i = 0; i < own; ++i) rows.store_new(*alerts[i].routed, alerts[i].digest, id, now);
        }
        if (own < alerts.size()) {
            std::optional<std::int64_t> summary = rows.open_flood(channel, window_start);
            if (summary) rows.bump(*summary);
            else summary = rows.new_message(channel, MessageKind::flood, now);
            for (std::size_t i = own; i < alerts.size(); ++i)
                rows.store_new(*alerts[i].routed, alerts[i].digest, *summary, now);
            counts.flooded += alerts.size() - own;
        }
        counts.fresh += alerts.size();
        result.firing_change += static_cast<std::int64_t>(alerts.size());  // only firing alerts are new
    }
    if (result.firing_change <= 0) return result;
    const std::int64_t over = firing_before() + result.firing_change - static_cast<std::int64_t>(max_firing);
    if (over > 0) {
        counts.dropped = rows.drop_oldest_firing(over);
        result.firing_change -= static_cast<std::int64_t>(counts.dropped);
    }
    return result;
}

}  // namespace hpops::store
