// Finding 16: after one busy second every later second of the replay guard
// started at the busy one's size (16 MiB, zero-filled) and kept it for the
// 660-second ring; a fresh process's 70k req/s fell to 12 and RSS passed
// 1.4 GiB. Now seconds take what they use, give it back as they rotate out,
// and the guard refuses new signatures past its cap instead of growing.
#include <gtest/gtest.h>

#include <malloc.h>

#include <string>

#include "common/crypto.hpp"
#include "common/replay_guard.hpp"

using namespace hpops;
using namespace std::chrono;
using Verdict = ReplayGuard::Verdict;

namespace {

std::string signature_of(int i) { return "v0=" + to_hex(sha256("request " + std::to_string(i))); }

// Heap bytes in use, as glibc counts them: what the guard holds without asking it.
std::size_t heap_in_use() {
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

constexpr std::int64_t t = 1'700'000'000;
constexpr int burst = 150'000;

}  // namespace

TEST(ReplayGuardMemory, SecondsAfterABurstTakeOnlyWhatTheyUse) {
    ReplayGuard guard(seconds(300), 1'000'000);
    for (int i = 0; i < burst; ++i) ASSERT_EQ(guard.check(signature_of(i), t), Verdict::first_time);
    const std::size_t after_burst = guard.bytes_reserved();
    EXPECT_GE(after_burst, burst * 32u);

    const std::size_t heap_before = heap_in_use();
    // Spread traffic: ten requests in each of the 20 seconds that follow.
    for (int s = 1; s <= 20; ++s)
        for (int i = 0; i < 10; ++i) ASSERT_EQ(guard.check(signature_of(burst + s * 10 + i), t + s), Verdict::first_time);
    // 64 slots of 32 bytes each; the old guard gave each of them 512Ki slots (16 MiB).
    EXPECT_LE(guard.bytes_reserved() - after_burst, 20u * 64 * 32);
    EXPECT_LT(heap_in_use() - heap_before, 1u << 20);
}

TEST(ReplayGuardMemory, ASecondsTableIsGivenBackWhenTheRingPassesIt) {
    ReplayGuard guard(seconds(300), 1'000'000);  // a ring of 660 seconds
    for (int i = 0; i < burst; ++i) ASSERT_EQ(guard.check(signature_of(i), t), Verdict::first_time);
    ASSERT_EQ(guard.remembered(), static_cast<std::size_t>(burst));
    // Still inside the acceptance window: remembered.
    EXPECT_EQ(guard.check(signature_of(7), t), Verdict::replay);
    EXPECT_EQ(guard.check(signature_of(-1), t + 659), Verdict::first_time);
    EXPECT_EQ(guard.check(signature_of(8), t), Verdict::replay);
    // A request a whole ring later: second t can no longer be accepted, and its table goes,
    // though no request lands in its slot of the ring.
    EXPECT_EQ(guard.check(signature_of(-2), t + 661), Verdict::first_time);
    EXPECT_EQ(guard.remembered(), 2u);
    EXPECT_LE(guard.bytes_reserved(), 2u * 64 * 32);
}

TEST(ReplayGuardMemory, PastTheCapNewSignaturesAreRefusedAndOldOnesStillKnown) {
    ReplayGuard guard(seconds(300), 1'000);
    for (int i = 0; i < 1'000; ++i) ASSERT_EQ(guard.check(signature_of(i), t + i % 7), Verdict::first_time) << i;
    EXPECT_EQ(guard.check(signature_of(1'000), t), Verdict::window_full);
    EXPECT_EQ(guard.check(signature_of(1'001), t + 100), Verdict::window_full);
    EXPECT_EQ(guard.check("v0=" + std::string(64, '0'), t), Verdict::window_full);  // the all-zero digest too
    // Nothing was forgotten to make room: replays are still caught.
    EXPECT_EQ(guard.check(signature_of(0), t), Verdict::replay);
    EXPECT_EQ(guard.check(signature_of(999), t + 999 % 7), Verdict::replay);
    EXPECT_EQ(guard.remembered(), 1'000u);
    // Once those seconds rotate out there is room again.
    EXPECT_EQ(guard.check(signature_of(1'000), t + 700), Verdict::first_time);
}
