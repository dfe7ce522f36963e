#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace hpops {

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds timeout{10'000};
};

struct HttpResponse {
    long status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
    std::string body;
    std::string header(std::string_view name) const;
};

struct RetryPolicy {
    int max_attempts = 4;
    std::chrono::milliseconds base_delay{200};
    std::chrono::milliseconds max_delay{5'000};
};

// Outbound HTTP. Transport failures throw UpstreamError; HTTP error statuses
// are returned, after retries on 429 and 5xx (honouring Retry-After).
class HttpClient {
public:
    virtual ~HttpClient() = default;
    virtual boost::asio::awaitable<HttpResponse> send(HttpRequest request, RetryPolicy retry) = 0;
};

}  // namespace hpops
