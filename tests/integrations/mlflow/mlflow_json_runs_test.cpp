// runs/search and runs/get answers read straight from their text: the
// tricky parts of JSON and of protobuf JSON as MLflow writes it.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "hpops/errors.hpp"
#include "integrations/mlflow/mlflow_json.hpp"

namespace hpops::integrations::mlflow {
namespace {

hpops::Run run_of(const std::string& run_json) { return parse_get_run(R"({"run": )" + run_json + "}"); }

// "code: message" of the UpstreamError that reading throws, or "no error".
template <class Read>
std::string error_of(Read read) {
    try {
        read();
    } catch (const UpstreamError& e) {
        EXPECT_EQ(e.service(), "mlflow");
        return e.code() + ": " + e.upstream_message();
    }
    return "no error";
}

const std::string not_json =
    "BadResponse: MLflow's answer to runs/search is not JSON; is tracking_uri the MLflow server's base URL?";

TEST(MlflowRunsJson, EscapesAndUnicodeAreDecodedInKeysAndValues) {
    const hpops::Run run = run_of(R"({"info": {"run\u005fid": "r\"1\\", "run_name": "caf\u00e9 \ud83d\ude80 tab\tnl\n\/"},
        "data": {"tags": [{"key": "note", "value": "raw )"
                           "\xC3\xA9\xF0\x9F\x9A\x80"
                           R"("}, {"key": "nul", "value": "a\u0000b"}]}})");
    EXPECT_EQ(run.id, "r\"1\\");
    EXPECT_EQ(run.name, "caf\xC3\xA9 \xF0\x9F\x9A\x80 tab\tnl\n/");
    EXPECT_EQ(run.tags.at("note"), "raw \xC3\xA9\xF0\x9F\x9A\x80");
    EXPECT_EQ(run.tags.at("nul"), std::string("a\0b", 3));
}

TEST(MlflowRunsJson, NumbersComeAsNumbersOrText) {
    const hpops::Run run = run_of(R"({"info": {"run_id": "r", "start_time": "1710041000000", "end_time": 1.7100410009e12},
        "data": {"metrics": [
          {"key": "nan", "value": "NaN"}, {"key": "inf", "value": "Infinity"}, {"key": "-inf", "value": "-Infinity"},
          {"key": "text", "value": "0.25"}, {"key": "int", "value": 3}, {"key": "tiny", "value": 1e-400},
          {"key": "exp", "value": -12.5E1}, {"key": "junk", "value": "fast"}, {"key": "bool", "value": true},
          {"key": "big", "value": 123456789012345678901234567890}]}})");
    EXPECT_EQ(run.start_time_ms, 1710041000000);
    EXPECT_EQ(run.end_time_ms, 1710041000900);  // a double, truncated
    EXPECT_TRUE(std::isnan(run.metrics.at("nan")));
    EXPECT_EQ(run.metrics.at("inf"), std::numeric_limits<double>::infinity());
    EXPECT_EQ(run.metrics.at("-inf"), -std::numeric_limits<double>::infinity());
    EXPECT_EQ(run.metrics.at("text"), 0.25);
    EXPECT_EQ(run.metrics.at("int"), 3.0);
    EXPECT_EQ(run.metrics.at("tiny"), 0.0);
    EXPECT_EQ(run.metrics.at("exp"), -125.0);
    EXPECT_EQ(run.metrics.at("junk"), 0.0);
    EXPECT_EQ(run.metrics.at("bool"), 0.0);
    EXPECT_EQ(run.metrics.at("big"), 1.2345678901234568e29);
}

TEST(MlflowRunsJson, Int64FieldsOutsideInt64ReadAsZero) {
    auto start_of = [](const std::string& value) {
        return run_of(R"({"info": {"start_time": )" + value + "}}").start_time_ms;
    };
    EXPECT_EQ(start_of("9223372036854775807"), 9223372036854775807);
    EXPECT_EQ(start_of("-9223372036854775808"), std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(start_of("9223372036854775808"), 0);
    EXPECT_EQ(start_of("99999999999999999999"), 0);
    EXPECT_EQ(start_of("1e300"), 0);
    EXPECT_EQ(start_of(R"("99999999999999999999")"), 0);
    EXPECT_EQ(start_of(R"("12 ")"), 0);  // text must be all digits
    EXPECT_EQ(start_of(R"("-5")"), -5);
    EXPECT_EQ(start_of("null"), 0);
}

TEST(MlflowRunsJson, UnknownFieldsAreSkippedWhateverTheyHold) {
    const auto page = parse_runs_page(R"({"extra": {"runs": [{"info": {"run_id": "not me"}}]},
      "runs": [
        {"inputs": {"dataset_inputs": [{"dataset": {"name": "d", "digest": "x"}, "tags": [{"key": "k"}]}]},
         "info": {"run_id": "r1", "lifecycle_stage": "active", "deep": [[[{"run_id": "no"}]], {"a": [true, null]}]},
         "outputs": {"model_outputs": []},
         "data": {"tags": [{"key": "t", "value": "v", "extra": {"key": "no", "value": "no"}}],
                  "params": [{"value": "no key"}, {"key": "no value"}, "not an object", 7],
                  "metrics": [{"key": "m", "value": 1, "history": [{"value": 9}]}], "more": {}}},
        "not a run", null, [{"info": {}}]],
      "next_page_token": "tok", "zzz": [1, 2, {"next_page_token": "no"}]})");
    ASSERT_EQ(page.items.size(), 1u);
    const hpops::Run& run = page.items[0];
    EXPECT_EQ(run.id, "r1");
    EXPECT_EQ(run.tags, (std::map<std::string, std::string>{{"t", "v"}}));
    EXPECT_EQ(run.params, (std::map<std::string, std::string>{{"", "no key"}, {"no value", ""}}));
    EXPECT_EQ(run.metrics, (std::map<std::string, double>{{"m", 1.0}}));
    EXPECT_EQ(page.next_page_token, "tok");
}

