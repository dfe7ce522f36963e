#pragma once
#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp trainjobs suspend|resume|delete NAME [namespace=]`: operator (delete:
// admin), asking once the job is found (so a job that cannot be changed so is
// refused before anyone confirms), and behind any two-person rule that covers
// the GPUs the job holds. Suspend and resume write only spec.runPolicy.suspend
// (server-side apply), so the rest of the job stays its owner's.
class TrainJobSuspend final : public Handler {
public:
    std::string_view command() const override { return "trainjobs suspend"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

class TrainJobResume final : public Handler {
public:
    std::string_view command() const override { return "trainjobs resume"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

class TrainJobDelete final : public Handler {
public:
    std::string_view command() const override { return "trainjobs delete"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

}  // namespace hpops::handlers
