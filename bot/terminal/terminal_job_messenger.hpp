#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <ostream>

#include "hpops/job.hpp"

namespace hpops::bot {

// A job's message at a terminal (`hpops run`): each new rendering is printed
// as plain text to `progress` (the error stream, so stdout keeps the reply
// alone), as a chat message would be edited; the last one becomes the reply.
class TerminalJobMessenger final : public JobMessenger {
public:
    explicit TerminalJobMessenger(std::ostream& progress) : progress_(progress) {}
    boost::asio::awaitable<JobMessage> show(const JobRecord& job, Reply rendering) override;

    struct Last {
        JobStatus status = JobStatus::running;
        Reply rendering;
    };
    // The last rendering shown, of the last job shown; nullopt before any.
    std::optional<Last> last() const;

private:
    std::ostream& progress_;
    mutable std::mutex mutex_;
    std::optional<Last> last_;
};

}  // namespace hpops::bot
