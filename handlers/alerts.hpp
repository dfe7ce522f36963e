#pragma once
#include <boost/asio/awaitable.hpp>
#include <vector>

#include "hpops/alert.hpp"
#include "hpops/handler.hpp"

namespace hpops::handlers {

// `/hp alerts [status=firing|resolved|all] [since=] [limit=]`: firing alerts by default.
class Alerts final : public Handler {
public:
    std::string_view command() const override { return "alerts"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// The listing, without I/O: a table of alerts, newest first.
Reply render_alert_list(const std::vector<StoredAlert>& alerts, std::string_view status_word, std::size_t limit,
                        std::int64_t now_ms);

}  // namespace hpops::handlers
