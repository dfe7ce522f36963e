#pragma once
#include <string>

#include "hpops/errors.hpp"
#include "hpops/intent.hpp"
#include "hpops/reply.hpp"

namespace hpops::bot {

// The one place typed errors become what the user reads.
Reply reply_for_parse_error(const ParseError& error);
Reply reply_for_user_error(const UserError& error);
Reply reply_for_denial(const NotPermitted& denial);
// A backend that gave no HTTP answer (refused, reset, timed out) is named in
// chat, never its address; the dispatcher logs the details.
bool is_transport_failure(const UpstreamError& error);
Reply reply_for_upstream_error(const UpstreamError& error);
Reply reply_for_internal_error(const std::string& request_id);

}  // namespace hpops::bot
