#include "handlers/capacity_history.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <tuple>

#include "handlers/instance_types.hpp"
#include "handlers/listing.hpp"

namespace hpops::handlers {
namespace {

constexpr double ms_per_hour = 3'600'000.0;

// The milliseconds of [slot, slot + interval) inside the period.
std::int64_t overlap_ms(const CapacitySample& s, std::int64_t since, std::int64_t until) {
    const std::int64_t start = std::max(s.slot_unix_ms, since);
    const std::int64_t end = std::min(s.slot_unix_ms + s.interval_ms, until);
    return std::max<std::int64_t>(end - start, 0);
}

// "1,234" for a whole number.
std::string thousands(long long n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

// What the tables say of one instance type, looked up once per type of a
// period rather than once per sample (a month of samples is ~400,000 rows).
struct TypeFacts {
    std::optional<int> gpus;
    std::optional<double> price;
};

class TypeFactsCache {
public:
    explicit TypeFactsCache(const std::map<std::string, double>& prices) : prices_(prices) {}
    const TypeFacts& of(const std::string& type) {
        for (const auto& [name, facts] : known_)
            if (name == type) return facts;
        return known_.emplace_back(type, TypeFacts{accelerators_per_instance(type), hourly_price(prices_, type)}).second;
    }

private:
    const std::map<std::string, double>& prices_;
    std::vector<std::pair<std::string, TypeFacts>> known_;  // a fleet has a handful of types
};

void add_usage_of(Usage& usage, const CapacitySample& s, const SampledPeriod& period, const TypeFacts& facts) {
    const double hours = static_cast<double>(overlap_ms(s, period.since_unix_ms, period.until_unix_ms)) / ms_per_hour;
    const double instance_hours = hours * s.count;
    usage.instance_hours += instance_hours;
    if (usage.gpu_hours && facts.gpus) *usage.gpu_hours += instance_hours * *facts.gpus;
    else usage.gpu_hours.reset();
    if (facts.price) {
        usage.cost += instance_hours * *facts.price;
        usage.priced = true;
    } else if (std::find(usage.unpriced.begin(), usage.unpriced.end(), s.instance_type) == usage.unpriced.end()) {
        usage.unpriced.push_back(s.instance_type);
    }
}

}  // namespace

std::vector<CapacitySample> samples_overlapping(const CapacitySampleStore& store, std::int64_t since,
                                                std::int64_t until, const std::string& group,
                                                std::int64_t interval_ms) {
    std::vector<CapacitySample> samples =
        store.capacity_samples(since - std::max<std::int64_t>(interval_ms - 1, 0), until, group);
    std::erase_if(samples, [&](const CapacitySample& s) { return overlap_ms(s, since, until) == 0; });
    return samples;
}

void add_usage(Usage& usage, const CapacitySample& s, const SampledPeriod& period) {
    add_usage_of(usage, s, period,
                 {accelerators_per_instance(s.instance_type), hourly_price(period.hourly_prices, s.instance_type)});
}

Usage& operator+=(Usage& total, const Usage& part) {
    total.instance_hours += part.instance_hours;
    if (total.gpu_hours && part.gpu_hours) *total.gpu_hours += *part.gpu_hours;
    else total.gpu_hours.reset();
    total.cost += part.cost;
    total.priced = total.priced || part.priced;
    for (const auto& type : part.unpriced)
        if (std::find(total.unpriced.begin(), total.unpriced.end(), type) == total.unpriced.end())
            total.unpriced.push_back(type);
    return total;
}

std::vector<GroupHistory> group_histories(const SampledPeriod& period) {
    using Key = std::tuple<std::string_view, std::string_view, std::string_view, std::string_view>;
    std::map<Key, std::size_t> index;  // views into period.samples, which outlive this call
    std::vector<GroupHistory> out;
    std::vector<const CapacitySample*> newest;
    TypeFactsCache types(period.hourly_prices);
    for (const auto& s : period.samples) {  // by slot: the last one seen is the newest
        const auto [it, fresh] = index.try_emplace(Key{s.kind, s.cluster, s.group, s.region}, out.size());
        if (fresh) {
            out.emplace_back();
            newest.push_back(&s);
        }
        GroupHistory& h = out[it->second];
        h.fewest = fresh ? s.count : std::min(h.fewest, s.count);
        h.most = fresh ? s.count : std::max(h.most, s.count);
        newest[it->second] = &s;
        h.counts.emplace_back(s.slot_unix_ms, s.count);
        add_usage_of(h.usage, s, period, types.of(s.instance_type));
    }
    for (std::size_t i = 0; i < out.size(); ++i) out[i].newest = *newest[i];
    std::sort(out.begin(), out.end(), [](const GroupHistory& a, const GroupHistory& b) {
        return std::tie(a.newest.kind, a.newest.cluster, a.newest.group, a.newest.region) <
               std::tie(b.newest.kind, b.newest.cluster, b.newest.group, b.newest.region);
    });
    return out;
}

std::map<std::pair<std::string, std::string>, Usage> usage_by_cluster_and_type(const SampledPeriod& period) {
    using Key = std::tuple<std::string_view, std::string_view, std::string_view>;  // kind, cluster, type
    std::map<Key, std::pair<const CapacitySample*, Usage>> sums;
    TypeFactsCache types(period.hourly_prices);
    for (const auto& s : period.samples) {
        auto& [first, usage] = sums[Key{s.kind, s.cluster, s.instance_type}];
        if (!first) first = &s;
        add_usage_of(usage, s, period, types.of(s.instance_type));
    }
    std::map<std::pair<std::string, std::string>, Usage> out;
    for (auto& [key, sum] : sums) out[{cluster_label(*sum.first), sum.first->instance_type}] = std::move(sum.second);
    return out;
}

double sampled_share(const SampledPeriod& period) {
    const std::int64_t length = period.until_unix_ms - period.since_unix_ms;
    if (length <= 0) return 0;
    // Slots are disjoint for one interval; samples come by slot, so merging runs is enough.
    std::int64_t covered = 0, reached = period.since_unix_ms;
    for (const auto& s : period.samples) {
        const std::int64_t start = std::max({s.slot_unix_ms, reached, period.since_unix_ms});
        const std::int64_t end = std::min(s.slot_unix_ms + s.interval_ms, period.until_unix_ms);
        if (end > start) covered += end - start;
        reached = std::max(reached, end);
    }
    return static_cast<double>(covered) / static_cast<double>(length);
}

std::string coverage_text(const SampledPeriod& period) {
    const double share = sampled_share(period);
    if (share >= 0.95) return {};
    return "Samples cover " + std::to_string(static_cast<int>(std::lround(share * 100))) +
           "% of the period (hpops was not running, or had just begun sampling): the hours are a floor.";
}

std::string sparkline(const std::vector<std::pair<std::int64_t, int>>& counts, std::int64_t interval_ms,
                      std::int64_t since, std::int64_t until, int width) {
    static const char* const levels[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    if (width <= 0 || until <= since) return {};
    std::vector<double> weighted(static_cast<std::size_t>(width), 0), covered(static_cast<std::size_t>(width), 0);
    const double part = static_cast<double>(until - since) / width;
    for (const auto& [slot, count] : counts) {
        const double start = std::max<double>(static_cast<double>(slot), static_cast<double>(since));
        const double end = std::min<double>(static_cast<double>(slot + interval_ms), static_cast<double>(until));
        // A slot may straddle parts: each gets its share of the slot's time.
        for (double at = start; at < end;) {
            const auto i = std::min<std::size_t>(static_cast<std::size_t>((at - static_cast<double>(since)) / part),
                                                 static_cast<std::size_t>(width - 1));
            const double boundary = std::min(end, static_cast<double>(since) + part * static_cast<double>(i + 1));
            const double span = std::max(boundary - at, 1.0);
            weighted[i] += span * count;
            covered[i] += span;
            at += span;
        }
    }
    double top = 0;
    for (std::size_t i = 0; i < weighted.size(); ++i)
        if (covered[i] > 0) top = std::max(top, weighted[i] / covered[i]);
    std::string out;
    for (std::size_t i = 0; i < weighted.size(); ++i) {
        if (covered[i] <= 0) {
            out += ' ';
            continue;
        }
        const double mean = weighted[i] / covered[i];
        out += levels[top > 0 ? static_cast<int>(std::lround(mean / top * 7)) : 0];
    }
    return out;
}

std::string sampling_text(std::int64_t interval_ms) {
    if (interval_ms <= 0) return "capacity sampling is off (`digests.capacity_interval: 0`)";
    return "hpops samples each group every " + age_text(0, interval_ms) + " while it runs with AWS configured";
}

std::string cluster_label(const CapacitySample& s) { return (s.kind == "eks" ? "EKS " : "HyperPod ") + s.cluster; }

std::string hours_text(double hours) {
    if (hours >= 100) return thousands(std::llround(hours));
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", hours);
    return text;
}

std::string cost_text(const Usage& usage) {
    std::string types;
    for (const auto& t : usage.unpriced) types += (types.empty() ? "`" : ", `") + t + "`";
    if (!usage.priced) return "unknown (no price for " + types + ")";
    std::string dollars;
    if (usage.cost >= 100) {
        dollars = "$" + thousands(std::llround(usage.cost));
    } else {
        char text[32];
        std::snprintf(text, sizeof text, "$%.2f", usage.cost);
        dollars = text;
    }
    return types.empty() ? dollars : dollars + " + unpriced " + types;
}

}  // namespace hpops::handlers
