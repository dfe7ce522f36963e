#pragma once
// An in-memory Kube for fast tests of handlers and job kinds: objects by
// resource, namespace and name; apply replaces, list filters by exact
// label=value selectors. No kubelet: logs() fails as the real API server does
// without one, unless a test sets them. A kind in `unserved` answers 404 to
// get and list, as the API server does for a CRD that is not installed. The
// end-to-end tests keep the real kube-apiserver.
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>

#include "hpops/kube.hpp"

namespace hpops::testing {

class FakeKube final : public Kube {
public:
    using Key = std::tuple<std::string, std::string, std::string>;  // plural, namespace, name

    std::map<Key, nlohmann::json> objects;
    std::map<std::string, std::string> pod_logs;  // pod -> what its container wrote
    std::set<std::string> unserved;                // plurals whose CRD is not installed
    int gets = 0, lists = 0;

    void put(const KubeResource& r, const std::string& ns, nlohmann::json object) {
        const std::string name = object["metadata"].value("name", "");
        object["metadata"]["namespace"] = ns;
        objects[{r.plural, ns, name}] = std::move(object);
    }

    std::string server() const override { return "https://fake-kube"; }
    std::string default_namespace() const override { return "default"; }

    boost::asio::awaitable<nlohmann::json> apply(KubeResource r, std::string ns, nlohmann::json object) override {
        put(r, ns, object);
        co_return object;
    }
    boost::asio::awaitable<std::optional<nlohmann::json>> get(KubeResource r, std::string ns, std::string name) override {
        ++gets;
        refuse_unserved(r);
        auto it = objects.find({r.plural, ns, name});
        if (it == objects.end()) co_return std::nullopt;
        co_return it->second;
    }
    boost::asio::awaitable<KubeList> list(KubeResource r, std::string ns, KubeListOptions options) override {
        ++lists;
        refuse_unserved(r);
        KubeList out;
        for (const auto& [key, object] : objects)
            if (std::get<0>(key) == r.plural && (ns.empty() || std::get<1>(key) == ns) &&
                matches(object, options.label_selector))
                out.items.push_back(object);
        co_return out;
    }
    boost::asio::awaitable<bool> remove(KubeResource r, std::string ns, std::string name, std::string) override {
        co_return objects.erase({r.plural, ns, name}) > 0;
    }
    boost::asio::awaitable<std::string> logs(std::string, std::string pod, std::string, int, bool) override {
        auto it = pod_logs.find(pod);
        if (it == pod_logs.end()) throw KubeError("InternalError", "no kubelet answers for pod " + pod, 500);
        co_return it->second;
    }
    boost::asio::awaitable<KubeWatch> watch(KubeResource, std::string, KubeListOptions, std::string,
                                            std::chrono::seconds) override {
        throw std::logic_error("FakeKube has no watch");
        co_return KubeWatch{};
    }

private:
    void refuse_unserved(const KubeResource& r) const {
        if (unserved.count(r.plural)) throw KubeError("NotFound", "the server could not find the requested resource", 404);
    }
    static bool matches(const nlohmann::json& object, const std::string& selector) {
        std::stringstream terms(selector);
        std::string term;
        const nlohmann::json labels = object["metadata"].value("labels", nlohmann::json::object());
        while (std::getline(terms, term, ',')) {
            const auto eq = term.find('=');
            if (eq == std::string::npos) continue;
            if (labels.value(term.substr(0, eq), std::string{"\x01"}) != term.substr(eq + 1)) return false;
        }
        return true;
    }
};

}  // namespace hpops::testing