TEST(MlflowRunsJson, MissingAndMistypedPartsReadAsDefaults) {
    const hpops::Run bare = run_of("{}");
    EXPECT_EQ(bare.id, "");
    EXPECT_EQ(bare.start_time_ms, 0);
    EXPECT_TRUE(bare.tags.empty());
    const hpops::Run odd = run_of(R"({"info": "x", "data": {"tags": {"key": "a", "value": "b"}, "metrics": [{"key": "m"}]}})");
    EXPECT_EQ(odd.id, "");
    EXPECT_TRUE(odd.tags.empty());
    EXPECT_EQ(odd.metrics.at("m"), 0.0);
    // The name falls back to the tag only when run_name is empty.
    EXPECT_EQ(run_of(R"({"data": {"tags": [{"key": "mlflow.runName", "value": "t"}]}, "info": {"run_name": ""}})").name, "t");
    EXPECT_EQ(run_of(R"({"info": {"run_uuid": "u", "run_id": ""}})").id, "u");
    EXPECT_EQ(run_of(R"({"info": {"run_id": "i", "run_uuid": "u"}})").id, "i");
    const auto page = parse_runs_page(R"({"runs": [{"info": {"run_uuid": "u1"}}, {"data": {}}]})");
    ASSERT_EQ(page.items.size(), 2u);
    EXPECT_EQ(page.items[1].id, "");  // nothing carried over from the run before
    EXPECT_TRUE(parse_runs_page(R"({"runs": null})").items.empty());
    EXPECT_EQ(parse_runs_page(R"({"runs": [], "next_page_token": 5})").next_page_token, "");
}

TEST(MlflowRunsJson, ARepeatedKeyReplacesTheEarlierValue) {
    // As a parsed tree kept it: the last one wins, the earlier one is gone entirely.
    const hpops::Run run = run_of(R"({"info": {"run_id": "a", "status": "RUNNING"}, "info": {"run_id": "b"},
        "data": {"tags": [{"key": "x", "value": "1"}], "tags": [{"key": "y", "value": "2", "value": 3}]}})");
    EXPECT_EQ(run.id, "b");
    EXPECT_EQ(run.status, "");
    EXPECT_EQ(run.tags, (std::map<std::string, std::string>{{"y", ""}}));
    EXPECT_EQ(parse_runs_page(R"({"runs": {}, "runs": [{}]})").items.size(), 1u);
    EXPECT_EQ(error_of([] { parse_get_run(R"({"run": {}, "run": 1})"); }),
              "BadResponse: MLflow's answer to runs/get has no `run`");
}

TEST(MlflowRunsJson, HugeValuesAreReadWhole) {
    const std::string notes(1 << 20, 'n');
    std::string params;
    for (int i = 0; i < 5000; ++i) params += std::string(i ? "," : "") + R"({"key": "p)" + std::to_string(i) + R"(", "value": "v"})";
    const hpops::Run run = run_of(R"({"data": {"tags": [{"key": "notes", "value": ")" + notes + R"("}], "params": [)" + params +
                           R"(]}, "info": {"n": )" + std::string(300, '9') + "}}");
    EXPECT_EQ(run.tags.at("notes"), notes);
    EXPECT_EQ(run.params.size(), 5000u);
    EXPECT_EQ(run.params.at("p4999"), "v");
}

TEST(MlflowRunsJson, TextThatIsNotJsonIsTheSameBadResponse) {
    const std::string page = R"({"runs": [{"info": {"run_id": "r\u00e9", "start_time": 1}, "data": {"tags": [
        {"key": "k", "value": "v"}]}, "inputs": {"a": [1.5e3, true, null]}}], "next_page_token": "t"})";
    ASSERT_EQ(error_of([&] { parse_runs_page(page); }), "no error");
    // Every proper prefix of it: a cut-off answer.
    for (std::size_t cut = 1; cut < page.size(); ++cut)
        ASSERT_EQ(error_of([&] { parse_runs_page(page.substr(0, cut)); }), not_json) << page.substr(0, cut);
    for (const char* bad : {
             R"({"runs": []} x)", R"({"runs": [],})", R"({"runs": [{"info": {"start_time": NaN}}]})",
             R"({"runs": [], "inputs": {"a": tru}})", R"({"runs": [{"unknown": "\ud800"}]})",
             "{\"runs\": [{\"unknown\": \"\xC3\x28\"}]}", "{\"runs\": [{\"info\": {\"run_id\": \"a\nb\"}}]}",
             R"({"runs": [], "n": 1e400})", R"({'runs': []})", R"(<html>Sign in</html>)",
             // Invalid text wins over a shape problem found before it.
             R"({"runs": {}, "x": ])", R"([1, 2)"})
        EXPECT_EQ(error_of([&] { parse_runs_page(bad); }), not_json) << bad;
    EXPECT_EQ(error_of([] { parse_runs_page("[1, 2]"); }),
              "BadResponse: MLflow's answer to runs/search is not a JSON object");
    EXPECT_EQ(error_of([] { parse_get_run(R"({"run": {"info": )"); }),
              "BadResponse: MLflow's answer to runs/get is not JSON; is tracking_uri the MLflow server's base URL?");
    EXPECT_EQ(error_of([] { parse_runs_page("\xEF\xBB\xBF{\"runs\": []}"); }), "no error");  // a BOM is allowed
}

}  // namespace
}  // namespace hpops::integrations::mlflow
