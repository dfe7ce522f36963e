// Finding 11: a captured Grafana delivery could be sent again within the
// timestamp window, and forever without `timestamp_header` (a resolved alert
// would fire again). Signatures are now remembered and a repeat refused.
#include <gtest/gtest.h>

#include "alerts/grafana_replay.hpp"

namespace hpops::bot {
using alerts::grafana_first_delivery;
using alerts::grafana_replay_memory;
namespace {

using namespace std::chrono_literals;
constexpr auto first_time = ReplayGuard::Verdict::first_time;
constexpr auto replay = ReplayGuard::Verdict::replay;

const std::string signature = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
constexpr std::int64_t now = 1'800'000'123;

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

TEST(GrafanaReplay, WithATimestampARepeatOfTheSameSignedSecondIsRefused) {
    ReplayGuard guard(grafana_replay_memory(300s, 5min), 100'000);
    EXPECT_EQ(grafana_first_delivery(guard, signature, now - 2, 5min, now), first_time);
    EXPECT_EQ(grafana_first_delivery(guard, signature, now - 2, 5min, now + 100), replay);
    // The signature check ignores case; so does the memory of it.
    EXPECT_EQ(grafana_first_delivery(guard, upper(signature), now - 2, 5min, now + 100), replay);
}

TEST(GrafanaReplay, WithoutATimestampARepeatIsRefusedForAtLeastTheWindow) {
    ReplayGuard guard(grafana_replay_memory(300s, 5min), 100'000);
    EXPECT_EQ(grafana_first_delivery(guard, signature, std::nullopt, 5min, now), first_time);
    for (std::int64_t later : {1, 60, 299, 300})
        EXPECT_EQ(grafana_first_delivery(guard, signature, std::nullopt, 5min, now + later), replay) << later;
    // Another payload (another signature) is not a replay.
    EXPECT_EQ(grafana_first_delivery(guard, std::string(64, 'a'), std::nullopt, 5min, now), first_time);
}

TEST(GrafanaReplay, WithoutATimestampTheSignatureIsForgottenAfterTwoWindows) {
    ReplayGuard guard(grafana_replay_memory(300s, 5min), 100'000);
    EXPECT_EQ(grafana_first_delivery(guard, signature, std::nullopt, 5min, now), first_time);
    // Grafana repeats an unchanged group after repeat_interval (4 h by default): that is not a replay.
    EXPECT_EQ(grafana_first_delivery(guard, signature, std::nullopt, 5min, now + 4 * 3600), first_time);
}

}  // namespace
}  // namespace hpops::bot
