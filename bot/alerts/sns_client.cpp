#include "bot/alerts/sns_client.hpp"

#include "hpops/errors.hpp"

namespace hpops::bot {

namespace {
constexpr std::size_t max_cached_certificates = 16;  // AWS rotates them rarely; a bound keeps forgeries from growing it
}

std::string SnsClient::target(const std::string& url) const {
    if (test_base_.empty()) return url;
    const auto path = url.find('/', std::string_view("https://").size());
    return test_base_ + (path == std::string::npos ? "/" : url.substr(path));
}

boost::asio::awaitable<std::string> SnsClient::certificate(std::string url) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = certificates_.find(url); it != certificates_.end()) co_return it->second;
    }
    HttpRequest request;
    request.url = target(url);
    request.timeout = std::chrono::seconds(5);
    auto send = http_.send(std::move(request), RetryPolicy{2, std::chrono::milliseconds(200), std::chrono::seconds(1)});
    HttpResponse response = co_await std::move(send);
    if (response.status != 200)
        throw UpstreamError("sns", "http_" + std::to_string(response.status), "signing certificate " + url, "",
                            static_cast<int>(response.status));
    std::lock_guard lock(mutex_);
    ++fetches_;
    if (certificates_.size() >= max_cached_certificates) certificates_.clear();
    certificates_[url] = response.body;
    co_return response.body;
}

boost::asio::awaitable<void> SnsClient::confirm_subscription(std::string subscribe_url) {
    HttpRequest request;
    request.url = target(subscribe_url);
    request.timeout = std::chrono::seconds(5);
    auto send = http_.send(std::move(request), RetryPolicy{});
    HttpResponse response = co_await std::move(send);
    if (response.status != 200)
        throw UpstreamError("sns", "http_" + std::to_string(response.status), "ConfirmSubscription: " +
                            response.body.substr(0, 200), "", static_cast<int>(response.status));
}

}  // namespace hpops::bot
