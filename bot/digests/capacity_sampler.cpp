#include "bot/digests/capacity_sampler.hpp"

#include <spdlog/spdlog.h>

#include "handlers/fleet_reading.hpp"
#include "hpops/errors.hpp"
#include "hpops/node_groups.hpp"
#include "common/timestamps.hpp"

namespace hpops::bot {
namespace {

// A sample reads every cluster of the region; past this many it reads the first.
constexpr std::size_t max_clusters = 50;

}  // namespace

CapacitySampler::CapacitySampler(boost::asio::any_io_executor executor, const Config& config, const Clients& clients,
                                 CapacitySampleStore& store, Leadership leadership)
    : config_(config), clients_(clients), store_(store), leadership_(std::move(leadership)),
      task_(executor, "capacity", [this] { return round(); }, [this] { leadership_.resign(); }) {}

boost::asio::awaitable<int> CapacitySampler::tick(std::chrono::system_clock::time_point now) {
    const std::int64_t interval = config_.digests.capacity_interval.count();
    if (interval <= 0) co_return 0;  // sampling is off
    const std::int64_t slot = unix_ms(now) / interval * interval;
    int added = 0;
    if (!store_.capacity_slot_sampled(slot)) {
        const handlers::FleetReading fleet = co_await handlers::read_fleet(clients_, config_, max_clusters);
        const std::string region = clients_.node_groups ? clients_.node_groups->region() : config_.aws.region;
        added = store_.record_capacity(handlers::as_samples(fleet, region, slot, interval));
    }
    if (const int pruned = store_.prune_capacity_samples(unix_ms(now) - config_.digests.capacity_retention.count()))
        spdlog::debug("capacity: forgot {} samples older than the retention", pruned);
    co_return added;
}

void CapacitySampler::start() { task_.start(); }

boost::asio::awaitable<std::chrono::milliseconds> CapacitySampler::round() {
    const auto interval = config_.digests.capacity_interval;
    const auto now = std::chrono::system_clock::now();
    const std::int64_t slot = unix_ms(now) / interval.count();
    auto wait = interval - std::chrono::milliseconds(unix_ms(now) % interval.count());  // to the next slot
    // Renewed every wait, leading or not: a follower takes over within it.
    wait = std::min(wait, leadership_.renew_every());
    if (!leadership_.lead() || slot == sampled_slot_) co_return wait;
    std::string failure;
    try {
        auto ticking = tick(now);
        co_await std::move(ticking);
        sampled_slot_ = slot;
    } catch (const std::exception& e) {
        failure = e.what();
    }
    if (!failure.empty()) {
        // AWS or the store failed: this slot stays unsampled; try again soon.
        spdlog::warn("capacity: sample not taken: {}", failure);
        wait = std::min<std::chrono::milliseconds>(wait, std::chrono::minutes(1));
    }
    co_return wait;
}

void CapacitySampler::stop() { task_.stop(); }

}  // namespace hpops::bot
