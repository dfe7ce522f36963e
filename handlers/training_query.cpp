#include "handlers/training_query.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>

#include "common/text.hpp"
#include "common/text_similarity.hpp"
#include "handlers/training_view.hpp"
#include "hpops/errors.hpp"
#include "hpops/intent.hpp"

namespace hpops::handlers {
namespace {

// How many runs a name search fetches: enough to list an ambiguous name's matches.
constexpr int name_search_results = 10;
// Experiments named in an "unknown experiment" message.
constexpr std::size_t max_listed_experiments = 15;

std::string upper(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
    return out;
}

template <class T>
bool parse_exact(std::string_view text, T& out) {
    if (text.empty()) return false;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size();
}

std::int64_t epoch_ms(std::chrono::sys_days day, int hours, int minutes) {
    using namespace std::chrono;
    return duration_cast<milliseconds>((day + std::chrono::hours(hours) + std::chrono::minutes(minutes)).time_since_epoch()).count();
}

// "2026-11-01", "2026-11-01T08:30" or "2026-11-01 08:30", UTC.
std::optional<std::int64_t> parse_date(std::string_view s) {
    if (s.size() != 10 && s.size() != 16) return std::nullopt;
    if (s[4] != '-' || s[7] != '-') return std::nullopt;
    int y = 0;
    unsigned m = 0, d = 0;
    int hh = 0, mm = 0;
    if (!parse_exact(s.substr(0, 4), y) || !parse_exact(s.substr(5, 2), m) || !parse_exact(s.substr(8, 2), d))
        return std::nullopt;
    if (s.size() == 16) {
        if ((s[10] != 'T' && s[10] != ' ') || s[13] != ':') return std::nullopt;
        if (!parse_exact(s.substr(11, 2), hh) || !parse_exact(s.substr(14, 2), mm)) return std::nullopt;
        if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return std::nullopt;
    }
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
    if (!ymd.ok()) return std::nullopt;
    return epoch_ms(std::chrono::sys_days{ymd}, hh, mm);
}

std::string option_text(const std::string& key, const std::string& value) {
    const bool quote = value.find_first_of(" \t\"") != std::string::npos;
    return key + "=" + (quote ? "\"" + value + "\"" : value);
}

}  // namespace

int parse_run_limit(std::string_view text) {
    if (text.empty()) return default_run_limit;
    int n = 0;
    if (!parse_exact(text, n) || n < 1 || n > max_run_limit)
        throw UserError("`limit` must be a whole number from 1 to " + std::to_string(max_run_limit) + ", not " +
                        code_span(text) + ".");
    return n;
}

std::string status_clause(std::string_view status) {
    static constexpr std::string_view known[] = {"finished", "running", "failed", "killed", "scheduled"};
    const std::string s = lower_ascii(status);
    if (std::find(std::begin(known), std::end(known), s) == std::end(known))
        throw UserError("`status` is one of finished, running, failed, killed or scheduled — not " + code_span(status) + ".");
    return "attributes.status = '" + upper(s) + "'";
}

std::int64_t parse_since(std::string_view since, std::int64_t now_ms) {
    const std::string usage = "`since` takes a span such as `24h`, `7d`, `2w`, `30m`, or a UTC date such as "
                              "`2026-11-01` or `2026-11-01T08:30` — not " + code_span(since) + ".";
    std::int64_t at = 0;
    if (auto date = parse_date(since)) {
        at = *date;
    } else if (since.size() >= 2) {
        static constexpr std::int64_t minute = 60'000, unit_ms[] = {minute, 60 * minute, 24 * 60 * minute, 7 * 24 * 60 * minute};
        const auto unit = std::string_view("mhdw").find(static_cast<char>(std::tolower(static_cast<unsigned char>(since.back()))));
        std::int64_t n = 0;
        // Ten years in minutes bounds n, so the product cannot overflow.
        if (unit == std::string_view::npos || !parse_exact(since.substr(0, since.size() - 1), n) || n <= 0 || n > 5'256'000)
            throw UserError(usage);
        at = std::max<std::int64_t>(0, now_ms - n * unit_ms[unit]);
    } else {
        throw UserError(usage);
    }
    if (at > now_ms) throw UserError(code_span("since=" + std::string(since), 60) + " is in the future; no run has started yet.");
    return at;
}

Clause equals_clause(std::string_view key, std::string_view value) {
    const bool single = value.find('\'') != std::string_view::npos;
    const bool dbl = value.find('"') != std::string_view::npos;
    if (!single) return {std::string(key) + " = '" + std::string(value) + "'", true};
    if (!dbl) return {std::string(key) + " = \"" + std::string(value) + "\"", true};
    std::string pattern(value);
    std::replace(pattern.begin(), pattern.end(), '\'', '_');
    return {std::string(key) + " LIKE '" + pattern + "'", false};
}

const Experiment& find_experiment(const std::vector<Experiment>& experiments, std::string_view name) {
    std::vector<const Experiment*> live;
    for (const auto& e : experiments)
        if (e.lifecycle_stage != "deleted") live.push_back(&e);
    for (const Experiment* e : live)
        if (e->name == name) return *e;
    for (const Experiment* e : live)
        if (e->id == name) return *e;
    const Experiment* folded = nullptr;
    std::size_t folded_count = 0;
    for (const Experiment* e : live)
        if (lower_ascii(e->name) == lower_ascii(name)) folded = e, ++folded_count;
    if (folded_count == 1) return *folded;

    if (live.empty()) throw UserError("MLflow has no experiments yet, so none is called " + code_span(name) + ".");
    std::sort(live.begin(), live.end(), [](const Experiment* a, const Experiment* b) { return a->name < b->name; });
    std::vector<std::string_view> names;
    for (const Experiment* e : live) names.push_back(e->name);
    std::string message = "No MLflow experiment " + code_span(name) + ".";
    if (auto close = hpops::closest_match(name, names); !close.empty()) message += " Did you mean " + code_span(close, 100) + "?";
    message += " Known experiments: ";
    for (std::size_t i = 0; i < live.size() && i < max_listed_experiments; ++i)
        message += (i ? ", " : "") + code_span(live[i]->name, 60);
    if (live.size() > max_listed_experiments)
        message += " and " + std::to_string(live.size() - max_listed_experiments) + " more";
    throw UserError(message + ".");
}

RunListRequest build_run_request(const std::map<std::string, std::string>& options,
                                 const std::vector<Experiment>& experiments, std::int64_t now_ms) {
    auto get = [&options](const char* key) { return option_or_empty(options, key); };
    RunListRequest request;
    std::vector<std::string> clauses, typed;
    if (auto name = get("experiment"); !name.empty()) {
        request.query.experiment_ids = {find_experiment(experiments, name).id};
        typed.push_back(option_text("experiment", name));
    }
    if (auto status = get("status"); !status.empty()) {
        clauses.push_back(status_clause(status));
        typed.push_back(option_text("status", status));
    }
    if (auto since = get("since"); !since.empty()) {
        clauses.push_back("attributes.start_time >= " + std::to_string(parse_since(since, now_ms)));
        typed.push_back(option_text("since", since));
    }
    if (auto model = get("model"); !model.empty()) {
        Clause clause = equals_clause("tags.model", model);
        if (!clause.exact) request.exact_model = model;
        clauses.push_back(std::move(clause.text));
        typed.push_back(option_text("model", model));
    }
    request.limit = parse_run_limit(get("limit"));
    if (options.count("limit")) typed.push_back(option_text("limit", get("limit")));
    for (const auto& clause : clauses) request.query.filter += (request.query.filter.empty() ? "" : " AND ") + clause;
    request.query.max_results = request.limit + 1;
    for (const auto& t : typed) request.filters += (request.filters.empty() ? "" : " ") + t;
    return request;
}

bool looks_like_run_id(std::string_view text) {
    return text.size() == 32 &&
           std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

RunQuery run_name_query(std::string_view name) {
    RunQuery query;
    query.filter = equals_clause("attributes.run_name", name).text;
    query.max_results = name_search_results;
    return query;
}

const Run& pick_named_run(std::string_view name, const std::vector<Run>& matches,
                          const std::map<std::string, std::string>& experiment_names) {
    std::vector<const Run*> exact;
    for (const auto& run : matches)
        if (run.name == name) exact.push_back(&run);
    if (exact.size() == 1) return *exact.front();
    if (exact.empty())
        throw UserError("No training run has the id or name " + code_span(name, 100) + ". `/hp training` lists recent runs.");
    const bool maybe_more = matches.size() >= static_cast<std::size_t>(name_search_results);
    std::string message = code_span(name, 100) + " names " + (maybe_more ? "at least " : "") +
                          std::to_string(exact.size()) + " runs; say which by run id:";
    for (const Run* run : exact)
        message += "\n• " + code_span(run->id, 64) + " in " + code_span(experiment_label(experiment_names, run->experiment_id), 60) +
                   ", started " + format_time(run->start_time_ms) + ", " + clip(run->status, 20);
    throw UserError(message);
}

}  // namespace hpops::handlers
