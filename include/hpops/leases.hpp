#pragma once
// Named leases in the store, for work that one replica of several should do
// at a time: a channel's alert posts, the digest scheduler, the capacity
// sampler. The store's clock judges expiry (PostgreSQL's own for replicas on
// several hosts), so replicas need not agree on the time.
#include <chrono>
#include <cstdint>
#include <string>

namespace hpops {

class LeaseStore {
public:
    virtual ~LeaseStore() = default;
    // Takes `name` for `owner` when it is free or expired, or renews it when
    // `owner` holds it, for `ttl`. Returns the lease's fencing token, which
    // grows each time the lease changes hands, or 0 when another owner holds it.
    virtual std::int64_t claim_lease(const std::string& name, const std::string& owner,
                                     std::chrono::milliseconds ttl) = 0;
    // Lets the lease go at once (a clean stop), if `owner` holds it.
    virtual void release_lease(const std::string& name, const std::string& owner) = 0;
};

}  // namespace hpops
