#include "integrations/mlflow/mlflow_json.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>
#include <tuple>
#include <utility>

#include <nlohmann/json.hpp>

#include "hpops/errors.hpp"
#include "integrations/mlflow/json_cursor.hpp"

namespace hpops::integrations::mlflow {

using nlohmann::json;

namespace {

[[noreturn]] void bad_shape(std::string_view what, std::string_view why) {
    throw UpstreamError("mlflow", "BadResponse", "MLflow's answer to " + std::string(what) + " " + std::string(why));
}

// Runs read(in) over an answer's text; text that is not JSON is a BadResponse.
template <class Read>
void read_json(std::string_view body, std::string_view what, Read read) {
    // An empty 200 is what some proxies send for {}; nothing in it to read.
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return;
    try {
        JsonCursor in(body);
        read(in);
        in.finish();
    } catch (const NotJson&) {
        bad_shape(what, "is not JSON; is tracking_uri the MLflow server's base URL?");
    }
}

// Calls read_member(in, key, problem) for each top-level member. A shape
// problem is reported only once the whole text has proved to be JSON, so
// bad text is always "not JSON", as it was when answers were parsed to a tree.
template <class ReadMember>
void read_answer(std::string_view body, std::string_view what, ReadMember read_member) {
    std::string problem;
    read_json(body, what, [&](JsonCursor& in) {
        if (in.peek() != JsonType::object) {
            in.skip();
            problem = "is not a JSON object";
            return;
        }
        in.begin_object();
        while (auto key = in.next_member()) read_member(in, *key, problem);
    });
    if (!problem.empty()) bad_shape(what, problem);
}

// Protobuf JSON leaves out fields at their default, and a field of the
// wrong type reads as absent too: each reader below skips what it cannot
// use and leaves the default. A repeated key replaces the earlier value.

// Calls read_member(key) for each member of the object at the cursor.
template <class ReadMember>
void read_object(JsonCursor& in, ReadMember read_member) {
    if (in.peek() != JsonType::object) return in.skip();
    in.begin_object();
    while (auto key = in.next_member()) read_member(*key);
}

// Calls read_item() for each object in the list at the cursor.
template <class ReadItem>
void read_objects(JsonCursor& in, ReadItem read_item) {
    if (in.peek() != JsonType::array) return in.skip();
    in.begin_array();
    while (in.next_element()) {
        if (in.peek() == JsonType::object)
            read_item();
        else
            in.skip();
    }
}

void read_text(JsonCursor& in, std::string& out) {
    if (in.peek() == JsonType::string) return in.string_into(out);
    in.skip();
    out.clear();
}

// int64 fields: a number, or its decimal text (proto3 JSON's canonical form).
// A value outside int64 reads as 0.
std::int64_t read_int64(JsonCursor& in) {
    std::int64_t out = 0;
    if (in.peek() == JsonType::string) {
        const std::string_view s = in.string();
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return ec == std::errc{} && end == s.data() + s.size() ? out : 0;
    }
    if (in.peek() != JsonType::number) {
        in.skip();
        return 0;
    }
    const std::string_view n = in.number();
    if (n.find_first_of(".eE") == std::string_view::npos) {
        const auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), out);
        return ec == std::errc{} ? out : 0;
    }
    const double d = double_of(n).value_or(0);  // the cursor refuses numbers past a double
    constexpr double limit = 9223372036854775808.0;  // 2^63
    return d >= -limit && d < limit ? static_cast<std::int64_t>(d) : 0;
}

// Doubles: a number, or "NaN" / "Infinity" / "-Infinity", which JSON cannot write.
double read_double(JsonCursor& in) {
    if (in.peek() == JsonType::number) return double_of(in.number()).value_or(0);
    if (in.peek() != JsonType::string) {
        in.skip();
        return 0;
    }
    const std::string_view s = in.string();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
    try {
        return std::stod(std::string(s));
    } catch (const std::exception&) {
        return 0;
    }
}

void read_experiment(JsonCursor& in, Experiment& out) {
    read_object(in, [&](std::string_view key) {
        if (key == "experiment_id")
            read_text(in, out.id);
        else if (key == "name")
            read_text(in, out.name);
        else if (key == "lifecycle_stage")
            read_text(in, out.lifecycle_stage);
        else
            in.skip();
    });
}

// key is read when given: runs carry their metrics' keys, histories do not need them.
void read_metric(JsonCursor& in, MetricPoint& out, std::string* key) {
    read_object(in, [&](std::string_view member) {
        if (member == "value")
            out.value = read_double(in);
        else if (member == "timestamp")
            out.timestamp_ms = read_int64(in);
        else if (member == "step")
            out.step = read_int64(in);
        else if (key && member == "key")
            read_text(in, *key);
        else
            in.skip();
    });
}

// Reads runs one after another, keeping its scratch space from run to run.
class RunReader {
public:
    void read(JsonCursor& in, Run& run) {
        run_uuid_.clear();
        read_object(in, [&](std::string_view key) {
            if (key == "info")
                read_info(in, run);
            else if (key == "data")
                read_data(in, run);
            else
                in.skip();
        });
        if (run.id.empty()) run.id = run_uuid_;  // servers before MLflow 1.0
        // Servers before 1.x put the name only in this tag.
        if (run.name.empty())
            if (auto it = run.tags.find("mlflow.runName"); it != run.tags.end()) run.name = it->second;
    }

private:
    using Rank = std::tuple<std::int64_t, std::int64_t>;  // step, timestamp

