#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "handlers/training_view.hpp"

namespace hpops::handlers {

enum class RunsLayout {
    cards,  // Slack: per run, one short block of facts and a row of colour chips
    table,  // terminals: one aligned row per run, seed 001's columns
};

struct RunsView {
    RunsLayout layout = RunsLayout::cards;
    std::int64_t now_ms = 0;  // how long running runs have been running
    std::string filters;      // the user's filters as typed ("status=failed since=7d"); empty: none
    int limit = 20;
    bool more_match = false;  // MLflow holds more matching runs than `limit`
    std::string ui_url;       // the MLflow UI, for a link; empty: none
};

// Runs shown at most; the rest are counted in a note. A card is two blocks, so
// 40 cards fill two Slack messages, well within response_url's five posts.
inline constexpr std::size_t max_cards = 40;
inline constexpr std::size_t max_table_rows = 200;
// Tags named per card, tag columns per table; the rest are counted.
inline constexpr std::size_t max_card_tags = 10;
inline constexpr std::size_t max_tag_columns = 12;

// `/hp training`: newest first as given. Pure; never exceeds the caps above
// whatever the number of runs, tags or the size of values.
Reply render_runs(const std::vector<Run>& runs, const ExperimentNames& experiments, const RunsView& view);

}  // namespace hpops::handlers
