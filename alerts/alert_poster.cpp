#include "alerts/alert_poster.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "alerts/alert_message.hpp"
#include "hpops/errors.hpp"

namespace hpops::alerts {
namespace asio = boost::asio;

AlertPoster::AlertPoster(asio::any_io_executor executor, AlertStore& store, ChatPoster& chat, Metrics& metrics,
                         AlertCapacity* capacity, std::chrono::milliseconds scan_interval, AlertLanes lanes)
    : strand_(asio::make_strand(executor)),
      store_(store),
      chat_(chat),
      metrics_(metrics),
      capacity_(capacity),
      scan_interval_(scan_interval),
      lanes_(std::move(lanes)),
      wake_timer_(strand_) {}

void AlertPoster::start() { asio::co_spawn(strand_, scan_loop(), asio::detached); }

void AlertPoster::wake() {
    asio::post(strand_, [this] { wake_timer_.cancel(); });
}

void AlertPoster::stop() {
    stopped_ = true;
    wake();
    // A lane waiting out a backoff ends only when the io stops: its lease is
    // let go here, so a replica (or this one restarted elsewhere) posts the
    // channel at once rather than after the lease.
    std::set<std::string> lanes;
    {
        std::lock_guard lock(mutex_);
        lanes = active_lanes_;
    }
    for (const auto& channel : lanes) let_lane_go(channel);
}

bool AlertPoster::permanent_error(std::string_view code) {
    static constexpr std::string_view permanent[] = {
        "channel_not_found", "not_in_channel",  "is_archived",       "invalid_auth",     "not_authed",
        "account_inactive",  "token_revoked",   "missing_scope",     "invalid_blocks",   "invalid_blocks_format",
        "msg_too_long",      "no_text",         "message_not_found", "cant_update_message", "edit_window_closed",
        "restricted_action", "invalid_arguments", "channel_is_archived", "invalid_arg_name"};
    for (auto p : permanent)
        if (p == code) return true;
    return false;
}

asio::awaitable<void> AlertPoster::scan_loop() {
    while (!stopped_) {
        std::vector<std::string> channels;
        try {
            channels = store_.channels_with_pending();
        } catch (const std::exception& e) {
            metrics_.count_error("alerts_store_read");
            spdlog::error("alerts: cannot read pending messages: {}", e.what());
        }
        for (std::string& channel : channels) {
            {
                std::lock_guard lock(mutex_);
                if (!active_lanes_.insert(channel).second) continue;
            }
            asio::co_spawn(strand_.get_inner_executor(), lane(std::move(channel)), asio::detached);
        }
        wake_timer_.expires_after(scan_interval_);
        boost::system::error_code ec;  // cancelled by wake(): scan again at once
        co_await wake_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}

asio::awaitable<void> AlertPoster::lane(std::string channel) {
    asio::steady_timer backoff_timer(co_await asio::this_coro::executor);
    std::chrono::milliseconds backoff{500};
    while (!stopped_) {
        // Another replica posting this channel: it posts everything pending
        // in order; the scan comes back if it stops renewing.
        if (!hold_lane(channel)) break;
        std::optional<PendingMessage> next;
        try {
            next = store_.next_pending(channel, alerts_listed_per_message);
        } catch (const std::exception& e) {
            metrics_.count_error("alerts_store_read");
            spdlog::error("alerts: cannot read pending messages of {}: {}", channel, e.what());
        }
        if (!next) break;
        auto work = deliver(std::move(*next));
        const bool done = co_await std::move(work);
        if (done) {
            backoff = std::chrono::milliseconds(500);
            continue;
        }
        backoff_timer.expires_after(backoff);
        co_await backoff_timer.async_wait(asio::use_awaitable);
        backoff = std::min<std::chrono::milliseconds>(backoff * 2, std::chrono::seconds(30));
    }
    let_lane_go(channel);
    std::lock_guard lock(mutex_);
    active_lanes_.erase(channel);
}

bool AlertPoster::hold_lane(const std::string& channel) {
    if (!lanes_.leases) return true;
    try {
        return lanes_.leases->claim_lease("alerts " + channel, lanes_.owner, lanes_.lease) != 0;
    } catch (const std::exception& e) {
        metrics_.count_error("alerts_store_read");
        spdlog::error("alerts: cannot take the lane of {}: {}", channel, e.what());
        return false;
    }
}

void AlertPoster::let_lane_go(const std::string& channel) {
    if (!lanes_.leases) return;
    try {
        lanes_.leases->release_lease("alerts " + channel, lanes_.owner);
    } catch (const std::exception& e) {
        spdlog::warn("alerts: cannot let the lane of {} go ({}); it expires on its own", channel, e.what());
    }
}

asio::awaitable<bool> AlertPoster::deliver(PendingMessage m) {
    const bool update = !m.ts.empty();
    // A single firing alert that names a group gets its capacity and buttons;
    // the buttons' tokens name the channel a click will come from.
    std::optional<AlertEnrichment> enrichment;
    if (capacity_ && m.kind == MessageKind::alert && m.alerts.size() == 1 &&
        m.alerts.front().status == AlertStatus::firing) {
        auto work = capacity_->enrich(m.alerts.front(), update ? m.posted_channel : m.channel);
        enrichment = co_await std::move(work);
    }
    const auto now = std::chrono::system_clock::now();
    Reply reply = render_alert_message(m, now, enrichment ? &*enrichment : nullptr);
    try {
        if (update) {
            auto work = chat_.update(m.posted_channel, m.ts, std::move(reply));
            co_await std::move(work);
            store_.mark_posted(m.id, m.version, m.posted_channel, m.ts);
        } else {
            auto work = chat_.post(m.channel, std::move(reply));
            PostedMessage posted = co_await std::move(work);
            store_.mark_posted(m.id, m.version, posted.channel, posted.ts);
            // Routed by #name: Slack answered with the id clicks will carry, so
            // sign the buttons again for it.
            if (enrichment && !enrichment->buttons.empty() && posted.channel != m.channel) {
                auto again = capacity_->enrich(m.alerts.front(), posted.channel);
                AlertEnrichment rebound = co_await std::move(again);
                auto fix = chat_.update(posted.channel, posted.ts, render_alert_message(m, now, &rebound));
                co_await std::move(fix);
            }
        }
        co_return true;
    } catch (const UpstreamError& e) {
        metrics_.count_error("alerts_slack_" + e.code());
        if (permanent_error(e.code())) {
            spdlog::error("alerts: Slack refused message {} for {}: {}", m.id, m.channel, e.upstream_message());
            try {
                store_.mark_failed(m.id, m.version, e.code());
            } catch (const std::exception& se) {
                spdlog::error("alerts: cannot record the refusal of message {}: {}", m.id, se.what());
                co_return false;
            }
            co_return true;
        }
        spdlog::warn("alerts: {} of message {} to {} failed, will retry: {}", update ? "update" : "post", m.id,
                     m.channel, e.what());
    } catch (const std::exception& e) {
        metrics_.count_error("alerts_post_failed");
        spdlog::warn("alerts: {} of message {} to {} failed, will retry: {}", update ? "update" : "post", m.id,
                     m.channel, e.what());
    }
    co_return false;
}

}  // namespace hpops::alerts
