#pragma once
#include <boost/asio/awaitable.hpp>
#include <vector>

#include "hpops/handler.hpp"
#include "hpops/job.hpp"

namespace hpops::handlers {

// `/hp jobs [status=running|failed|done|cancelled] [since=] [limit=]`: newest first.
class JobsList final : public Handler {
public:
    std::string_view command() const override { return "jobs"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// `/hp job ID`: the job's message as it stands, and its history.
class JobShow final : public Handler {
public:
    std::string_view command() const override { return "job"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// `/hp job cancel ID` (operator): stops following; never undoes the change.
class JobCancel final : public Handler {
public:
    std::string_view command() const override { return "job cancel"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// The listing, without I/O.
Reply render_job_list(const std::vector<JobRecord>& jobs, std::size_t limit, std::int64_t now_ms);

}  // namespace hpops::handlers
