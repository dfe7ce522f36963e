// PostgresStore's CapacitySampleStore half: the capacity_samples table (migration 5).
#include "store/postgres/postgres_store.hpp"
#include "store/row_readers.hpp"

namespace hpops::store {
namespace {

using pg::Params;

// DO NOTHING: the key (slot, region, kind, cluster, group) is taken by
// whichever replica sampled the slot first; the others' samples change nothing.
constexpr const char* sql_record_sample =
    "INSERT INTO capacity_samples (slot_unix_ms, interval_ms, region, kind, cluster, group_name, instance_type, count)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING";
constexpr const char* sql_slot_sampled = "SELECT 1 FROM capacity_samples WHERE slot_unix_ms = $1 LIMIT 1";
constexpr const char* sql_list_samples =
    "SELECT slot_unix_ms, interval_ms, region, kind, cluster, group_name, instance_type, count FROM capacity_samples"
    " WHERE slot_unix_ms >= $1 AND slot_unix_ms < $2 AND ($3::TEXT = '' OR group_name = $3)"
    " ORDER BY slot_unix_ms, region, kind, cluster, group_name";
constexpr const char* sql_prune = "DELETE FROM capacity_samples WHERE slot_unix_ms < $1";

}  // namespace

int PostgresStore::record_capacity(const std::vector<CapacitySample>& samples) {
    auto c = lease();
    pg::Transaction tx(*c);
    std::int64_t added = 0;
    for (const auto& s : samples)
        added += c->exec(sql_record_sample,
                         Params().add(s.slot_unix_ms).add(s.interval_ms).add(s.region).add(s.kind).add(s.cluster)
                             .add(s.group).add(s.instance_type).add(std::int64_t{s.count}),
                         "record capacity sample")
                     .affected();
    tx.commit();
    return static_cast<int>(added);
}

bool PostgresStore::capacity_slot_sampled(std::int64_t slot_unix_ms) const {
    auto c = lease();
    return !c->exec(sql_slot_sampled, Params().add(slot_unix_ms), "find capacity slot").empty();
}

std::vector<CapacitySample> PostgresStore::capacity_samples(std::int64_t since_unix_ms, std::int64_t until_unix_ms,
                                                            const std::string& group) const {
    auto c = lease();
    return c->exec(sql_list_samples, Params().add(since_unix_ms).add(until_unix_ms).add(group), "list capacity samples")
        .all(capacity_sample_from_row<pg::Row>);
}

int PostgresStore::prune_capacity_samples(std::int64_t before_unix_ms) {
    auto c = lease();
    return static_cast<int>(c->exec(sql_prune, Params().add(before_unix_ms), "prune capacity samples").affected());
}

}  // namespace hpops::store
