#include "integrations/kubernetes/kube_client.hpp"

#include <cctype>
#include <sstream>

namespace hpops::integrations::kubernetes {
namespace {

using nlohmann::json;

const RetryPolicy kube_retry{3, std::chrono::milliseconds(200), std::chrono::seconds(2)};

std::string with_query(std::string path, const std::vector<std::pair<std::string, std::string>>& params) {
    char sep = '?';
    for (const auto& [key, value] : params) {
        if (value.empty()) continue;
        path += sep + key + "=" + query_escape(value);
        sep = '&';
    }
    return path;
}

json parse_body(const HttpResponse& response, const std::string& what) {
    json doc = json::parse(response.body, nullptr, false);
    if (doc.is_discarded()) throw KubeError("BadResponse", what + ": the API server answered with something other than JSON", static_cast<int>(response.status));
    return doc;
}

std::string reason_for(long status) {
    switch (status) {
        case 400: return "BadRequest";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "NotFound";
        case 409: return "Conflict";
        case 410: return "Expired";
        case 422: return "Invalid";
        case 429: return "TooManyRequests";
        default: return status >= 500 ? "InternalError" : "HTTP" + std::to_string(status);
    }
}

KubeConnection without_trailing_slash(KubeConnection connection) {
    while (!connection.server.empty() && connection.server.back() == '/') connection.server.pop_back();
    return connection;
}

// A 404 for a kind the server does not serve (a CRD not installed) is not
// "no such object": the caller must hear about it.
bool unknown_kind(const HttpResponse& response) {
    const json doc = json::parse(response.body, nullptr, false);
    return !doc.is_object() || doc.value("message", "") == "the server could not find the requested resource";
}

}  // namespace

std::string query_escape(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string resource_path(const KubeResource& resource, const std::string& ns, const std::string& name) {
    std::string path = resource.group.empty() ? "/api/" + resource.version
                                              : "/apis/" + resource.group + "/" + resource.version;
    if (resource.namespaced && !ns.empty()) path += "/namespaces/" + query_escape(ns);
    path += "/" + resource.plural;
    if (!name.empty()) path += "/" + query_escape(name);
    return path;
}

KubeError status_error(const HttpResponse& response, const std::string& what) {
    const int code = static_cast<int>(response.status);
    const json doc = json::parse(response.body, nullptr, false);
    if (doc.is_object() && doc.value("kind", "") == "Status") {
        std::string reason = doc.value("reason", "");
        std::string message = doc.value("message", "");
        if (reason.empty()) reason = reason_for(code);
        if (message.empty()) message = what + " failed with HTTP " + std::to_string(code);
        // The server's message names verb, resource and namespace; say where to grant it.
        if (code == 403) message += " (grant it to hpops's identity: deploy/kubernetes/rbac.yaml)";
        return KubeError(std::move(reason), std::move(message), code);
    }
    std::string body = response.body.substr(0, 200);
    while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.pop_back();
    return KubeError(reason_for(code), what + " failed with HTTP " + std::to_string(code) + (body.empty() ? "" : ": " + body),
                     code);
}

KubeWatch parse_watch_events(const std::string& body, std::string resource_version) {
    KubeWatch out;
    out.resource_version = std::move(resource_version);
    std::istringstream lines(body);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        json event = json::parse(line, nullptr, false);
        if (!event.is_object()) continue;  // a line cut off when the window closed
        const std::string type = event.value("type", "");
        json object = event.value("object", json::object());
        // An ERROR event carries a Status: 410 Gone means the version is too old.
        if (type == "ERROR")
            throw KubeError(object.value("reason", "Expired"), object.value("message", "watch failed"),
                            object.value("code", 410));
        if (auto rv = object["metadata"].value("resourceVersion", ""); !rv.empty()) out.resource_version = rv;
        if (type != "BOOKMARK") out.events.push_back({type, std::move(object)});
    }
    return out;
}

KubeClient::KubeClient(HttpClient& http, KubeConnection connection, std::unique_ptr<KubeCredentials> credentials,
                       std::chrono::milliseconds timeout)
    : http_(http), connection_(without_trailing_slash(std::move(connection))), credentials_(std::move(credentials)),
      timeout_(timeout) {}

boost::asio::awaitable<HttpResponse> KubeClient::call(std::string method, std::string path_and_query, std::string body,
                                                      std::string content_type, std::chrono::milliseconds timeout) {
    for (int attempt = 1;; ++attempt) {
        KubeCredential credential = co_await credentials_->get();
        HttpRequest request;
        request.method = method;
        request.url = connection_.server + path_and_query;
        request.body = body;
        request.timeout = timeout;
        request.tls = credential.tls ? credential.tls : connection_.tls;
        request.headers.emplace_back("Accept", "application/json");
        request.headers.emplace_back("User-Agent", "hpops");
        if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
        if (!credential.token.empty()) request.headers.emplace_back("Authorization", "Bearer " + credential.token);
        HttpResponse response;
        try {
            auto sent = http_.send(std::move(request), kube_retry);
            response = co_await std::move(sent);
        } catch (const KubeError&) {
            throw;
        } catch (const UpstreamError& error) {
            // curl's "Timeout was reached": the server was there but silent.
            const bool silent = error.code().find("Timeout") != std::string::npos;
            throw KubeError(silent ? "Timeout" : "Unreachable",
                            "the API server at " + connection_.server + " did not answer: " + error.upstream_message(),
                            0);
        }
        // Rotated tokens and expired exec credentials: fetch anew, once.
        if (response.status == 401 && attempt == 1) {
            credentials_->invalidate();
            continue;
        }
        co_return response;
    }
}

boost::asio::awaitable<json> KubeClient::apply(KubeResource resource, std::string ns, json object) {
    const std::string name = object["metadata"].value("name", "");
    if (resource.namespaced) object["metadata"]["namespace"] = ns;
    object["apiVersion"] = resource.api_version();
    object["kind"] = resource.kind;
    // JSON is YAML, so the apply patch is sent as JSON.
    const std::string path =
        with_query(resource_path(resource, ns, name), {{"fieldManager", "hpops"}, {"force", "true"}});
    auto sent = call("PATCH", path, object.dump(), "application/apply-patch+yaml", timeout_);
    HttpResponse response = co_await std::move(sent);
    const std::string what = "apply " + resource.kind + " " + name;
    if (response.status / 100 != 2) throw status_error(response, what);
    co_return parse_body(response, what);
}

boost::asio::awaitable<std::optional<json>> KubeClient::get(KubeResource resource, std::string ns, std::string name) {
    auto sent = call("GET", resource_path(resource, ns, name), {}, {}, timeout_);
    HttpResponse response = co_await std::move(sent);
    const std::string what = "get " + resource.kind + " " + name;
    if (response.status == 404 && !unknown_kind(response)) co_return std::nullopt;
    if (response.status / 100 != 2) throw status_error(response, what);
    co_return parse_body(response, what);
}

boost::asio::awaitable<KubeList> KubeClient::list(KubeResource resource, std::string ns, KubeListOptions options) {
    KubeList out;
    std::string next;
    const std::string what = "list " + resource.plural;
    do {
        const std::string path = with_query(resource_path(resource, ns),
                                            {{"labelSelector", options.label_selector},
                                             {"fieldSelector", options.field_selector},
                                             {"limit", std::to_string(options.page_size)},
                                             {"continue", next}});
        auto sent = call("GET", path, {}, {}, timeout_);
        HttpResponse response = co_await std::move(sent);
        if (response.status / 100 != 2) throw status_error(response, what);
        json page = parse_body(response, what);
        for (auto& item : page["items"]) out.items.push_back(std::move(item));
        const json meta = page.value("metadata", json::object());
        out.resource_version = meta.value("resourceVersion", "");
        next = meta.value("continue", "");
    } while (!next.empty());
    co_return out;
}

boost::asio::awaitable<bool> KubeClient::remove(KubeResource resource, std::string ns, std::string name,
                                                std::string propagation) {
    const std::string path = with_query(resource_path(resource, ns, name), {{"propagationPolicy", propagation}});
    auto sent = call("DELETE", path, {}, {}, timeout_);
    HttpResponse response = co_await std::move(sent);
    if (response.status == 404 && !unknown_kind(response)) co_return false;
    if (response.status / 100 != 2) throw status_error(response, "delete " + resource.kind + " " + name);
    co_return true;
}

boost::asio::awaitable<std::string> KubeClient::logs(std::string ns, std::string pod, std::string container,
                                                    int tail_lines, bool previous) {
    const std::string path = with_query(resource_path(kube::pods, ns, pod) + "/log",
                                        {{"container", container},
                                         {"tailLines", std::to_string(tail_lines)},
                                         {"previous", previous ? "true" : ""}});
    auto sent = call("GET", path, {}, {}, timeout_);
    HttpResponse response = co_await std::move(sent);
    if (response.status / 100 != 2) throw status_error(response, "logs of " + pod);
    co_return response.body;
}

boost::asio::awaitable<KubeWatch> KubeClient::watch(KubeResource resource, std::string ns, KubeListOptions options,
                                                    std::string resource_version, std::chrono::seconds window) {
    // The server ends the watch after timeoutSeconds; the whole stream is
    // then one body of newline-separated events.
    const std::string path = with_query(resource_path(resource, ns),
                                        {{"watch", "1"},
                                         {"labelSelector", options.label_selector},
                                         {"fieldSelector", options.field_selector},
                                         {"resourceVersion", resource_version},
                                         {"allowWatchBookmarks", "true"},
                                         {"timeoutSeconds", std::to_string(window.count())}});
    auto sent = call("GET", path, {}, {}, window + timeout_);
    HttpResponse response = co_await std::move(sent);
    if (response.status / 100 != 2) throw status_error(response, "watch " + resource.plural);
    co_return parse_watch_events(response.body, resource_version);
}

}  // namespace hpops::integrations::kubernetes
