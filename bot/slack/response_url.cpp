#include "bot/slack/response_url.hpp"

#include <nlohmann/json.hpp>

#include "bot/slack/block_kit_renderer.hpp"
#include "hpops/errors.hpp"

namespace hpops::bot {

boost::asio::awaitable<void> post_to_response_url(HttpClient& http, const std::string& url, const nlohmann::json& message) {
    HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.headers = {{"Content-Type", "application/json; charset=utf-8"}};
    request.body = to_wire(message);
    HttpResponse response = co_await http.send(std::move(request), RetryPolicy{});
    if (response.status < 200 || response.status > 299)
        throw UpstreamError("slack", "http_" + std::to_string(response.status), response.body.substr(0, 200));
}

}  // namespace hpops::bot
