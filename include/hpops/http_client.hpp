#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace hpops {

// TLS material for requests to one server (Kubernetes: the cluster's own CA,
// a client certificate), shared by the requests that use it.
struct TlsOptions {
    std::string ca_pem;                 // trust only these CAs; empty: the system's
    std::string client_cert_pem;        // with client_key_pem: authenticate by certificate
    std::string client_key_pem;         // never log
    bool insecure_skip_verify = false;  // only when a kubeconfig explicitly asks for it
};

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds timeout{10'000};
    std::shared_ptr<const TlsOptions> tls;  // null: system CAs, no client certificate
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
