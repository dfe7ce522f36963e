#include "integrations/aws/retry_quota.hpp"

#include <algorithm>

namespace hpops::integrations::aws {

bool RetryQuota::try_acquire(bool after_timeout) {
    const int cost = after_timeout ? timeout_retry_cost : retry_cost;
    std::lock_guard lock(mutex_);
    if (available_ < cost) return false;
    available_ -= cost;
    return true;
}

void RetryQuota::on_success(int spent) {
    std::lock_guard lock(mutex_);
    available_ = std::min(capacity, available_ + (spent > 0 ? spent : success_increment));
}

int RetryQuota::available() const {
    std::lock_guard lock(mutex_);
    return available_;
}

}  // namespace hpops::integrations::aws
