// `/hp history`'s pure parts: its options as a store query, and the reply.
#include "handlers/history.hpp"

#include <gtest/gtest.h>

#include "bot/terminal/plain_text_renderer.hpp"
#include "hpops/errors.hpp"

namespace hpops::handlers {
namespace {

constexpr std::int64_t now_ms = 1'764'936'000'000;  // 2025-12-05 12:00:00 UTC
constexpr std::int64_t hour = 3'600'000;

AuditRecord record(std::int64_t at, std::string who, std::string arguments, std::string outcome,
                   std::string detail = {}, std::string backend = {}) {
    AuditRecord r;
    r.command = arguments.starts_with("scale nodegroup") ? "scale nodegroup" : "deploy";
    r.time_unix_ms = at;
    r.actor_id = "U" + who;
    r.actor_name = std::move(who);
    r.arguments = std::move(arguments);
    r.outcome = std::move(outcome);
    r.detail = std::move(detail);
    r.backend_request_id = std::move(backend);
    return r;
}

TEST(HistoryQuery, FromTheOptions) {
    const AuditQuery all = history_query({}, now_ms);
    EXPECT_EQ(all.mentions, "");
    EXPECT_EQ(all.since_unix_ms, 0);
    EXPECT_EQ(all.limit, 21u) << "one more than shown, to tell that more match";
    const AuditQuery some = history_query({{"group", "gpu-ng"}, {"since", "24h"}, {"limit", "5"}}, now_ms);
    EXPECT_EQ(some.mentions, "gpu-ng");
    EXPECT_EQ(some.since_unix_ms, now_ms - 24 * hour);
    EXPECT_EQ(some.limit, 6u);
}

TEST(HistoryQuery, RefusesWhatIsNotAName) {
    for (const char* bad : {"", "a b", "x=y", "'a;rm'"})
        EXPECT_THROW(history_query({{"group", bad}}, now_ms), UserError) << bad;
    EXPECT_THROW(history_query({{"group", std::string(129, 'a')}}, now_ms), UserError);
    EXPECT_THROW(history_query({{"since", "yesterday"}}, now_ms), UserError);
    EXPECT_THROW(history_query({{"limit", "0"}}, now_ms), UserError);
    EXPECT_NO_THROW(history_query({{"group", "hp-cluster/worker_1.a"}}, now_ms));
}

TEST(HistoryReply, WhoWhatWhenOutcomeAndRequestId) {
    const std::vector<AuditRecord> rows{
        record(now_ms - 2 * hour, "bob", "scale nodegroup gpu-ng desired=0", "failed",
               "AccessDeniedException: User is not authorized to perform eks:UpdateNodegroupConfig", "req-9"),
        record(now_ms - 3 * hour, "alice", "scale nodegroup gpu-ng desired=3", "ok", "gpu-ng desired 2 → 3",
               "4a5e-req")};
    const AuditQuery query = history_query({{"group", "gpu-ng"}}, now_ms);
    const Reply reply = render_history(rows, query, now_ms);
    const std::string text = bot::render_plain_text(reply);
    for (const char* expected :
         {"History on `gpu-ng`", "[failed] 2025-12-05 10:00:00 (2h0m ago) · bob · scale nodegroup gpu-ng desired=0 · "
                                  "failed: AccessDeniedException: User is not authorized to perform "
                                  "eks:UpdateNodegroupConf… · request req-9",
          "[done] 2025-12-05 09:00:00 (3h0m ago) · alice · scale nodegroup gpu-ng desired=3 · ok · request 4a5e-req"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
    EXPECT_EQ(text.find("ok: gpu-ng desired"), std::string::npos) << "a success needs no detail\n" << text;
    EXPECT_EQ(reply.summary, "2 audited operations on `gpu-ng`");
}

TEST(HistoryReply, SaysWhenMoreMatchAndWhenNoneDo) {
    std::vector<AuditRecord> rows;
    for (int i = 0; i < 3; ++i) rows.push_back(record(now_ms - i * hour, "alice", "deploy org/m", "ok"));
    const Reply more = render_history(rows, history_query({{"limit", "2"}}, now_ms), now_ms);
    EXPECT_EQ(more.summary, "2+ audited operations");
    EXPECT_NE(bot::render_plain_text(more).find("more match"), std::string::npos);
    const Reply none = render_history({}, history_query({{"group", "nope"}, {"since", "2025-12-01"}}, now_ms), now_ms);
    EXPECT_EQ(none.summary, "No audited operation on `nope` since 2025-12-01 00:00:00 UTC.");
}

}  // namespace
}  // namespace hpops::handlers
