#include "integrations/mlflow/mlflow_json.hpp"

#include "integrations/json_fields.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <tuple>

#include "hpops/errors.hpp"

namespace hpops::integrations::mlflow {

using nlohmann::json;

namespace {

const json* field(const json& object, std::string_view key) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

const auto text = string_field;

// int64 fields: a number, or its decimal text (proto3 JSON's canonical form).
std::int64_t int64(const json& object, std::string_view key) {
    const json* v = field(object, key);
    if (!v) return 0;
    if (v->is_number_integer()) return v->get<std::int64_t>();
    if (v->is_number_float()) return static_cast<std::int64_t>(v->get<double>());
    if (v->is_string()) {
        const auto& s = v->get_ref<const std::string&>();
        std::int64_t out = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        if (ec == std::errc{} && end == s.data() + s.size()) return out;
    }
    return 0;
}

// Doubles: a number, or "NaN" / "Infinity" / "-Infinity", which JSON cannot write.
double number(const json& object, std::string_view key) {
    const json* v = field(object, key);
    if (!v) return 0;
    if (v->is_number()) return v->get<double>();
    if (v->is_string()) {
        const auto& s = v->get_ref<const std::string&>();
        if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
        if (s == "Infinity") return std::numeric_limits<double>::infinity();
        if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
        try {
            return std::stod(s);
        } catch (const std::exception&) {
        }
    }
    return 0;
}

const json& array_at(const json& object, std::string_view key) {
    static const json empty = json::array();
    const json* v = field(object, key);
    return v && v->is_array() ? *v : empty;
}

std::map<std::string, std::string> key_values(const json& list) {
    std::map<std::string, std::string> out;
    for (const json& item : list)
        if (item.is_object()) out[text(item, "key")] = text(item, "value");
    return out;
}

[[noreturn]] void bad_shape(std::string_view what, std::string_view why) {
    throw UpstreamError("mlflow", "BadResponse", "MLflow's answer to " + std::string(what) + " " + std::string(why));
}

void require_object(const json& body, std::string_view what) {
    if (!body.is_object()) bad_shape(what, "is not a JSON object");
}

void require_array_or_absent(const json& body, std::string_view key, std::string_view what) {
    const json* v = field(body, key);
    if (v && !v->is_array()) bad_shape(what, "has `" + std::string(key) + "` that is not a list");
}

}  // namespace

Experiment parse_experiment(const json& experiment) {
    return Experiment{text(experiment, "experiment_id"), text(experiment, "name"),
                      text(experiment, "lifecycle_stage")};
}

MetricPoint parse_metric_point(const json& metric) {
    return MetricPoint{number(metric, "value"), int64(metric, "timestamp"), int64(metric, "step")};
}

Run parse_run(const json& run) {
    static const json empty = json::object();
    const json* info_field = field(run, "info");
    const json* data_field = field(run, "data");
    const json& info = info_field ? *info_field : empty;
    const json& data = data_field ? *data_field : empty;

    Run out;
    out.id = text(info, "run_id");
    if (out.id.empty()) out.id = text(info, "run_uuid");  // servers before MLflow 1.0
    out.name = text(info, "run_name");
    out.experiment_id = text(info, "experiment_id");
    out.status = text(info, "status");
    out.start_time_ms = int64(info, "start_time");
    out.end_time_ms = int64(info, "end_time");
    out.tags = key_values(array_at(data, "tags"));
    out.params = key_values(array_at(data, "params"));
    // Servers before 1.x put the name only in this tag.
    if (out.name.empty())
        if (auto it = out.tags.find("mlflow.runName"); it != out.tags.end()) out.name = it->second;

    // runs/search already sends the latest of each metric; should a key come
    // twice, the later step (then timestamp) wins, as MLflow's own ordering does.
    std::map<std::string, std::tuple<std::int64_t, std::int64_t>> seen;
    for (const json& metric : array_at(data, "metrics")) {
        if (!metric.is_object()) continue;
        const std::string key = text(metric, "key");
        const MetricPoint point = parse_metric_point(metric);
        const auto order = std::make_tuple(point.step, point.timestamp_ms);
        auto [it, fresh] = seen.try_emplace(key, order);
        if (fresh || order >= it->second) {
            it->second = order;
            out.metrics[key] = point.value;
        }
    }
    return out;
}

namespace {

// MLflow's list answers share one shape: an optional array under `key` (an
// empty list is left out entirely) and next_page_token when there is more.
template <class T, class ParseItem>
Page<T> parse_page(const json& body, const char* key, const char* operation, ParseItem parse_item) {
    require_object(body, operation);
    require_array_or_absent(body, key, operation);
    Page<T> page;
    for (const json& item : array_at(body, key))
        if (item.is_object()) page.items.push_back(parse_item(item));
    page.next_page_token = text(body, "next_page_token");
    return page;
}

}  // namespace

Page<Experiment> parse_experiments_page(const json& body) {
    return parse_page<Experiment>(body, "experiments", "experiments/search", parse_experiment);
}

Page<Run> parse_runs_page(const json& body) {
    return parse_page<Run>(body, "runs", "runs/search", parse_run);
}

Page<MetricPoint> parse_metric_history_page(const json& body) {
    return parse_page<MetricPoint>(body, "metrics", "metrics/get-history", parse_metric_point);
}

Run parse_get_run(const json& body) {
    require_object(body, "runs/get");
    const json* run = field(body, "run");
    if (!run || !run->is_object()) bad_shape("runs/get", "has no `run`");
    return parse_run(*run);
}

json parse_body(std::string_view body, std::string_view what) {
    // An empty 200 is what some proxies send for {}; nothing in it to read.
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return json::object();
    json parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded()) bad_shape(what, "is not JSON; is tracking_uri the MLflow server's base URL?");
    return parsed;
}

std::string search_experiments_body(std::string_view page_token) {
    json body = {{"max_results", max_page_size}, {"view_type", "ACTIVE_ONLY"}};
    if (!page_token.empty()) body["page_token"] = page_token;
    return body.dump();
}

std::string search_runs_body(const std::vector<std::string>& experiment_ids, const RunQuery& query, int page_size,
                             std::string_view page_token) {
    json body = {{"experiment_ids", experiment_ids}, {"run_view_type", "ACTIVE_ONLY"}, {"max_results", page_size}};
    if (!query.filter.empty()) body["filter"] = query.filter;
    if (!query.order_by.empty()) body["order_by"] = query.order_by;
    if (!page_token.empty()) body["page_token"] = page_token;
    return body.dump();
}

std::string run_id_body(std::string_view run_id) { return json{{"run_id", run_id}}.dump(); }

}  // namespace hpops::integrations::mlflow
