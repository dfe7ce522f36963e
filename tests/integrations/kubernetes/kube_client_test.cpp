#include "integrations/kubernetes/kube_client.hpp"

#include <gtest/gtest.h>

// Pure pieces of the REST client: paths, query escaping, Status errors, watch bodies.

namespace hpops::integrations::kubernetes {
namespace {

TEST(KubePaths, CoreAndGroupedKindsNamespacedOrNot) {
    EXPECT_EQ(resource_path(kube::pods, "ml", "p-1"), "/api/v1/namespaces/ml/pods/p-1");
    EXPECT_EQ(resource_path(kube::deployments, "ml"), "/apis/apps/v1/namespaces/ml/deployments");
    EXPECT_EQ(resource_path(kube::deployments, ""), "/apis/apps/v1/deployments");
    EXPECT_EQ(resource_path(kube::nodes, "ignored", "n"), "/api/v1/nodes/n");
    EXPECT_EQ(resource_path(kube::jumpstart_models, "d", "m"),
              "/apis/inference.sagemaker.aws.amazon.com/v1/namespaces/d/jumpstartmodels/m");
    EXPECT_EQ(query_escape("app.kubernetes.io/managed-by=hpops,x!=y"),
              "app.kubernetes.io%2Fmanaged-by%3Dhpops%2Cx%21%3Dy");
}

TEST(KubeStatus, ForbiddenKeepsTheServersWordsNamingThePermission) {
    HttpResponse response;
    response.status = 403;
    response.body = R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"deployments.apps \"x\" is forbidden: User \"system:serviceaccount:ml:hpops\" cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"ml\"","reason":"Forbidden","details":{"name":"x","group":"apps","kind":"deployments"},"code":403})";
    const KubeError e = status_error(response, "apply");
    EXPECT_TRUE(e.forbidden());
    EXPECT_EQ(e.code(), "Forbidden");
    EXPECT_NE(e.upstream_message().find("cannot patch resource \"deployments\" in API group \"apps\""),
              std::string::npos);
}

TEST(KubeStatus, NonStatusBodiesStillSayWhatFailed) {
    HttpResponse response;
    response.status = 502;
    response.body = "<html>bad gateway</html>\n";
    const KubeError e = status_error(response, "list pods");
    EXPECT_EQ(e.code(), "InternalError");
    EXPECT_EQ(e.upstream_message(), "list pods failed with HTTP 502: <html>bad gateway</html>");
}

TEST(KubeWatchBody, EventsBookmarksAndExpiry) {
    const std::string body =
        R"({"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"11"}}})" "\n"
        R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"15"}}})" "\n"
        R"({"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"12"}}})" "\n"
        R"({"type":"MODIF)";  // cut off when the window closed
    const KubeWatch w = parse_watch_events(body, "10");
    ASSERT_EQ(w.events.size(), 2u);
    EXPECT_EQ(w.events[1].type, "MODIFIED");
    EXPECT_EQ(w.resource_version, "12");
    EXPECT_EQ(parse_watch_events("", "10").resource_version, "10");
    try {
        parse_watch_events(R"j({"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version: 1 (20)"}})j",
                           "1");
        FAIL();
    } catch (const KubeError& e) {
        EXPECT_TRUE(e.gone());
        EXPECT_EQ(e.upstream_message(), "too old resource version: 1 (20)");
    }
}

}  // namespace
}  // namespace hpops::integrations::kubernetes
