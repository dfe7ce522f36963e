#include "handlers/scaling_rules.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>

#include "hpops/errors.hpp"

namespace hpops::handlers {
namespace {

// The UserError's message, or a test failure when nothing was thrown.
std::string user_error_of(const std::function<void()>& call) {
    try {
        call();
    } catch (const UserError& e) {
        return e.what();
    }
    ADD_FAILURE() << "expected a UserError";
    return {};
}

// --- parse_count -------------------------------------------------------------

TEST(ScalingRulesParseCount, AcceptsWholeNumbersWithinTheDefaultBounds) {
    const LimitsConfig limits;  // 0..100
    EXPECT_EQ(parse_count("desired", "0", limits), 0);
    EXPECT_EQ(parse_count("desired", "3", limits), 3);
    EXPECT_EQ(parse_count("desired", "100", limits), 100);
}

TEST(ScalingRulesParseCount, RejectsWhatIsNotAWholeNumber) {
    const LimitsConfig limits;
    for (const char* text : {"abc", "3.5", "", " 3", "3 ", "+3", "3abc", "0x10", "1e3", "３"}) {
        const std::string message = user_error_of([&] { parse_count("desired", text, limits); });
        EXPECT_EQ(message, "`desired=" + std::string(text) + "` is not a whole number.") << "text: '" << text << "'";
    }
}

TEST(ScalingRulesParseCount, RejectsNegativesAsOutOfRange) {
    const LimitsConfig limits;
    EXPECT_EQ(user_error_of([&] { parse_count("min", "-1", limits); }),
              "`min=-1` is outside the allowed range 0..100.");
}

TEST(ScalingRulesParseCount, RejectsCountsAboveTheLimit) {
    const LimitsConfig limits;
    EXPECT_EQ(user_error_of([&] { parse_count("max", "101", limits); }),
              "`max=101` is outside the allowed range 0..100.");
    EXPECT_EQ(user_error_of([&] { parse_count("max", "100000", limits); }),
              "`max=100000` is outside the allowed range 0..100.");
    // Past long long: still a refusal, never a wrapped-around small number.
    EXPECT_THROW(parse_count("max", "99999999999999999999", limits), UserError);
    EXPECT_THROW(parse_count("max", "4294967299", limits), UserError);
}

TEST(ScalingRulesParseCount, TakesItsBoundsFromLimitsConfig) {
    const LimitsConfig limits{.min_count = 2, .max_count = 10};
    EXPECT_EQ(parse_count("count", "2", limits), 2);
    EXPECT_EQ(parse_count("count", "10", limits), 10);
    EXPECT_EQ(user_error_of([&] { parse_count("count", "1", limits); }),
              "`count=1` is outside the allowed range 2..10.");
    EXPECT_EQ(user_error_of([&] { parse_count("count", "11", limits); }),
              "`count=11` is outside the allowed range 2..10.");
    EXPECT_THROW(parse_count("count", "0", limits), UserError);
}

// --- merge_scaling -----------------------------------------------------------

const ScalingConfig current{.min_size = 1, .max_size = 8, .desired_size = 4};

TEST(ScalingRulesMerge, ChangesOnlyWhatWasRequested) {
    const LimitsConfig limits;
    EXPECT_EQ(merge_scaling(current, {{"desired", "1"}}, limits), (ScalingConfig{1, 8, 1}));
    EXPECT_EQ(merge_scaling(current, {{"max", "12"}}, limits), (ScalingConfig{1, 12, 4}));
    EXPECT_EQ(merge_scaling(current, {{"min", "0"}}, limits), (ScalingConfig{0, 8, 4}));
    EXPECT_EQ(merge_scaling(current, {{"min", "2"}, {"max", "20"}, {"desired", "10"}}, limits),
              (ScalingConfig{2, 20, 10}));
}

TEST(ScalingRulesMerge, IgnoresOptionsThatAreNotCounts) {
    const LimitsConfig limits;
    EXPECT_EQ(merge_scaling(current, {{"desired", "2"}, {"cluster", "prod"}}, limits), (ScalingConfig{1, 8, 2}));
}

TEST(ScalingRulesMerge, RefusesWhenNothingIsRequested) {
    const LimitsConfig limits;
    const std::string expected = "Say what to change: `min=`, `max=` or `desired=`.";
    EXPECT_EQ(user_error_of([&] { merge_scaling(current, {}, limits); }), expected);
    EXPECT_EQ(user_error_of([&] { merge_scaling(current, {{"cluster", "prod"}}, limits); }), expected);
}

TEST(ScalingRulesMerge, RefusesMinAboveMax) {
    const LimitsConfig limits;
    EXPECT_EQ(user_error_of([&] { merge_scaling(current, {{"min", "9"}}, limits); }),
              "min (9) would exceed max (8).");
    EXPECT_EQ(user_error_of([&] { merge_scaling(current, {{"min", "5"}, {"max", "3"}, {"desired", "4"}}, limits); }),
              "min (5) would exceed max (3).");
}

TEST(ScalingRulesMerge, RefusesDesiredOutsideMinMax) {
    const LimitsConfig limits;
    EXPECT_EQ(user_error_of([&] { merge_scaling(current, {{"desired", "9"}}, limits); }),
              "desired (9) must be between min (1) and max (8).");
    EXPECT_EQ(user_error_of([&] { merge_scaling(current, {{"desired", "0"}}, limits); }),
              "desired (0) must be between min (1) and max (8).");
    // Lowering max under the current desired does not silently drag desired along.
    EXPECT_EQ(user_error_of([&] { merge_scaling(current, {{"max", "2"}}, limits); }),
              "desired (4) must be between min (1) and max (2).");
}

TEST(ScalingRulesMerge, RefusesMaxZeroEvenWhenConsistent) {
    const LimitsConfig limits;
    EXPECT_EQ(user_error_of([&] { merge_scaling(current, {{"min", "0"}, {"max", "0"}, {"desired", "0"}}, limits); }),
              "max must be at least 1 (EKS requires it).");
}

TEST(ScalingRulesMerge, AllowsDesiredZeroWithMinZero) {
    const LimitsConfig limits;
    EXPECT_EQ(merge_scaling(current, {{"min", "0"}, {"desired", "0"}}, limits), (ScalingConfig{0, 8, 0}));
}

TEST(ScalingRulesMerge, PassesOnTheCountErrors) {
    const LimitsConfig limits{.min_count = 0, .max_count = 10};
    EXPECT_EQ(user_error_of([&] { merge_scaling(current, {{"desired", "many"}}, limits); }),
              "`desired=many` is not a whole number.");
    EXPECT_EQ(user_error_of([&] { merge_scaling(current, {{"max", "11"}}, limits); }),
              "`max=11` is outside the allowed range 0..10.");
}

// --- describe_change ---------------------------------------------------------

TEST(ScalingRulesDescribe, NamesEveryCountFromAndTo) {
    EXPECT_EQ(describe_change("spot-ng", {1, 8, 4}, {1, 8, 1}), "spot-ng: desired 4 → 1, min 1 → 1, max 8 → 8");
    EXPECT_EQ(describe_change("gpu", {0, 2, 0}, {2, 16, 12}), "gpu: desired 0 → 12, min 0 → 2, max 2 → 16");
}

// --- confirmation_reason -----------------------------------------------------

TEST(ScalingRulesConfirm, ScalingToZeroAsks) {
    const LimitsConfig limits;
    EXPECT_EQ(confirmation_reason(4, 0, limits), "this scales to zero");
    EXPECT_EQ(confirmation_reason(1, 0, limits), "this scales to zero");
}

TEST(ScalingRulesConfirm, ExactlyTheConfiguredShareDoesNotAsk) {
    const LimitsConfig limits;  // 0.5
    EXPECT_EQ(confirmation_reason(4, 2, limits), std::nullopt);
    EXPECT_EQ(confirmation_reason(100, 50, limits), std::nullopt);
    EXPECT_EQ(confirmation_reason(10, 9, limits), std::nullopt);
}

TEST(ScalingRulesConfirm, MoreThanTheConfiguredShareAsks) {
    const LimitsConfig limits;
    EXPECT_EQ(confirmation_reason(100, 49, limits), "this removes 51% of the capacity");
    EXPECT_EQ(confirmation_reason(4, 1, limits), "this removes 75% of the capacity");
}

TEST(ScalingRulesConfirm, UsesTheShareFromLimitsConfig) {
    const LimitsConfig limits{.scale_down_confirm_share = 0.25};
    EXPECT_EQ(confirmation_reason(8, 6, limits), std::nullopt);  // exactly 25%
    EXPECT_EQ(confirmation_reason(8, 5, limits), "this removes 38% of the capacity");
    // Share 0.3 is not exact in binary; 3 of 10 is still "exactly the share".
    EXPECT_EQ(confirmation_reason(10, 7, LimitsConfig{.scale_down_confirm_share = 0.3}), std::nullopt);
}

TEST(ScalingRulesConfirm, ScalingUpOrStayingNeverAsks) {
    const LimitsConfig limits{.scale_down_confirm_share = 0.0};
    EXPECT_EQ(confirmation_reason(4, 100, limits), std::nullopt);
    EXPECT_EQ(confirmation_reason(4, 4, limits), std::nullopt);
}

TEST(ScalingRulesConfirm, FromZeroNeverAsks) {
    const LimitsConfig limits;
    EXPECT_EQ(confirmation_reason(0, 0, limits), std::nullopt);
    EXPECT_EQ(confirmation_reason(0, 5, limits), std::nullopt);
}

// --- check_group_name --------------------------------------------------------

TEST(ScalingRulesGroupName, AcceptsLettersDigitsDashesAndUnderscores) {
    for (const char* name : {"spot-ng", "gpu_ng_1", "A", "1ng", "Workers-2_b"})
        EXPECT_NO_THROW(check_group_name("node group", name)) << name;
}

TEST(ScalingRulesGroupName, AllowsAtMost63Characters) {
    EXPECT_NO_THROW(check_group_name("node group", "n" + std::string(62, 'x')));
    EXPECT_THROW(check_group_name("node group", "n" + std::string(63, 'x')), UserError);
}

TEST(ScalingRulesGroupName, RefusesSpacesShellCharactersAndUnicode) {
    for (const char* name : {"", "spot ng", "ng;rm -rf /", "ng$(id)", "ng`id`", "ng|x", "ng&", "ng\n", "ng/x", "ng.x",
                             "n\xC3\xA9", "\xE8\x8A\x82\xE7\x82\xB9", "ng\t"})
        EXPECT_THROW(check_group_name("node group", name), UserError) << "name: '" << name << "'";
}

TEST(ScalingRulesGroupName, RefusesALeadingDashOrUnderscore) {
    EXPECT_THROW(check_group_name("node group", "-ng"), UserError);
    EXPECT_THROW(check_group_name("node group", "--help"), UserError);
    EXPECT_THROW(check_group_name("node group", "_ng"), UserError);
}

TEST(ScalingRulesGroupName, MessageNamesWhatWasChecked) {
    const std::string message = user_error_of([] { check_group_name("instance group", "bad name"); });
    EXPECT_EQ(message.rfind("`bad name` is not a valid instance group name", 0), 0u) << message;
    // An enormous name is cut short in the reply.
    const std::string long_message = user_error_of([] { check_group_name("node group", std::string(5000, 'x')); });
    EXPECT_LT(long_message.size(), 300u);
}

// --- check_instance_type -----------------------------------------------------

TEST(ScalingRulesInstanceType, AcceptsEc2AndSageMakerTypes) {
    for (const char* type : {"m5.large", "g5.12xlarge", "ml.g5.12xlarge", "p4d.24xlarge", "ml.p4de.24xlarge",
                             "ml.trn1.32xlarge", "u-6tb1.metal", "c7gn.16xlarge"})
        EXPECT_NO_THROW(check_instance_type(type)) << type;
}

TEST(ScalingRulesInstanceType, RefusesWhatIsNotAnInstanceType) {
    for (const char* type : {"", "large", "m5", "m5.", ".large", "M5.LARGE", "5m.large", "m5..large", "m5.large.x",
                             "m5.large;id", "m5.large ", " m5.large", "m5.large$(id)", "ml.", "ml.g5.12xlarge\n",
                             "g5.12xlarge`id`", "m5.\xC3\xA9"})
        EXPECT_THROW(check_instance_type(type), UserError) << "type: '" << type << "'";
    EXPECT_THROW(check_instance_type("m" + std::string(40, 'x') + ".large"), UserError);
}

TEST(ScalingRulesInstanceType, MessageShowsTheExamples) {
    EXPECT_EQ(user_error_of([] { check_instance_type("huge"); }),
              "`huge` is not an instance type (like `g5.12xlarge` or `ml.g5.12xlarge`).");
}

}  // namespace
}  // namespace hpops::handlers

