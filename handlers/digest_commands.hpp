#pragma once
#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp digest now [NAME] [sections=] [since=]`: the digest, built now and
// answered in the channel.
class DigestNow final : public Handler {
public:
    std::string_view command() const override { return "digest now"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// `/hp digest schedule NAME "CRON" [tz=] [channel=] [sections=]`
class DigestScheduleCommand final : public Handler {
public:
    std::string_view command() const override { return "digest schedule"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// `/hp digests`: every schedule and when it fires next.
class Digests final : public Handler {
public:
    std::string_view command() const override { return "digests"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// `/hp digest off NAME`
class DigestOff final : public Handler {
public:
    std::string_view command() const override { return "digest off"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

}  // namespace hpops::handlers
