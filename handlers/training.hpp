#pragma once
#include <boost/asio/awaitable.hpp>
#include <string>

#include "handlers/training_view.hpp"
#include "hpops/handler.hpp"
#include "hpops/tracking.hpp"

// Training history from MLflow. The handlers fetch; training_query builds the
// searches and training_table / training_detail render, all without I/O.
namespace hpops::handlers {

// `/hp training [experiment=] [status=] [since=] [model=] [limit=]`
class Training final : public Handler {
public:
    std::string_view command() const override { return "training"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// `/hp training show RUN`
class TrainingShow final : public Handler {
public:
    std::string_view command() const override { return "training show"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// `/hp training compare RUN RUN [RUN…]`
class TrainingCompare final : public Handler {
public:
    std::string_view command() const override { return "training compare"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// `/hp training delete RUN`: the command table confirms and audits it first.
class TrainingDelete final : public Handler {
public:
    std::string_view command() const override { return "training delete"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// The MLflow client, or UserError when the config sets none up.
Tracking& require_tracking(CommandContext& context);

// RUN as typed: a run id, else a unique run name (UserError listing the runs
// when several share it, or saying none has it).
boost::asio::awaitable<Run> resolve_run(Tracking& mlflow, std::string ref, const ExperimentNames& experiments);

}  // namespace hpops::handlers
