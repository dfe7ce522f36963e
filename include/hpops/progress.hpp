#pragma once
#include "hpops/reply.hpp"

namespace hpops {

// Where a long-running handler reports how far it got: Slack edits the
// command's message (rate-limited, as response_url allows five posts), the
// terminal prints a line. Fire-and-forget: progress never fails a command.
class Progress {
public:
    virtual ~Progress() = default;
    virtual void update(const Reply& interim) = 0;
};

// For callers with nowhere to report (tests, digests).
class NoProgress final : public Progress {
public:
    void update(const Reply&) override {}
};

}  // namespace hpops
