#include "integrations/kubernetes/kube_credentials.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace hpops::integrations::kubernetes {
namespace {

using std::chrono::system_clock;

Clock or_system(Clock clock) {
    return clock ? std::move(clock) : Clock([] { return system_clock::now(); });
}

std::string trimmed(std::string token) {
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.pop_back();
    return token;
}

}  // namespace

TokenFileCredentials::TokenFileCredentials(std::string path, std::shared_ptr<const TlsOptions> tls, Clock clock)
    : path_(std::move(path)), tls_(std::move(tls)), clock_(or_system(std::move(clock))) {}

boost::asio::awaitable<KubeCredential> TokenFileCredentials::get() {
    std::lock_guard lock(mutex_);
    const auto now = clock_();
    if (token_.empty() || now - read_at_ >= std::chrono::minutes(1)) {
        token_ = trimmed(read_file(path_));
        read_at_ = now;
    }
    co_return KubeCredential{token_, tls_};
}

void TokenFileCredentials::invalidate() {
    std::lock_guard lock(mutex_);
    token_.clear();
}

ExecCredentials::ExecCredentials(ExecPlugin plugin, std::shared_ptr<const TlsOptions> base_tls, Clock clock)
    : plugin_(std::move(plugin)), base_tls_(std::move(base_tls)), clock_(or_system(std::move(clock))) {}

ExecCredentials::~ExecCredentials() { pool_.join(); }

boost::asio::awaitable<KubeCredential> ExecCredentials::get() {
    {
        std::lock_guard lock(mutex_);
        // Renewed a little before it expires, so a request never carries a stale one.
        if (cached_ && (!expires_ || clock_() + std::chrono::seconds(10) < *expires_)) co_return *cached_;
    }
    auto run = boost::asio::co_spawn(
        pool_, [this]() -> boost::asio::awaitable<ExecResult> {
            co_return parse_exec_credential(run_exec_plugin(plugin_, std::chrono::seconds(30)), plugin_.api_version);
        },
        boost::asio::use_awaitable);
    ExecResult result = co_await std::move(run);
    KubeCredential credential{result.token, base_tls_};
    if (!result.client_cert_pem.empty()) {
        auto tls = std::make_shared<TlsOptions>(base_tls_ ? *base_tls_ : TlsOptions{});
        tls->client_cert_pem = result.client_cert_pem;
        tls->client_key_pem = result.client_key_pem;
        credential.tls = std::move(tls);
    }
    std::lock_guard lock(mutex_);
    cached_ = credential;
    expires_ = result.expires;
    co_return credential;
}

void ExecCredentials::invalidate() {
    std::lock_guard lock(mutex_);
    cached_.reset();
}

}  // namespace hpops::integrations::kubernetes
