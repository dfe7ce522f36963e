#include "bot/leadership.hpp"

#include <spdlog/spdlog.h>

namespace hpops::bot {

Leadership::Leadership(LeaseStore* leases, std::string role, std::string owner, std::chrono::milliseconds ttl)
    : leases_(leases), name_("leader " + std::move(role)), owner_(std::move(owner)), ttl_(ttl) {}

bool Leadership::lead() {
    if (!leases_) return true;
    bool now_leading = false;
    try {
        now_leading = leases_->claim_lease(name_, owner_, ttl_) != 0;
    } catch (const std::exception& e) {
        if (leading_) spdlog::warn("{}: cannot renew the lease ({}); stepping down", name_, e.what());
    }
    if (now_leading != leading_)
        spdlog::info("{}: {} {}", name_, owner_, now_leading ? "leads" : "no longer leads");
    leading_ = now_leading;
    return leading_;
}

void Leadership::resign() {
    if (!leases_ || !leading_) return;
    leading_ = false;
    try {
        leases_->release_lease(name_, owner_);
    } catch (const std::exception& e) {
        spdlog::warn("{}: cannot let the lease go ({}); it expires in {} ms", name_, e.what(), ttl_.count());
    }
}

}  // namespace hpops::bot
