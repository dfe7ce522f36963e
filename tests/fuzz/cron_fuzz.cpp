// A schedule's cron expression, as typed in chat, and when it fires: the
// parser must refuse with a UserError or accept, and the search must end.
#include <date/tz.h>

#include "hpops/errors.hpp"
#include "schedules/next_firing.hpp"
#include "schedules/time_zones.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace hpops::schedules;
    // Zones that move by an hour, by half an hour, at midnight, and not at all.
    static const date::time_zone* zones[] = {&find_zone("UTC"), &find_zone("Europe/Berlin"),
                                             &find_zone("Australia/Lord_Howe"), &find_zone("America/Havana")};
    try {
        const CronExpression cron = parse_cron(hpops::fuzz::as_text(data, size));
        const auto* zone = zones[size % 4];
        std::chrono::sys_seconds at{std::chrono::seconds(1774746000)};  // 2026-03-29, Berlin's change
        for (int i = 0; i < 3; ++i) {
            const auto next = next_firing(cron, *zone, at);
            if (!next) break;
            if (*next <= at) __builtin_trap();  // never the past, never the same instant twice
            at = *next;
        }
    } catch (const hpops::UserError&) {
    }
    return 0;
}
