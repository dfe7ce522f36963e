#pragma once
#include <mutex>

namespace hpops::integrations::aws {

// The AWS SDKs' "standard" retry mode bounds retries across calls as well as
// within one: a bucket of 500 tokens, 5 taken for each retry (10 after a
// timeout), given back when the retried call succeeds, and 1 earned by each
// call that succeeds at once. When AWS is failing everything, hpops stops
// multiplying its load by three and answers at once instead.
// (botocore/retries/quota.py and standard.py hold the numbers.)
class RetryQuota {
public:
    static constexpr int capacity = 500;
    static constexpr int retry_cost = 5;
    static constexpr int timeout_retry_cost = 10;
    static constexpr int success_increment = 1;

    // Takes the cost of one more attempt; false (and nothing taken) when the bucket cannot pay.
    bool try_acquire(bool after_timeout);
    // A call succeeded: `spent` is what its retries took (0: it needed none).
    void on_success(int spent);
    int available() const;

private:
    mutable std::mutex mutex_;
    int available_ = capacity;
};

}  // namespace hpops::integrations::aws
