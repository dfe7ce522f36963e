#include "bot/routes/health.hpp"

#include "bot/jobs/job_runner.hpp"
#include "bot/routes/memory_metrics.hpp"
#include "bot/server/http_server.hpp"

namespace hpops::bot {

HttpOut handle_healthz() { return text_response(200, "ok"); }

HttpOut handle_readyz(Services& services) {
    if (services.server && services.server->draining()) return text_response(503, "draining");
    if (!services.store.healthy()) {
        services.metrics.count_error("store_unhealthy");
        return text_response(503, "store unavailable");
    }
    return text_response(200, "ready");
}

namespace {

// What the server refused before any route: kept by HttpServer, rendered here.
std::string server_metrics(const HttpServer& server) {
    const ServerCounters c = server.counters();
    std::string out =
        "# HELP hpops_server_refusals_total Requests the server answered itself, before any route, by reason.\n"
        "# TYPE hpops_server_refusals_total counter\n";
    for (std::size_t i = 0; i < c.refused.size(); ++i)
        out += "hpops_server_refusals_total{reason=\"" + std::string(to_string(static_cast<Refusal>(i))) + "\"} " +
               std::to_string(c.refused[i]) + "\n";
    auto line = [&out](std::string_view name, std::string_view type, std::string_view help, std::uint64_t value) {
        out += "# HELP " + std::string(name) + " " + std::string(help) + "\n# TYPE " + std::string(name) + " " +
               std::string(type) + "\n" + std::string(name) + " " + std::to_string(value) + "\n";
    };
    line("hpops_server_accept_failures_total", "counter", "accept() errors, each followed by a backoff.",
         c.accept_failures);
    line("hpops_server_connection_cap_waits_total", "counter",
         "Times accepting paused at server.max_connections.", c.cap_waits);
    line("hpops_server_connections_open", "gauge", "Connections open now.", c.connections_open);
    line("hpops_server_connections_max", "gauge", "server.max_connections in force.", c.connections_cap);
    line("hpops_server_body_bytes_in_flight", "gauge", "Request body bytes being read now.", c.body_bytes_in_flight);
    return out;
}

// The job runner's counters: steps, retries, resumes, endings by status.
std::string job_metrics(const JobRunner& jobs) {
    const JobRunnerStats s = jobs.stats();
    std::string out =
        "# HELP hpops_job_steps_total Job steps run.\n# TYPE hpops_job_steps_total counter\n"
        "hpops_job_steps_total " + std::to_string(s.steps) + "\n"
        "# HELP hpops_job_retries_total Job steps that failed transiently and were retried later.\n"
        "# TYPE hpops_job_retries_total counter\nhpops_job_retries_total " + std::to_string(s.retries) + "\n"
        "# HELP hpops_jobs_resumed_total Unfinished jobs picked up at start.\n"
        "# TYPE hpops_jobs_resumed_total counter\nhpops_jobs_resumed_total " + std::to_string(s.resumed) + "\n"
        "# HELP hpops_job_step_seconds Time a job step took (sum, count and the largest seen).\n"
        "# TYPE hpops_job_step_seconds summary\n"
        "hpops_job_step_seconds_sum " + std::to_string(s.step_seconds_sum) + "\n"
        "hpops_job_step_seconds_count " + std::to_string(s.steps) + "\n"
        "hpops_job_step_seconds_max " + std::to_string(s.step_seconds_max) + "\n"
        "# HELP hpops_jobs_running Jobs begun or resumed by this process and not yet ended.\n"
        "# TYPE hpops_jobs_running gauge\nhpops_jobs_running " + std::to_string(s.running) + "\n"
        "# HELP hpops_jobs_finished_total Jobs that ended, by status.\n# TYPE hpops_jobs_finished_total counter\n";
    for (JobStatus status : {JobStatus::done, JobStatus::failed, JobStatus::cancelled})
        out += "hpops_jobs_finished_total{status=\"" + std::string(to_string(status)) + "\"} " +
               std::to_string(s.finished[static_cast<int>(status)]) + "\n";
    return out;
}

}  // namespace

HttpOut handle_metrics(Services& services) {
    std::string text = services.metrics.render_prometheus();
    if (services.server) text += server_metrics(*services.server);
    if (services.jobs) text += job_metrics(*services.jobs);
    text += memory_metrics(services.replays, services.grafana_replays);
    HttpOut out = text_response(200, std::move(text));
    out.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return out;
}

}  // namespace hpops::bot
