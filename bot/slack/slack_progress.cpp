#include "bot/slack/slack_progress.hpp"

#include "bot/slack/slack_request.hpp"

namespace hpops::bot {

void SlackProgress::update(const Reply& interim) {
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(mutex_);
        if (sent_ >= max_updates || (sent_ > 0 && now - last_ < min_spacing)) return;
        ++sent_;
        last_ = now;
    }
    Reply edit = interim;
    edit.replace_original = true;
    post_reply_later(services_, response_url_, edit, request_id_);
}

}  // namespace hpops::bot
