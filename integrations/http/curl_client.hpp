#pragma once
#include <boost/asio/thread_pool.hpp>

#include "hpops/errors.hpp"
#include "hpops/http_client.hpp"

namespace hpops::integrations {

// libcurl easy handles on a small worker pool; the awaiting coroutine resumes on
// its own executor. Each worker keeps its handle, so connections are reused.
// Retries (429, 5xx, transport errors) wait on an Asio timer, not a worker.
class CurlClient final : public HttpClient {
public:
    explicit CurlClient(std::size_t workers = 4);
    ~CurlClient() override;

    boost::asio::awaitable<HttpResponse> send(HttpRequest request, RetryPolicy retry) override;

private:
    boost::asio::thread_pool pool_;
};

// Exposed for tests: the delay before retry `attempt` (1-based), honouring a
// Retry-After value in seconds when the server sent one.
std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int attempt, std::string_view retry_after);
bool is_retryable_status(long status);

// True when a transport failure happened before the request could reach the
// server (no connection, no name, a failed TLS handshake): the server cannot
// have acted on it. A reset or timeout after connecting is not such a failure.
bool failed_before_sending(const UpstreamError& error);

}  // namespace hpops::integrations