namespace hpops::handlers {
namespace {

TEST(ChangeCost, TheConfirmationSaysWhatTheChangeCostsAnHour) {
    const std::map<std::string, double> prices{{"ml.g5.12xlarge", 5.672}, {"ml.p5.48xlarge", 98.32}};
    EXPECT_EQ(change_cost_text("g5.12xlarge", 4, 6, prices), "+2 × g5.12xlarge, ≈ +$11.34 an hour")
        << "an EKS type at its ml.* name's list price";
    EXPECT_EQ(change_cost_text("ml.p5.48xlarge", 4, 0, prices), "−4 × ml.p5.48xlarge, ≈ −$393.28 an hour");
    EXPECT_EQ(change_cost_text("g9.xlarge", 1, 3, prices),
              "+2 × g9.xlarge, cost unknown: no price for `g9.xlarge` in `clusters.hourly_prices`")
        << "never zero";
}

TEST(ChangeCost, DryRunTakesYesOrNo) {
    EXPECT_FALSE(is_dry_run({}));
    EXPECT_FALSE(is_dry_run({{"dry-run", "no"}}));
    EXPECT_TRUE(is_dry_run({{"dry-run", "yes"}}));
    EXPECT_THROW(is_dry_run({{"dry-run", "maybe"}}), UserError);
    EXPECT_EQ(dry_run_text("gpu-ng: desired 4 → 0", "−4 × g5.12xlarge, ≈ −$22.69 an hour", "this scales to zero"),
              "Dry run, nothing changed: `gpu-ng: desired 4 → 0`; −4 × g5.12xlarge, ≈ −$22.69 an hour. Done for real, "
              "it would ask for confirmation: this scales to zero.");
}

}  // namespace
}  // namespace hpops::handlers
