// replay_burst: signed requests through the replay guard after one busy
// second, next to a fresh process, in one run (issue 11, finding 16).
//
//   replay_burst [BURST] [SPREAD]       defaults: 150000 and 300000
//
// Each case runs in a child process of its own, so each starts as fresh as
// hpops does. `fresh`: SPREAD requests whose signed timestamps are spread
// over 120 seconds. `after burst`: first BURST requests signed in one second,
// then the same spread load. Every request goes through what a signed Slack
// request meets first: verify_slack_signature, then ReplayGuard::check. It
// prints the spread load's rate, p50/p99 per request, and RSS before and
// after it, so the cost the burst leaves behind shows beside the baseline.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "bot/slack/slack_signature.hpp"
#include "common/replay_guard.hpp"

namespace {

using namespace hpops;
using clock_type = std::chrono::steady_clock;

const std::string secret = "local-dev-signing-secret";
constexpr std::size_t max_signatures = 100'000'000;  // no cap in the way: this measures memory and time

struct Signed {
    std::string timestamp, body, signature;
};

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// `count` requests signed at `first_second` + (a spread over `seconds` seconds), each unique by its body.
std::vector<Signed> signed_requests(int from, int count, std::int64_t first_second, int seconds) {
    std::vector<Signed> out(count);
    for (int i = 0; i < count; ++i) {
        out[i].timestamp = std::to_string(first_second + (static_cast<std::int64_t>(i) * 7919) % seconds);
        out[i].body = "trigger_id=bench." + std::to_string(from + i);
        out[i].signature = bot::slack_signature(secret, out[i].timestamp, out[i].body);
    }
    return out;
}

// Where the guard is called; the one line that changes to measure another guard.
bool admit(hpops::ReplayGuard& guard, const Signed& request) {
    const auto check = bot::verify_slack_signature(secret, request.timestamp, request.signature, request.body,
                                                   std::chrono::system_clock::now(), std::chrono::seconds(300));
    return check.ok && guard.check(request.signature, check.timestamp) == hpops::ReplayGuard::Verdict::first_time;
}

long status_kib(const char* field) {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::string(field).size());
    return -1;
}

void run_case(const char* name, int burst, int spread) {
    const std::int64_t now = now_seconds();
    hpops::ReplayGuard guard(std::chrono::seconds(300), max_signatures);
    if (burst > 0) {
        for (const auto& request : signed_requests(0, burst, now - 130, 1))
            if (!admit(guard, request)) std::_Exit(1);
    }
    const auto requests = signed_requests(burst, spread, now - 120, 120);
    const long rss_before = status_kib("VmRSS:");
    std::vector<float> micros(requests.size());
    const auto start = clock_type::now();
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const auto t0 = clock_type::now();
        if (!admit(guard, requests[i])) std::_Exit(1);
        micros[i] = std::chrono::duration<float, std::micro>(clock_type::now() - t0).count();
    }
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    std::sort(micros.begin(), micros.end());
    std::printf("%-12s %8d %12.0f %9.2f %10.1f %10.1f %11.1f %11.1f\n", name, burst, spread / seconds,
                micros[micros.size() / 2], micros[micros.size() * 99 / 100], micros.back() / 1000.0,
                rss_before / 1024.0, status_kib("VmRSS:") / 1024.0);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    const int burst = argc > 1 ? std::max(1, std::atoi(argv[1])) : 150'000;
    const int spread = argc > 2 ? std::max(1, std::atoi(argv[2])) : 300'000;
    std::printf("%-12s %8s %12s %9s %10s %10s %11s %11s\n", "case", "burst", "spread req/s", "p50 us", "p99 us",
                "max ms", "RSS MiB pre", "RSS MiB end");
    std::fflush(stdout);
    int failures = 0;
    for (const auto& [name, burst_size] : {std::pair{"fresh", 0}, std::pair{"after burst", burst}}) {
        const pid_t child = fork();
        if (child == 0) {
            run_case(name, burst_size, spread);
            std::_Exit(0);
        }
        int status = 0;
        waitpid(child, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            std::fprintf(stderr, "replay_burst: case `%s` failed (a request was refused)\n", name);
            ++failures;
        }
    }
    return failures ? 1 : 0;
}
