#include "common/replay_guard.hpp"

#include <gtest/gtest.h>

#include <string>

#include "common/crypto.hpp"

using namespace hpops;
using namespace std::chrono;

namespace {
std::string signature_of(int i) { return "v0=" + to_hex(sha256(std::to_string(i))); }
bool fresh(ReplayGuard& guard, std::string_view key, std::int64_t signed_at) {
    return guard.check(key, signed_at) == ReplayGuard::Verdict::first_time;
}
}  // namespace

TEST(ReplayGuard, RefusesTheSameSignatureWithTheSameTimestamp) {
    ReplayGuard guard(seconds(300), 1'000'000);
    EXPECT_TRUE(fresh(guard, "v0=abc", 1'700'000'000));
    EXPECT_FALSE(fresh(guard, "v0=abc", 1'700'000'000));
    EXPECT_TRUE(fresh(guard, "v0=abd", 1'700'000'000));
}

TEST(ReplayGuard, RemembersASecondUntilTheRingComesRound) {
    ReplayGuard guard(seconds(300), 1'000'000);  // a ring of 660 seconds
    const std::int64_t t = 1'700'000'000;
    EXPECT_TRUE(fresh(guard, "k", t));
    // Later seconds, up to the whole acceptance window (2 x 300 s), leave it alone.
    for (std::int64_t s = 1; s <= 600; ++s) EXPECT_TRUE(fresh(guard, "other", t + s));
    EXPECT_FALSE(fresh(guard, "k", t));
    // A request signed a whole ring later reuses the slot; by then t is long stale.
    EXPECT_TRUE(fresh(guard, "k", t + 660));
}

TEST(ReplayGuard, TellsSignaturesApartByEveryHexDigitAndAcceptsOtherKeys) {
    ReplayGuard guard(seconds(300), 1'000'000);
    const std::int64_t t = 1'700'000'000;
    const std::string signature = "v0=" + std::string(63, 'a') + "b";
    EXPECT_TRUE(fresh(guard, signature, t));
    EXPECT_FALSE(fresh(guard, signature, t));
    // Differs only in the last digit, then only in the first: both are new.
    EXPECT_TRUE(fresh(guard, "v0=" + std::string(64, 'a'), t));
    EXPECT_TRUE(fresh(guard, "v0=b" + std::string(62, 'a') + "b", t));
    // The all-zero digest (the empty-slot marker) is still remembered.
    EXPECT_TRUE(fresh(guard, "v0=" + std::string(64, '0'), t));
    EXPECT_FALSE(fresh(guard, "v0=" + std::string(64, '0'), t));
    // Not a well-formed signature (uppercase, short): still remembered, by hash.
    EXPECT_TRUE(fresh(guard, "v0=" + std::string(64, 'A'), t));
    EXPECT_FALSE(fresh(guard, "v0=" + std::string(64, 'A'), t));
    EXPECT_TRUE(fresh(guard, "v0=abc", t));
    EXPECT_FALSE(fresh(guard, "v0=abc", t));
}

TEST(ReplayGuard, KeepsEveryEntryAcrossGrowthOfABusySecond) {
    ReplayGuard guard(seconds(300), 1'000'000);
    const std::int64_t t = 1'700'000'000;
    for (int i = 0; i < 50'000; ++i) ASSERT_TRUE(fresh(guard, signature_of(i), t)) << i;
    for (int i = 0; i < 50'000; ++i) ASSERT_FALSE(fresh(guard, signature_of(i), t)) << i;
    // The same signatures under another second are another matter.
    EXPECT_TRUE(fresh(guard, signature_of(7), t + 1));
}
