#include "handlers/training_table.hpp"

#include <algorithm>
#include <climits>
#include <map>
#include <utility>

#include "common/text.hpp"
#include "handlers/training_query.hpp"

namespace hpops::handlers {
namespace {

const std::string narrow_hint = "narrow with `experiment=`, `status=` or `since=`";

// Instance type and replica count travel as coloured chips, so the card's
// tag line leaves them out.
bool shown_as_chip(const std::string& key) { return key == "instance_type" || key == "replica_count"; }

std::string card_text(const Run& run, const ExperimentNames& experiments, std::int64_t now_ms) {
    std::string text = bold(run_label(run), 60) + " · " + mrkdwn_escape(clip(experiment_label(experiments, run.experiment_id), max_value_chars)) +
                       " · " + slack_time(run.start_time_ms) + " · " + run_duration(run, now_ms);
    if (auto steps = metric(run, steps_metric)) text += " · " + format_number(*steps) + " steps/s";

    std::string tags;
    std::size_t named = 0, more = 0;
    for (const auto& key : ordered_tag_keys(run.tags)) {
        if (shown_as_chip(key)) continue;
        if (named == max_card_tags) {
            ++more;
            continue;
        }
        tags += (named++ ? " · " : "") + mrkdwn_escape(clip(key, max_value_chars)) + " " + code_span(run.tags.at(key));
    }
    if (more) tags += " · _+" + plural(more, "more tag") + "_";
    if (!tags.empty()) text += "\n" + tags;
    return text;
}

void add_cards(Reply& reply, const std::vector<const Run*>& shown, const ExperimentNames& experiments,
               const RunsView& view) {
    for (const Run* run : shown) {
        reply.text(card_text(*run, experiments, view.now_ms));
        reply.chips(run_chips(*run));
    }
}

// Colours cannot live inside a monospace table, so a legend of chips counts
// the runs per colour: throughput bands, instance types, replica counts.
std::vector<Chip> legend(const std::vector<const Run*>& shown) {
    // A handful of each is what a reader takes in; odd fleets still stay small.
    constexpr std::size_t max_types = 8, max_replica_counts = 6;
    std::size_t bands[3] = {0, 0, 0};
    std::map<std::string, std::size_t> types;
    // Numeric order ("2" before "10"); values that are not numbers go last.
    std::map<std::pair<int, std::string>, std::size_t> replicas;
    for (const Run* run : shown) {
        if (auto samples = metric(*run, samples_metric)) {
            const Status s = samples_colour(*samples);
            if (s != Status::unknown) ++bands[s == Status::ok ? 0 : s == Status::warn ? 1 : 2];
        }
        if (auto it = run->tags.find("instance_type"); it != run->tags.end()) ++types[clip(it->second, max_value_chars)];
        if (auto it = run->tags.find("replica_count"); it != run->tags.end())
            ++replicas[{parse_whole_number(it->second).value_or(INT_MAX), clip(it->second, max_value_chars)}];
    }
    std::vector<Chip> chips;
    if (bands[0]) chips.push_back({plural(bands[0], "run") + " ≥ 2.0 samples/s", Status::ok});
    if (bands[1]) chips.push_back({plural(bands[1], "run") + " 1.0–2.0 samples/s", Status::warn});
    if (bands[2]) chips.push_back({plural(bands[2], "run") + " < 1.0 samples/s", Status::bad});
    std::size_t n = 0;
    for (auto it = types.begin(); it != types.end() && n < max_types; ++it, ++n)
        chips.push_back({it->first + " ×" + std::to_string(it->second), instance_family_colour(it->first)});
    n = 0;
    for (auto it = replicas.begin(); it != replicas.end() && n < max_replica_counts; ++it, ++n) {
        const auto& [number, value] = it->first;
        chips.push_back({value + (number == 1 ? " replica" : " replicas") + " ×" + std::to_string(it->second),
                         number == INT_MAX ? Status::unknown : replica_colour(number)});
    }
    return chips;
}

void add_table(Reply& reply, const std::vector<const Run*>& shown, const ExperimentNames& experiments,
               const RunsView& view) {
    std::vector<std::string> keys = tag_columns(shown);
    const std::size_t hidden_keys = keys.size() > max_tag_columns ? keys.size() - max_tag_columns : 0;
    keys.resize(std::min(keys.size(), max_tag_columns));

    Table table;
    table.columns = {"experiment", "run", "status"};
    for (const auto& key : keys) table.columns.push_back(clip(key, max_value_chars));
    for (const char* column : {"samples/s", "steps/s", "start", "duration"}) table.columns.emplace_back(column);
    table.rows.reserve(shown.size());
    for (const Run* run : shown) {
        std::vector<std::string> row{clip(experiment_label(experiments, run->experiment_id), max_value_chars),
                                     clip(run_label(*run), max_value_chars), clip(run->status, max_value_chars)};
        for (const auto& key : keys) {
            auto it = run->tags.find(key);
            row.push_back(it == run->tags.end() ? "-" : clip(it->second, max_value_chars));
        }
        const auto samples = metric(*run, samples_metric), steps = metric(*run, steps_metric);
        row.push_back(samples ? format_number(*samples) : "-");
        row.push_back(steps ? format_number(*steps) : "-");
        row.push_back(format_time(run->start_time_ms));
        row.push_back(run_duration(*run, view.now_ms));
        table.rows.push_back(std::move(row));
    }
    if (auto chips = legend(shown); !chips.empty()) reply.chips(std::move(chips));
    reply.table(std::move(table));
    if (hidden_keys)
        reply.context(plural(hidden_keys, "more tag key") + " not shown as columns; `/hp training show RUN` lists every tag.");
}

std::string where(const RunsView& view) {
    return view.filters.empty() ? std::string("all experiments") : code_span(view.filters, 200);
}

}  // namespace

Reply render_runs(const std::vector<Run>& runs, const ExperimentNames& experiments, const RunsView& view) {
    Reply reply;
    reply.visibility = Visibility::caller;
    const std::string filters = view.filters.empty() ? "" : " (" + clip(view.filters, 200) + ")";
    if (runs.empty()) {
        reply.summary = "No training runs" + filters;
        reply.heading("Training runs");
        reply.text(view.filters.empty() ? std::string("MLflow has no runs yet.")
                                        : "No runs match " + where(view) + ". Try a longer `since=` or drop a filter.");
        return reply;
    }

    const std::size_t cap = view.layout == RunsLayout::cards ? max_cards : max_table_rows;
    std::vector<const Run*> shown;
    shown.reserve(std::min(runs.size(), cap));
    for (std::size_t i = 0; i < runs.size() && i < cap; ++i) shown.push_back(&runs[i]);
    const std::size_t hidden = runs.size() - shown.size();

    reply.summary = plural(shown.size(), "training run") + filters;
    reply.heading("Training runs");
    reply.context("Newest first · " + where(view) + " · " + plural(shown.size(), "run") +
                  (view.more_match || hidden ? " shown" : ""));
    if (view.layout == RunsLayout::cards) add_cards(reply, shown, experiments, view);
    else add_table(reply, shown, experiments, view);

    // Two different limits: what fits in a reply here, and what was asked of
    // MLflow. Raising limit= only helps when the reply has room to show more.
    if (hidden)
        reply.context(plural(hidden, "more run") + " not shown here — " + narrow_hint +
                      (view.layout == RunsLayout::cards ? ", or list them from a terminal with `hpops run`." : "."));
    else if (view.more_match)
        reply.context("More runs match than `limit=" + std::to_string(view.limit) + "` — " + narrow_hint +
                      " or raise `limit=` (up to " + std::to_string(max_run_limit) + ").");
    std::string footer = "`/hp training show RUN` for metrics and params · `/hp training compare RUN RUN`";
    if (!view.ui_url.empty()) footer += " · <" + mrkdwn_escape(view.ui_url) + "|Open MLflow>";
    reply.context(std::move(footer));
    return reply;
}

}  // namespace hpops::handlers
