#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "hpops/http_client.hpp"
#include "integrations/kubernetes/exec_plugin.hpp"

namespace hpops::integrations::kubernetes {

// What authenticates one request: a bearer token, and/or TLS material with a
// client certificate (null: the connection's own).
struct KubeCredential {
    std::string token;  // never log
    std::shared_ptr<const TlsOptions> tls;
};

using Clock = std::function<std::chrono::system_clock::time_point()>;

// Where credentials come from; asked before every request, so sources that
// rotate (token files, exec plugins, EKS tokens) cache and renew themselves.
class KubeCredentials {
public:
    virtual ~KubeCredentials() = default;
    virtual boost::asio::awaitable<KubeCredential> get() = 0;
    // The server answered 401: drop what is cached.
    virtual void invalidate() {}
};

// The token and client certificate the kubeconfig holds; also no credentials at all.
class StaticCredentials final : public KubeCredentials {
public:
    explicit StaticCredentials(KubeCredential credential) : credential_(std::move(credential)) {}
    boost::asio::awaitable<KubeCredential> get() override { co_return credential_; }

private:
    KubeCredential credential_;
};

// A token file (in-cluster service-account token, kubeconfig tokenFile): the
// kubelet rotates it, so it is read again after a minute, as client-go does.
class TokenFileCredentials final : public KubeCredentials {
public:
    TokenFileCredentials(std::string path, std::shared_ptr<const TlsOptions> tls, Clock clock = {});
    boost::asio::awaitable<KubeCredential> get() override;
    void invalidate() override;

private:
    const std::string path_;
    const std::shared_ptr<const TlsOptions> tls_;
    const Clock clock_;
    std::mutex mutex_;
    std::string token_;
    std::chrono::system_clock::time_point read_at_{};
};

// An exec credential plugin (aws eks get-token, kubelogin, gke-gcloud-auth-plugin):
// run again when its credential expires or the server answers 401.
class ExecCredentials final : public KubeCredentials {
public:
    ExecCredentials(ExecPlugin plugin, std::shared_ptr<const TlsOptions> base_tls, Clock clock = {});
    ~ExecCredentials() override;
    boost::asio::awaitable<KubeCredential> get() override;
    void invalidate() override;

private:
    const ExecPlugin plugin_;
    const std::shared_ptr<const TlsOptions> base_tls_;
    const Clock clock_;
    boost::asio::thread_pool pool_{1};  // the plugin blocks; not on the bot's threads
    std::mutex mutex_;
    std::optional<KubeCredential> cached_;
    std::optional<std::chrono::system_clock::time_point> expires_;
};

}  // namespace hpops::integrations::kubernetes
