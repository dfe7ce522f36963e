"""The Kubernetes test peer itself: a real kube-apiserver (the pinned
version) with etcd, RBAC on, the inference CRDs served, and status writes
that let tests play the kubelet."""
import json
import ssl
import urllib.error
import urllib.request

import pytest

from models_fixtures import KubeApiError, kube, kube_peer  # noqa: F401


def test_it_is_the_pinned_kube_apiserver_with_rbac(kube_peer, kube):
    version = kube.get("/version")
    # Built from the module proxy without the release ldflags, so gitVersion
    # is a placeholder; the emulated version is the real one.
    assert (version["emulationMajor"], version["emulationMinor"]) == ("1", "37"), version
    # Anonymous requests are refused: authentication and RBAC are on.
    context = ssl.create_default_context(cafile=kube_peer["ca_file"])
    with pytest.raises(urllib.error.HTTPError) as denied:
        urllib.request.urlopen(kube_peer["server"] + "/api/v1/namespaces/default/pods", context=context, timeout=5)
    assert denied.value.code in (401, 403)


def test_inference_crds_are_served_and_keep_unknown_fields(kube):
    path = f"/apis/inference.sagemaker.aws.amazon.com/v1/namespaces/{kube.ns}/jumpstartmodels"
    kube.create(path, {"apiVersion": "inference.sagemaker.aws.amazon.com/v1", "kind": "JumpStartModel",
                       "metadata": {"name": "m"}, "spec": {"model": {"modelId": "x"}, "anything": {"a": 1}}})
    assert kube.get(path + "/m")["spec"]["anything"] == {"a": 1}


def test_tests_can_write_pod_status_as_a_kubelet_would(kube):
    pods = f"/api/v1/namespaces/{kube.ns}/pods"
    kube.create(pods, {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "x"}]}})
    kube.merge_status(pods + "/p", {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]})
    assert kube.get(pods + "/p")["status"]["phase"] == "Running"
    with pytest.raises(KubeApiError) as e:
        kube.create(pods, {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "x"}]}})
    assert e.value.status == 409
