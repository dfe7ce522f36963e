#pragma once
// One replica of several on a store at a time does a piece of background
// work (the digest scheduler, the capacity sampler): the one holding the
// store lease "leader <role>". The store's clock judges expiry (PostgreSQL's
// for replicas on several hosts), so the replicas' clocks need not agree.
//
// Leadership saves work rather than guarding it: what the leader does is
// still claimed once in the store (a digest firing's claim, a capacity
// slot's first sample), so two replicas that both believe they lead for a
// moment (a stalled leader whose lease ran out) still do it once.
#include <chrono>
#include <string>

#include "hpops/leases.hpp"

namespace hpops::bot {

class Leadership {
public:
    // The only process: always the leader.
    Leadership() = default;
    Leadership(LeaseStore* leases, std::string role, std::string owner, std::chrono::milliseconds ttl);

    // Takes or renews the lease; true while this replica leads. Call at
    // least every renew_every(). A store that does not answer: false, since
    // another replica may have taken the lease meanwhile.
    bool lead();
    // A clean stop: another replica leads at its next try.
    void resign();
    std::chrono::milliseconds renew_every() const {
        return leases_ ? ttl_ / 3 : std::chrono::milliseconds::max();
    }

private:
    LeaseStore* leases_ = nullptr;
    std::string name_, owner_;
    std::chrono::milliseconds ttl_{0};
    bool leading_ = false;
};

}  // namespace hpops::bot
