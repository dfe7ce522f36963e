#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hpops/cloudformation.hpp"
#include "hpops/reply.hpp"

namespace hpops::handlers {

// Where a stack launch (or teardown) stands, read from its events: what the
// launch job shows at every step and `/hp cluster logs` summarises.
struct StackProgress {
    std::string stack_status;  // the stack's own latest status; empty before its first event
    int done = 0;              // resources CREATE_COMPLETE (DELETE_COMPLETE for a teardown)
    int total = 0;             // the template's resources when known, else those seen so far
    // The resources under way now, oldest first: "EksCluster (AWS::EKS::Cluster)".
    std::vector<std::string> in_progress;
    // The failure that started it all: the first CREATE_FAILED (or
    // DELETE_FAILED) whose reason is not the cascade AWS writes after it
    // ("Resource creation cancelled").
    std::optional<StackEvent> first_failure;
    bool finished = false;  // a terminal stack status: *_COMPLETE or *_FAILED, nothing in progress
    bool succeeded = false; // finished as asked (CREATE_COMPLETE, DELETE_COMPLETE)
};

// `events` oldest first (DescribeStackEvents pages, reversed). `template_resources`
// is the template's resource count when known (0: count those seen).
// `teardown` reads the events of a DeleteStack.
StackProgress stack_progress(const std::vector<StackEvent>& events, std::string_view stack_name,
                             int template_resources, bool teardown);

// True for a stack status CloudFormation will not move on from by itself.
bool is_terminal_stack_status(std::string_view status);

// The launch's message: the failing resource and its reason on top when there
// is one, then resources done out of total as a bar, what is under way, and
// the time since `started_unix_ms`.
Reply render_stack_progress(const StackProgress& progress, std::string_view cluster, std::int64_t started_unix_ms,
                            std::int64_t now_unix_ms, bool teardown);

// `/hp cluster logs NAME [last=N]`: the stack's last `last` events, oldest
// first, as a table (time, resource, type, status, reason), with the first
// failure, if any, named above it.
Reply render_stack_log(const std::vector<StackEvent>& events, std::string_view stack_name, std::size_t last);

}  // namespace hpops::handlers
