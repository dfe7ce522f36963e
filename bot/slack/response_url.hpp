#pragma once
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "hpops/http_client.hpp"

namespace hpops::bot {

// Posts a follow-up message to a slash command's or interaction's response_url.
// Slack accepts up to five posts within 30 minutes; retries on 429/5xx are the
// client's. Throws UpstreamError when Slack finally refuses.
boost::asio::awaitable<void> post_to_response_url(HttpClient& http, const std::string& url, const nlohmann::json& message);

}  // namespace hpops::bot
