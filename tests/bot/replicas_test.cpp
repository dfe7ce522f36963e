// What replicas on one store share besides jobs and alerts: leadership of
// the background work (digest scheduler, capacity sampler) and a check that
// they run with one config.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>
#include <unistd.h>

#include "bot/config_fingerprint.hpp"
#include "bot/leadership.hpp"
#include "bot/replica_watch.hpp"
#include "store/sqlite_store.hpp"
#include "tests/bot/config_test_support.hpp"

namespace hpops::bot {
namespace {

using namespace std::chrono_literals;

class Replicas : public ::testing::Test {
protected:
    std::string path = (std::filesystem::temp_directory_path() /
                        ("hpops-replicas-" + std::to_string(::getpid()) + "-" +
                         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                           .string();
    void TearDown() override {
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    }
};

TEST_F(Replicas, OneLeadsAtATimeAndAnotherTakesOverWhenItResignsOrGoesQuiet) {
    store::SqliteStore store_a(path), store_b(path);
    Leadership a(&store_a, "digests", "host-a:8080", 300ms), b(&store_b, "digests", "host-b:8080", 300ms);
    EXPECT_TRUE(a.lead());
    EXPECT_FALSE(b.lead());
    EXPECT_TRUE(a.lead()) << "renewing";
    EXPECT_EQ(a.renew_every(), 100ms);
    Leadership sampler(&store_b, "capacity", "host-b:8080", 300ms);
    EXPECT_TRUE(sampler.lead()) << "each role has its own lease";

    a.resign();
    EXPECT_TRUE(b.lead()) << "a clean stop hands over at once";
    EXPECT_FALSE(a.lead());
    std::this_thread::sleep_for(400ms);  // b stopped renewing (killed)
    EXPECT_TRUE(a.lead());
}

TEST_F(Replicas, AStoreThatDoesNotAnswerMeansNotLeading) {
    struct Down : LeaseStore {
        std::int64_t claim_lease(const std::string&, const std::string&, std::chrono::milliseconds) override {
            throw std::runtime_error("database unreachable");
        }
        void release_lease(const std::string&, const std::string&) override {}
    } down;
    Leadership l(&down, "digests", "host-a:8080", 300ms);
    EXPECT_FALSE(l.lead());
    Leadership alone;
    EXPECT_TRUE(alone.lead()) << "without a lease store: the only process";
    EXPECT_EQ(alone.renew_every(), std::chrono::milliseconds::max());
}

ConfigPtr config_of(const std::string& extra, const Env& env = kSecretEnv) {
    return load_config_text("server:\n  listen: 127.0.0.1:8080\n" + extra, "t.yaml", &env);
}

TEST(ConfigFingerprint, NamesTheKeysThatDifferNeverTheirValues) {
    const auto base = config_of("digests:\n  grace: 10m\nlimits:\n  max_count: 40\n");
    const Env other_env{{"SLACK_SIGNING_SECRET", "another-secret"}};
    const auto other = load_config_text("server:\n  listen: 127.0.0.1:9090\n"  // ignored: each replica's own port
                                        "digests:\n  grace: 20m\nlimits:\n  max_count: 40\n",
                                        "t.yaml", &other_env);
    EXPECT_EQ(differing_keys(base->fingerprint, base->fingerprint), std::vector<std::string>{});
    EXPECT_EQ(differing_keys(base->fingerprint, other->fingerprint),
              (std::vector<std::string>{"digests.grace", "slack.signing_secret"}));
    const auto more = config_of("digests:\n  grace: 10m\nlimits:\n  max_count: 40\n  min_count: 1\n");
    EXPECT_EQ(differing_keys(base->fingerprint, more->fingerprint), std::vector<std::string>{"limits.min_count"})
        << "a key one has and the other lacks";
    for (const auto& [key, hash] : other->fingerprint) {
        EXPECT_EQ(hash.size(), 16u) << key;
        EXPECT_EQ(hash.find("another-secret"), std::string::npos);
    }
}

TEST_F(Replicas, TheWatchComparesThisReplicasConfigWithTheOthersOnTheStore) {
    boost::asio::io_context io;
    store::SqliteStore store_a(path), store_b(path);
    const auto a_config = config_of("digests:\n  grace: 10m\n");
    const auto b_config = config_of("digests:\n  grace: 30m\n");
    ReplicaWatch a(io.get_executor(), *a_config, store_a, "host-a:8080");
    ReplicaWatch b(io.get_executor(), *b_config, store_b, "host-b:8080");
    EXPECT_TRUE(a.check().empty()) << "alone so far";
    const auto seen = b.check();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen.at("host-a:8080"), std::vector<std::string>{"digests.grace"});
    ReplicaWatch same(io.get_executor(), *a_config, store_b, "host-c:8080");
    EXPECT_EQ(same.check().at("host-a:8080"), std::vector<std::string>{});
    store_a.forget_replica("host-a:8080");
    EXPECT_EQ(b.check().count("host-a:8080"), 0u);
}

}  // namespace
}  // namespace hpops::bot
