#pragma once
#include <chrono>
#include <mutex>
#include <string>

#include "bot/dispatch/services.hpp"
#include "hpops/progress.hpp"

namespace hpops::bot {

// Progress for a slash command: edits the command's message through its
// response_url. Slack accepts five posts per response_url, and the final
// answer needs one, so at most three interim updates are sent, spaced out.
class SlackProgress final : public Progress {
public:
    static constexpr int max_updates = 3;
    static constexpr std::chrono::seconds min_spacing{5};

    SlackProgress(Services& services, std::string response_url, std::string request_id)
        : services_(services), response_url_(std::move(response_url)), request_id_(std::move(request_id)) {}
    void update(const Reply& interim) override;

private:
    Services& services_;
    const std::string response_url_;
    const std::string request_id_;
    std::mutex mutex_;
    int sent_ = 0;
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace hpops::bot
