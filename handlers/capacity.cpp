#include "handlers/capacity.hpp"

#include "common/text_similarity.hpp"
#include "handlers/aws_targets.hpp"
#include "handlers/capacity_history.hpp"
#include "handlers/listing.hpp"
#include "handlers/training_query.hpp"
#include "hpops/errors.hpp"
#include "hpops/store.hpp"

namespace hpops::handlers {
namespace {

constexpr int trend_width = 24;
constexpr std::size_t max_capacity_rows = 30;

// A group asked for that has no samples in the period: name those sampled in
// the last day (not the whole retention: a month is ~400,000 rows).
[[noreturn]] void unknown_group(const std::string& group, const CapacitySampleStore& kept, std::int64_t now) {
    const auto retained = kept.capacity_samples(now - 24 * 3'600'000, now + 1, "");
    std::vector<std::string> names;
    for (const auto& s : retained)
        if (std::find(names.begin(), names.end(), s.group) == names.end()) names.push_back(s.group);
    std::string message = "No samples of a group named `" + group.substr(0, 60) + "` in the period.";
    const std::vector<std::string_view> choices(names.begin(), names.end());
    if (const auto near = closest_match(group, choices); !near.empty()) message += " Did you mean `" + near + "`?";
    else if (!names.empty()) {
        std::string listed;
        for (std::size_t i = 0; i < std::min<std::size_t>(names.size(), 10); ++i)
            listed += (listed.empty() ? "`" : ", `") + names[i] + "`";
        message += " Sampled groups: " + listed + ".";
    }
    throw UserError(message);
}

}  // namespace

boost::asio::awaitable<Reply> Capacity::handle(const Intent& intent, CommandContext& context) {
    CapacitySampleStore* kept = context.store.capacity_samples();
    if (!kept) throw UserError("This hpops's store keeps no capacity samples.");
    const std::int64_t now = now_unix_ms();
    const std::string since_text = option(intent, "since").empty() ? "7d" : option(intent, "since");
    const std::int64_t since = parse_since(since_text, now);
    const std::string group = option(intent, "group");
    const std::vector<CapacitySample> samples =
        samples_overlapping(*kept, since, now + 1, group, context.config.digests.capacity_interval.count());
    if (samples.empty() && !group.empty()) unknown_group(group, *kept, now);

    Reply reply;
    reply.heading("Capacity since " + since_text + (group.empty() ? "" : ": " + group));
    if (samples.empty()) {
        reply.summary = "No capacity sampled";
        reply.text("No capacity sampled in the period: " + sampling_text(context.config.digests.capacity_interval.count()) +
                   ".");
        co_return reply;
    }
    const SampledPeriod period{since, now, samples, context.config.clusters.hourly_prices};
    const std::vector<GroupHistory> histories = group_histories(period);
    Table table{{"group", "cluster", "instance type", "now", "fewest-most", "trend", "GPU-hours", "est. cost"}, {}};
    Usage total;
    for (const auto& h : histories) {
        total += h.usage;
        if (table.rows.size() < max_capacity_rows)
            table.rows.push_back({h.newest.group, cluster_label(h.newest), h.newest.instance_type,
                                  std::to_string(h.newest.count), std::to_string(h.fewest) + "-" + std::to_string(h.most),
                                  sparkline(h.counts, h.newest.interval_ms, since, now, trend_width),
                                  h.usage.gpu_hours ? hours_text(*h.usage.gpu_hours) : "unknown", cost_text(h.usage)});
    }
    reply.summary = std::to_string(histories.size()) + " groups: " +
                    (total.gpu_hours ? hours_text(*total.gpu_hours) : std::string("unknown")) + " GPU-hours since " +
                    since_text;
    reply.table(std::move(table));
    std::string line = "Total: *" + (total.gpu_hours ? hours_text(*total.gpu_hours) : std::string("unknown")) +
                       " GPU-hours*, " + hours_text(total.instance_hours) + " instance-hours, est. cost " +
                       cost_text(total) + ".";
    reply.text(line);
    std::string note = "Each trend mark is " + age_text(0, (now - since) / trend_width) + "; " +
                       sampling_text(context.config.digests.capacity_interval.count()) +
                       "; prices from `clusters.hourly_prices`.";
    if (const std::string coverage = coverage_text(period); !coverage.empty()) note += " " + coverage;
    if (histories.size() > max_capacity_rows) note += " The first " + std::to_string(max_capacity_rows) + " groups are shown; `group=` picks one.";
    reply.context(note);
    co_return reply;
}

}  // namespace hpops::handlers
