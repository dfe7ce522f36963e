#pragma once
// What the credential-source tests share: a scratch HOME, an environment
// from a map, a hand-moved wall clock, and HTTP clients that record or refuse.
// Test files say `using namespace hpops::integrations::aws::testing;` and get
// these and the usual test helpers.
#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hpops/errors.hpp"
#include "hpops/http_client.hpp"
#include "integrations/aws/credential_chain.hpp"
#include "tests/support/run_sync.hpp"
#include "tests/support/upstream_error_of.hpp"

namespace hpops::integrations::aws::testing {
namespace asio = boost::asio;
using hpops::testing::run_sync;
using hpops::testing::upstream_error_of;
using std::chrono::system_clock;
using namespace std::chrono_literals;

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "hpops-creds-XXXXXX").string();
        path = ::mkdtemp(pattern.data());
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name, const std::string& text) const {
        std::filesystem::create_directories((path / name).parent_path());
        std::ofstream(path / name, std::ios::binary) << text;
        return (path / name).string();
    }
};

inline EnvLookup env_of(std::map<std::string, std::string> values) {
    return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
        auto it = values.find(name);
        return it == values.end() ? std::nullopt : std::optional(it->second);
    };
}

// The same keys every time: for tests whose peer (moto, a stand-in) accepts any.
class FixedCredentials final : public CredentialsProvider {
public:
    asio::awaitable<AwsCredentials> get() override { co_return AwsCredentials{"AKID", "stand-in-secret", "", {}}; }
};

// A wall clock the test moves by hand.
struct TestClock {
    std::shared_ptr<std::atomic<system_clock::time_point>> now =
        std::make_shared<std::atomic<system_clock::time_point>>(system_clock::now());
    WallClock function() const { return [now = now] { return now->load(); }; }
    void set(system_clock::time_point t) const { now->store(t); }
};

inline std::string iso8601(system_clock::time_point t) {
    const std::time_t seconds = system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

// Forwards to the real client and keeps what was sent.
class RecordingClient final : public HttpClient {
public:
    explicit RecordingClient(HttpClient& next) : next_(next) {}
    asio::awaitable<HttpResponse> send(HttpRequest request, RetryPolicy retry) override {
        {
            std::lock_guard lock(mutex);
            sent.push_back(request);
        }
        co_return co_await next_.send(std::move(request), retry);
    }
    std::mutex mutex;
    std::vector<HttpRequest> sent;

private:
    HttpClient& next_;
};

// For paths that must not reach the network at all.
class NoNetwork final : public HttpClient {
public:
    asio::awaitable<HttpResponse> send(HttpRequest request, RetryPolicy) override {
        ADD_FAILURE() << "unexpected request to " << request.url;
        throw UpstreamError("http", "unexpected", "no network in this test");
        co_return HttpResponse{};
    }
};

// The JSON body container endpoints and IMDS answer with.
inline std::string credentials_json(const std::string& key, system_clock::time_point expiration) {
    return R"({"Code":"Success","Type":"AWS-HMAC","AccessKeyId":")" + key +
           R"(","SecretAccessKey":"secret-)" + key + R"(","Token":"token-)" + key + R"(","Expiration":")" +
           iso8601(expiration) + "\"}";
}

}  // namespace hpops::integrations::aws::testing