    void read_info(JsonCursor& in, Run& run) {
        run.id.clear();
        run_uuid_.clear();
        run.name.clear();
        run.experiment_id.clear();
        run.status.clear();
        run.start_time_ms = run.end_time_ms = 0;
        read_object(in, [&](std::string_view key) {
            if (key == "run_id")
                read_text(in, run.id);
            else if (key == "run_uuid")
                read_text(in, run_uuid_);
            else if (key == "run_name")
                read_text(in, run.name);
            else if (key == "experiment_id")
                read_text(in, run.experiment_id);
            else if (key == "status")
                read_text(in, run.status);
            else if (key == "start_time")
                run.start_time_ms = read_int64(in);
            else if (key == "end_time")
                run.end_time_ms = read_int64(in);
            else
                in.skip();
        });
    }

    void read_data(JsonCursor& in, Run& run) {
        run.tags.clear();
        run.params.clear();
        run.metrics.clear();
        read_object(in, [&](std::string_view key) {
            if (key == "tags")
                read_key_values(in, run.tags);
            else if (key == "params")
                read_key_values(in, run.params);
            else if (key == "metrics")
                read_latest_metrics(in, run.metrics);
            else
                in.skip();
        });
    }

    void read_key_values(JsonCursor& in, std::map<std::string, std::string>& out) {
        out.clear();
        read_objects(in, [&] {
            key_.clear();
            value_.clear();
            read_object(in, [&](std::string_view member) {
                if (member == "key")
                    read_text(in, key_);
                else if (member == "value")
                    read_text(in, value_);
                else
                    in.skip();
            });
            out.insert_or_assign(std::move(key_), std::move(value_));
        });
    }

    // runs/search already sends the latest of each metric; should a key come
    // twice, the later step (then timestamp) wins, as MLflow's own ordering does.
    void read_latest_metrics(JsonCursor& in, std::map<std::string, double>& out) {
        out.clear();
        ranks_.clear();
        read_objects(in, [&] {
            key_.clear();
            MetricPoint point;
            read_metric(in, point, &key_);
            const Rank rank{point.step, point.timestamp_ms};
            const auto [it, fresh] = out.try_emplace(std::move(key_), point.value);
            if (fresh) return ranks_.emplace_back(it, rank), void();
            // Repeats are rare: a search through this run's metrics is fine.
            auto seen = std::find_if(ranks_.begin(), ranks_.end(), [&](const auto& r) { return r.first == it; });
            if (rank >= seen->second) {
                seen->second = rank;
                it->second = point.value;
            }
        });
    }

    std::string run_uuid_, key_, value_;
    std::vector<std::pair<std::map<std::string, double>::iterator, Rank>> ranks_;
};

std::size_t no_reserve(std::size_t) { return 0; }

// MLflow's list answers share one shape: an optional array under `key` (an
// empty list is left out entirely) and next_page_token when there is more.
template <class T, class ReadItem, class Expected>
Page<T> read_page(std::string_view body, std::string_view key, std::string_view what, ReadItem read_item,
                  Expected expected) {
    Page<T> page;
    read_answer(body, what, [&](JsonCursor& in, std::string_view member, std::string& problem) {
        if (member == "next_page_token") return read_text(in, page.next_page_token);
        if (member != key) return in.skip();
        page.items.clear();
        page.items.reserve(expected(body.size()));
        problem.clear();
        const JsonType type = in.peek();
        if (type != JsonType::array && type != JsonType::null)
            problem = "has `" + std::string(key) + "` that is not a list";
        read_objects(in, [&] { read_item(in, page.items.emplace_back()); });
    });
    return page;
}

}  // namespace

Page<Experiment> parse_experiments_page(std::string_view body) {
    return read_page<Experiment>(body, "experiments", "experiments/search", read_experiment, no_reserve);
}

Page<Run> parse_runs_page(std::string_view body) {
    // Growing a vector of 1,000 runs step by step costs more than reading a
    // third of them (the moves, and malloc consolidating its free lists). A run
    // takes at least ~400 bytes of MLflow's JSON (ids, times, artifact_uri),
    // so this rarely reserves much more than the page holds.
    auto expected = [](std::size_t bytes) { return std::min<std::size_t>(bytes / 400, max_page_size); };
    RunReader reader;
    return read_page<Run>(
        body, "runs", "runs/search", [&](JsonCursor& in, Run& run) { reader.read(in, run); }, expected);
}

Page<MetricPoint> parse_metric_history_page(std::string_view body) {
    return read_page<MetricPoint>(
        body, "metrics", "metrics/get-history",
        [](JsonCursor& in, MetricPoint& point) { read_metric(in, point, nullptr); }, no_reserve);
}

Run parse_get_run(std::string_view body) {
    std::optional<Run> run;
    read_answer(body, "runs/get", [&](JsonCursor& in, std::string_view member, std::string&) {
        if (member != "run") return in.skip();
        run.reset();
        if (in.peek() != JsonType::object) return in.skip();
        RunReader().read(in, run.emplace());
    });
    if (!run) bad_shape("runs/get", "has no `run`");
    return std::move(*run);
}

void check_json(std::string_view body, std::string_view what) {
    read_json(body, what, [](JsonCursor& in) { in.skip(); });
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
