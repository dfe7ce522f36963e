// The capacity sampler against the moto peer's demo scene (an EKS cluster
// with two node groups, a HyperPod cluster with two instance groups), its
// clock passed to tick(): no test waits for a slot.
#include "bot/digests/capacity_sampler.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <thread>

#include "handlers/capacity_history.hpp"
#include "integrations/aws/eks_client.hpp"
#include "integrations/aws/sagemaker_client.hpp"
#include "integrations/http/curl_client.hpp"
#include "store/sqlite_store.hpp"
#include "tests/integrations/aws/credential_test_support.hpp"
#include "tests/support/moto_process.hpp"
#include "tests/support/scratch_dir.hpp"

namespace hpops::bot {
namespace {

using namespace std::chrono_literals;
using hpops::testing::run_sync;
using integrations::aws::AwsTransport;
using integrations::aws::testing::env_of;
using integrations::aws::testing::FixedCredentials;
using integrations::aws::testing::RecordingClient;

// 2026-12-07 09:00:00 UTC, the start of a 5-minute slot.
const std::chrono::system_clock::time_point slot_start{std::chrono::seconds(1'796'634'000)};
constexpr std::int64_t five_minutes_ms = 300'000;

const CapacitySample* find(const std::vector<CapacitySample>& samples, const std::string& group,
                           std::int64_t slot_ms) {
    for (const auto& s : samples)
        if (s.group == group && s.slot_unix_ms == slot_ms) return &s;
    return nullptr;
}

std::int64_t unix_ms(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// One hpops replica's AWS clients, its HTTP calls recorded.
struct Replica {
    explicit Replica(const AwsConfig& aws) : transport(http, credentials, aws, env_of({})), eks(transport), sagemaker(transport) {
        clients.node_groups = &eks;
        clients.hyperpod = &sagemaker;
    }
    integrations::CurlClient curl{2};
    RecordingClient http{curl};
    FixedCredentials credentials;
    AwsTransport transport;
    integrations::aws::EksClient eks;
    integrations::aws::SageMakerClient sagemaker;
    Clients clients;
};

class CapacitySamplerAgainstMoto : public hpops::testing::ScratchDirTest {
protected:
    static void SetUpTestSuite() {
        moto_ = std::make_unique<hpops::testing::MotoProcess>(hpops::testing::MotoProcess::Flavor::seeded_demo);
    }
    static void TearDownTestSuite() { moto_.reset(); }
    static std::unique_ptr<hpops::testing::MotoProcess> moto_;

    static AwsConfig aws() {
        AwsConfig c;
        c.region = "us-west-2";
        c.endpoints = {{"eks", moto_->endpoint()}, {"sagemaker", moto_->endpoint()}};
        c.timeout = 10s;
        return c;
    }

    void SetUp() override {
        hpops::testing::ScratchDirTest::SetUp();
        config.aws = aws();
        config.digests.capacity_interval = std::chrono::milliseconds(five_minutes_ms);
    }

    // Sets gpu-ng's desired size and waits until EKS reports it (the peer
    // applies an update after a second or two, as EKS does after minutes).
    void scale_gpu_group(Replica& replica, int desired) {
        run_sync(replica.eks.update_scaling("hpops-demo", "gpu-ng", {0, 8, desired}));
        for (int i = 0; i < 300; ++i) {
            if (run_sync(replica.eks.describe_nodegroup("hpops-demo", "gpu-ng")).scaling.desired_size == desired) return;
            std::this_thread::sleep_for(100ms);
        }
        FAIL() << "gpu-ng never reached desired=" << desired;
    }

    Config config;
    boost::asio::io_context io;
};
std::unique_ptr<hpops::testing::MotoProcess> CapacitySamplerAgainstMoto::moto_;

TEST_F(CapacitySamplerAgainstMoto, EachGroupIsSampledOncePerSlotAndTheHistoryIntegratesIt) {
    store::SqliteStore store(db_path());
    Replica replica(aws());
    CapacitySampler sampler(io.get_executor(), config, replica.clients, store);
    const std::int64_t first = unix_ms(slot_start), second = first + five_minutes_ms;

    EXPECT_EQ(run_sync(sampler.tick(slot_start + 20s)), 4) << "two node groups, two instance groups";
    const std::size_t calls = replica.http.sent.size();
    EXPECT_EQ(run_sync(sampler.tick(slot_start + 4min)), 0) << "the slot is sampled already";
    EXPECT_EQ(replica.http.sent.size(), calls) << "and AWS is not read again for it";

    scale_gpu_group(replica, 6);
    EXPECT_EQ(run_sync(sampler.tick(slot_start + 5min + 3s)), 4);
    const auto samples = store.capacity_samples(first, second + five_minutes_ms, "");
    ASSERT_EQ(samples.size(), 8u);
    const CapacitySample* gpu = find(samples, "gpu-ng", first);
    ASSERT_NE(gpu, nullptr);
    EXPECT_EQ(gpu->count, 4);
    EXPECT_EQ(gpu->kind, "eks");
    EXPECT_EQ(gpu->cluster, "hpops-demo");
    EXPECT_EQ(gpu->region, "us-west-2");
    EXPECT_EQ(gpu->instance_type, "g5.12xlarge");
    EXPECT_EQ(gpu->interval_ms, five_minutes_ms);
    ASSERT_NE(find(samples, "gpu-ng", second), nullptr);
    EXPECT_EQ(find(samples, "gpu-ng", second)->count, 6);
    const CapacitySample* workers = find(samples, "accelerated-worker-group-1", first);
    ASSERT_NE(workers, nullptr);
    EXPECT_EQ(workers->kind, "hyperpod");
    EXPECT_EQ(workers->instance_type, "ml.g5.12xlarge");
    EXPECT_EQ(workers->count, 2);

    // Ten minutes of gpu-ng: 4 then 6 instances of 4 GPUs each.
    const std::map<std::string, double> prices{{"ml.g5.12xlarge", 5.672}};
    const auto gpu_only = store.capacity_samples(first, second + five_minutes_ms, "gpu-ng");
    const handlers::SampledPeriod period{first, second + five_minutes_ms, gpu_only, prices};
    const auto histories = handlers::group_histories(period);
    ASSERT_EQ(histories.size(), 1u);
    EXPECT_EQ(histories[0].fewest, 4);
    EXPECT_EQ(histories[0].most, 6);
    EXPECT_EQ(histories[0].newest.count, 6);
    ASSERT_TRUE(histories[0].usage.gpu_hours);
    EXPECT_NEAR(*histories[0].usage.gpu_hours, (4 + 6) * 4 / 12.0, 1e-9);
    EXPECT_NEAR(histories[0].usage.cost, (4 + 6) / 12.0 * 5.672, 1e-9) << "EKS's g5.12xlarge at the ml.* list price";
    scale_gpu_group(replica, 4);
}

TEST_F(CapacitySamplerAgainstMoto, ASecondReplicaOnTheStoreNeitherReadsAwsNorDoublesTheSlot) {
    store::SqliteStore store_a(db_path()), store_b(db_path());
    Replica a(aws()), b(aws());
    CapacitySampler sampler_a(io.get_executor(), config, a.clients, store_a);
    CapacitySampler sampler_b(io.get_executor(), config, b.clients, store_b);
    EXPECT_EQ(run_sync(sampler_a.tick(slot_start + 1s)), 4);
    EXPECT_EQ(run_sync(sampler_b.tick(slot_start + 2s)), 0);
    EXPECT_TRUE(b.http.sent.empty()) << "replica b found the slot sampled and did not read AWS";
    EXPECT_EQ(store_b.capacity_samples(unix_ms(slot_start), unix_ms(slot_start) + five_minutes_ms, "").size(), 4u);
}

TEST_F(CapacitySamplerAgainstMoto, SamplesOlderThanTheRetentionAreForgotten) {
    store::SqliteStore store(db_path());
    Replica replica(aws());
    config.digests.capacity_retention = 1h;
    CapacitySampler sampler(io.get_executor(), config, replica.clients, store);
    const std::int64_t old_slot = unix_ms(slot_start) - 2 * 3'600'000;
    store.record_capacity({{old_slot, five_minutes_ms, "us-west-2", "eks", "hpops-demo", "gpu-ng", "g5.12xlarge", 3}});
    EXPECT_EQ(run_sync(sampler.tick(slot_start)), 4);
    EXPECT_TRUE(store.capacity_samples(0, unix_ms(slot_start), "").empty()) << "the two-hour-old sample is gone";
    EXPECT_EQ(store.capacity_samples(unix_ms(slot_start), unix_ms(slot_start) + 1, "").size(), 4u);
}

TEST_F(CapacitySamplerAgainstMoto, WhenAwsDoesNotAnswerTheSlotIsLeftForTheNextTry) {
    store::SqliteStore store(db_path());
    AwsConfig down = aws();
    down.endpoints = {{"eks", "http://127.0.0.1:9"}, {"sagemaker", "http://127.0.0.1:9"}};
    down.max_attempts = 1;
    Replica replica(down);
    CapacitySampler sampler(io.get_executor(), config, replica.clients, store);
    EXPECT_THROW(run_sync(sampler.tick(slot_start)), UpstreamError);
    EXPECT_FALSE(store.capacity_slot_sampled(unix_ms(slot_start))) << "nothing half-written";
}

}  // namespace
}  // namespace hpops::bot
