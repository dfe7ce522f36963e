#include "common/log_fields.hpp"

namespace hpops::log {
namespace {

const Fields no_fields;
thread_local const Fields* in_scope = &no_fields;

// `inner`'s known fields over `outer`'s.
Fields overlay(const Fields& outer, const Fields& inner) {
    Fields out = outer;
    if (!inner.request_id.empty()) out.request_id = inner.request_id;
    if (!inner.actor.empty()) out.actor = inner.actor;
    if (!inner.command.empty()) out.command = inner.command;
    if (inner.job_id != 0) out.job_id = inner.job_id;
    if (!inner.backend_request_id.empty()) out.backend_request_id = inner.backend_request_id;
    return out;
}

}  // namespace

FieldScope::FieldScope(const Fields& fields) : fields_(overlay(*in_scope, fields)), outer_(in_scope) {
    in_scope = &fields_;
}

FieldScope::~FieldScope() { in_scope = outer_; }

const Fields& current_fields() { return *in_scope; }

}  // namespace hpops::log
