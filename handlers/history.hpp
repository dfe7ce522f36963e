#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hpops/handler.hpp"
#include "hpops/store.hpp"

namespace hpops::handlers {

// `/hp history [group=NAME] [since=] [limit=]`: the audited operations,
// newest first: who, what, when, the outcome and the backend's request id.
class History final : public Handler {
public:
    std::string_view command() const override { return "history"; }
    boost::asio::awaitable<Reply> handle(const Intent& intent, CommandContext& context) override;
};

// From the options group=, since=, limit=: the store's query, asking for one
// row more than `limit` so the reply can say that more match.
AuditQuery history_query(const std::map<std::string, std::string>& options, std::int64_t now_unix_ms);

// `rows` as read for `query` (newest first, perhaps one over the limit).
Reply render_history(const std::vector<AuditRecord>& rows, const AuditQuery& query, std::int64_t now_unix_ms);

}  // namespace hpops::handlers
