// Answers the cron reference test (test_cron_reference.py): one line in per
// case, "EXPRESSION<TAB>ZONE<TAB>START_UNIX<TAB>COUNT", one line out:
// "ok T1 T2 ..." (the next COUNT firings, each after the one before, as Unix
// seconds; fewer when it stops firing) or "error MESSAGE".
#include <iostream>
#include <sstream>
#include <string>

#include "hpops/errors.hpp"
#include "schedules/next_firing.hpp"
#include "schedules/time_zones.hpp"

int main() {
    using namespace hpops::schedules;
    std::string line;
    while (std::getline(std::cin, line)) {
        std::istringstream fields(line);
        std::string expression, zone, start, count;
        std::getline(fields, expression, '\t');
        std::getline(fields, zone, '\t');
        std::getline(fields, start, '\t');
        std::getline(fields, count, '\t');
        try {
            const CronExpression cron = parse_cron(expression);
            const auto& tz = find_zone(zone);
            std::chrono::sys_seconds at{std::chrono::seconds(std::stoll(start))};
            std::cout << "ok";
            for (int i = 0; i < std::stoi(count); ++i) {
                const auto next = next_firing(cron, tz, at);
                if (!next) break;
                at = *next;
                std::cout << ' ' << at.time_since_epoch().count();
            }
            std::cout << '\n';
        } catch (const hpops::UserError& e) {
            std::cout << "error " << e.what() << '\n';
        }
    }
}
