#include "handlers/training_detail.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "common/text.hpp"

namespace hpops::handlers {
namespace {

// Values in fields may be longer than in tables: Slack wraps a field.
constexpr std::size_t field_value_chars = 200;

std::string optional_number(const Run& run, std::string_view key) {
    auto value = metric(run, key);
    return value ? format_number(*value) : "-";
}

// The throughput metrics first, then the rest by name.
std::vector<std::string> ordered_metric_keys(const Run& run) {
    std::vector<std::string> keys;
    for (auto key : {samples_metric, steps_metric, loss_metric, epoch_metric})
        if (run.metrics.count(std::string(key))) keys.emplace_back(key);
    for (const auto& [key, value] : run.metrics)
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    return keys;
}

void add_metrics(Reply& reply, const Run& run, const MetricHistories& histories) {
    reply.text("*Metrics* · " + std::to_string(run.metrics.size()));
    if (run.metrics.empty()) return void(reply.text("_none logged_"));
    Table table{{"metric", "last", "trend", "points"}, {}};
    const auto keys = ordered_metric_keys(run);
    for (std::size_t i = 0; i < keys.size() && i < max_metric_rows; ++i) {
        std::string trend = "-", points = "-";
        if (auto it = histories.find(keys[i]); it != histories.end() && !it->second.empty()) {
            std::vector<double> values;
            values.reserve(it->second.size());
            for (const auto& point : it->second) values.push_back(point.value);
            trend = sparkline(values);
            points = std::to_string(values.size());
        }
        table.rows.push_back({clip(keys[i], max_value_chars), format_number(run.metrics.at(keys[i])), trend, points});
    }
    reply.table(std::move(table));
    if (keys.size() > max_metric_rows) reply.context("_" + plural(keys.size() - max_metric_rows, "more metric") + " not shown_");
}

// Params or tags as label/value fields, capped; returns how many were left out.
std::size_t add_pairs(Reply& reply, const std::map<std::string, std::string>& pairs, const std::vector<std::string>& keys) {
    std::vector<Field> fields;
    for (std::size_t i = 0; i < keys.size() && i < max_detail_fields; ++i)
        fields.push_back({clip(keys[i], 60), clip(pairs.at(keys[i]), field_value_chars)});
    if (fields.empty()) reply.text("_none_");
    else reply.fields(std::move(fields));
    return keys.size() > max_detail_fields ? keys.size() - max_detail_fields : 0;
}

}  // namespace

std::string run_url(const std::string& ui_url, const Run& run) {
    if (ui_url.empty()) return {};
    std::string base = ui_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/#/experiments/" + run.experiment_id + "/runs/" + run.id;
}

Reply render_run(const Run& run, const ExperimentNames& experiments, const MetricHistories& histories,
                 const std::string& ui_url, std::int64_t now_ms) {
    Reply reply;
    const std::string label = run_label(run);
    const std::string experiment = experiment_label(experiments, run.experiment_id);
    reply.summary = "Training run " + clip(label, 100) + " (" + clip(run.status, 20) + ")";
    reply.heading("Run " + clip(label, 100));
    std::string intro = code_span(run.id, 64) + " in experiment " + bold(experiment, 100);
    if (auto url = run_url(ui_url, run); !url.empty()) intro += " · <" + mrkdwn_escape(url) + "|Open in MLflow>";
    reply.text(std::move(intro));
    reply.chips(run_chips(run));
    reply.fields({{"Status", run.status.empty() ? "—" : clip(run.status, 40)},
                  {"Duration", run_duration(run, now_ms)},
                  {"Started", format_time(run.start_time_ms)},
                  {"Ended", run.end_time_ms > 0 ? format_time(run.end_time_ms) : "—"}});

    add_metrics(reply, run, histories);

    std::vector<std::string> param_keys;
    for (const auto& [key, value] : run.params) param_keys.push_back(key);
    reply.text("*Params* · " + std::to_string(param_keys.size()));
    const std::size_t more_params = add_pairs(reply, run.params, param_keys);

    const auto tag_keys = ordered_tag_keys(run.tags);
    reply.text("*Tags* · " + std::to_string(tag_keys.size()) + " _(mlflow.* hidden)_");
    const std::size_t more_tags = add_pairs(reply, run.tags, tag_keys);

    if (more_params || more_tags) {
        std::string note = "_Not shown: ";
        if (more_params) note += plural(more_params, "more param");
        if (more_params && more_tags) note += ", ";
        if (more_tags) note += plural(more_tags, "more tag");
        reply.context(note + (ui_url.empty() ? "._" : " — the MLflow UI has them all._"));
    }
    return reply;
}

namespace {

// Column titles: run names, made distinct with a short id where two runs share one.
std::vector<std::string> column_labels(const std::vector<Run>& runs) {
    std::vector<std::string> labels;
    for (const auto& run : runs) {
        const std::string label = clip(run_label(run), 30);
        const bool shared = std::count_if(runs.begin(), runs.end(), [&](const Run& r) { return clip(run_label(r), 30) == label; }) > 1;
        labels.push_back(shared ? label + " (" + run.id.substr(0, 8) + ")" : label);
    }
    return labels;
}

std::string ratio(double value, double baseline) {
    if (!std::isfinite(value) || !std::isfinite(baseline) || baseline <= 0) return "-";
    char out[32];
    std::snprintf(out, sizeof out, "%.2f×", value / baseline);
    return out;
}

struct KeyRow {
    std::string key;  // "params.lr", "tags.model"
    std::vector<std::string> values;
    bool differs = false;
};

std::vector<KeyRow> key_rows(const std::vector<Run>& runs) {
    std::vector<KeyRow> rows;
    auto add = [&](const std::string& prefix, const std::string& key, auto member) {
        KeyRow row{prefix + key, {}, false};
        for (const auto& run : runs) {
            const auto& pairs = run.*member;
            auto it = pairs.find(key);
            row.values.push_back(it == pairs.end() ? "-" : clip(it->second, 30));
        }
        // Compare whole values, not clipped ones: long values may differ at the end.
        std::set<std::string> distinct;
        for (const auto& run : runs) {
            const auto& pairs = run.*member;
            auto it = pairs.find(key);
            distinct.insert(it == pairs.end() ? std::string("\x01missing") : it->second);
        }
        row.differs = distinct.size() > 1;
        rows.push_back(std::move(row));
    };
    std::set<std::string> params;
    for (const auto& run : runs)
        for (const auto& [key, value] : run.params) params.insert(key);
    for (const auto& key : params) add("params.", key, &Run::params);
    std::vector<const Run*> pointers;
    for (const auto& run : runs) pointers.push_back(&run);
    for (const auto& key : tag_columns(pointers)) add("tags.", key, &Run::tags);
    std::stable_partition(rows.begin(), rows.end(), [](const KeyRow& r) { return r.differs; });
    return rows;
}

}  // namespace

Reply render_compare(const std::vector<Run>& runs, const ExperimentNames& experiments, std::int64_t now_ms) {
    Reply reply;
    reply.summary = "Comparing " + plural(runs.size(), "training run");
    reply.heading("Compare " + plural(runs.size(), "run"));
    const auto labels = column_labels(runs);

    std::vector<Chip> chips;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        auto samples = metric(runs[i], samples_metric);
        chips.push_back({labels[i] + (samples ? " " + format_number(*samples) + " samples/s" : " no samples/s"),
                         samples ? samples_colour(*samples) : Status::unknown});
    }
    reply.chips(std::move(chips));

    // NaN when the first run has no throughput: ratio() then answers "-".
    const double baseline = runs.empty() ? NAN : metric(runs.front(), samples_metric).value_or(NAN);
    if (baseline > 0 && runs.size() > 1) {
        std::string ratios;
        for (std::size_t i = 1; i < runs.size(); ++i)
            if (auto samples = metric(runs[i], samples_metric))
                ratios += (ratios.empty() ? " " : ", ") + code_span(labels[i], 40) + " " + ratio(*samples, baseline);
        if (!ratios.empty()) reply.text("*Samples/s* against " + code_span(labels.front(), 40) + ":" + ratios);
    }

    Table summary;
    summary.columns.push_back("");
    summary.columns.insert(summary.columns.end(), labels.begin(), labels.end());
    auto row = [&](std::string title, auto cell) {
        std::vector<std::string> r{std::move(title)};
        for (const auto& run : runs) r.push_back(cell(run));
        summary.rows.push_back(std::move(r));
    };
    row("experiment", [&](const Run& r) { return clip(experiment_label(experiments, r.experiment_id), 30); });
    row("status", [](const Run& r) { return clip(r.status, 20); });
    row("start", [](const Run& r) { return format_time(r.start_time_ms); });
    row("duration", [&](const Run& r) { return run_duration(r, now_ms); });
    row("samples/s", [](const Run& r) { return optional_number(r, samples_metric); });
    row("vs first", [&](const Run& r) {
        auto samples = metric(r, samples_metric);
        return samples && baseline ? ratio(*samples, baseline) : std::string("-");
    });
    row("steps/s", [](const Run& r) { return optional_number(r, steps_metric); });
    row("loss", [](const Run& r) { return optional_number(r, loss_metric); });
    row("epoch", [](const Run& r) { return optional_number(r, epoch_metric); });
    reply.table(std::move(summary));

    auto rows = key_rows(runs);
    const auto differing = static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [](const KeyRow& r) { return r.differs; }));
    reply.text("*Params and tags* · " + std::to_string(differing) + " differ (marked ≠), " +
               std::to_string(rows.size() - differing) + " the same");
    if (!rows.empty()) {
        Table table;
        table.columns.push_back("");
        table.columns.insert(table.columns.end(), labels.begin(), labels.end());
        for (std::size_t i = 0; i < rows.size() && i < max_compare_rows; ++i) {
            std::vector<std::string> r{(rows[i].differs ? "≠ " : "  ") + clip(rows[i].key, 38)};
            r.insert(r.end(), rows[i].values.begin(), rows[i].values.end());
            table.rows.push_back(std::move(r));
        }
        reply.table(std::move(table));
    }
    if (rows.size() > max_compare_rows) {
        const std::size_t left = rows.size() - max_compare_rows;
        const std::size_t left_differing = differing > max_compare_rows ? differing - max_compare_rows : 0;
        reply.context("_" + plural(left, "more key") + " not shown (" + std::to_string(left_differing) + " of them differ)._");
    }
    return reply;
}

}  // namespace hpops::handlers
