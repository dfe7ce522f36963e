"""The Helm chart (deploy/helm/hpops) as Helm and Kubernetes read it: `helm
lint --strict` and `helm template` for each values file in its ci/ folder,
the properties that matter checked on what it renders (non-root, read-only
root filesystem, probes on hpops's routes, no secret in any value, the RBAC of
deploy/kubernetes/rbac.yaml), and every rendered object sent to a real
kube-apiserver (the kube peer) with a server-side dry-run and strict field
validation, so the API server itself validates each one.

Helm is built from the Go module proxy once and cached, as the kube peer is
(scripts/build-go-peer.sh helm). With HPOPS_BINARY (CTest sets it), hpops's
own `check-config` also reads each rendered hpops.yaml."""
import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy/helm/hpops"
sys.path.insert(0, str(ROOT / "tests/peers"))
from kube_peer import KubeApi, KubeApiError, start_kube  # noqa: E402

RELEASE, NAMESPACE = "hpops", "hpops"


def readme_values():
    """The values of the README's install guide, its <PLACEHOLDERS> filled in."""
    text = (ROOT / "README.md").read_text()
    [block] = re.findall(r"```yaml\n\s*# hpops-values.yaml\n(.*?)```", text, re.S)
    filled = {"<ACCOUNT>": "123456789012", "<REGION>": "us-west-2", "<CLUSTER>": "my-eks", "<id>": "0a1b2c"}
    return re.sub(r"<[A-Za-z]+>", lambda m: filled[m.group(0)], textwrap.dedent(block))


# Each values file a real install might use: "default" is values.yaml alone,
# "readme" the install guide's.
CASES = {"default": None, **{p.name.removesuffix("-values.yaml"): p for p in sorted((CHART / "ci").glob("*-values.yaml"))},
         "readme": readme_values()}
SERVICE_MONITOR_CRD = Path(__file__).parent / "crds/prometheus-operator/monitoring.coreos.com_servicemonitors.yaml"
# check-config's environment: what the Secret named by secrets.existingSecret would hold.
SECRET_ENV = {"SLACK_SIGNING_SECRET": "s" * 40, "SLACK_BOT_TOKEN": "xoxb-test-only",
              "ALERTMANAGER_WEBHOOK_TOKEN": "a" * 32, "MLFLOW_TRACKING_TOKEN": "m" * 20,
              "HPOPS_STORE_URL": "postgresql://hpops@127.0.0.1:5432/hpops"}


@pytest.fixture(scope="module")
def helm_bin():
    """The cached Helm CLI (built on first use: about 3 minutes)."""
    out = subprocess.run([str(ROOT / "scripts/build-go-peer.sh"), "helm"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return str(Path(out.stdout.strip().splitlines()[-1]) / "helm")


def helm(helm_bin, *args, env=None, values=None):
    # A private HOME for Helm's config and cache: nothing of the machine's repositories or plugins.
    with tempfile.TemporaryDirectory() as home:
        base = {"PATH": os.environ["PATH"], "HOME": home, "HELM_CACHE_HOME": f"{home}/cache",
                "HELM_CONFIG_HOME": f"{home}/config", "HELM_DATA_HOME": f"{home}/data"}
        return subprocess.run([helm_bin, *args], capture_output=True, text=True, env={**base, **(env or {})},
                              input=values, timeout=60)


def values_of(case):
    """helm's arguments for a case's values, and what goes to its standard input."""
    values = CASES[case]
    if isinstance(values, str):
        return {"args": ["-f", "-"], "values": values}
    return {"args": ["-f", str(values)] if values else [], "values": None}


def template(helm_bin, case, *extra):
    given = values_of(case)
    out = helm(helm_bin, "template", RELEASE, str(CHART), "-n", NAMESPACE, *given["args"], *extra,
               values=given["values"])
    assert out.returncode == 0, out.stderr
    return [d for d in yaml.safe_load_all(out.stdout) if d]


@pytest.fixture(scope="module")
def rendered(helm_bin):
    return {case: template(helm_bin, case) for case in CASES}


def one(docs, kind):
    [doc] = [d for d in docs if d["kind"] == kind]
    return doc


def kinds(docs):
    return sorted(d["kind"] for d in docs)


def pod_spec(docs):
    return one(docs, "Deployment")["spec"]["template"]["spec"]


def hpops_yaml(docs):
    return yaml.safe_load(one(docs, "ConfigMap")["data"]["hpops.yaml"])


# --- Helm's own checks -----------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_helm_lint_strict_passes(helm_bin, case):
    given = values_of(case)
    out = helm(helm_bin, "lint", "--strict", str(CHART), "-n", NAMESPACE, *given["args"], values=given["values"])
    assert out.returncode == 0 and "0 chart(s) failed" in out.stdout, out.stdout + out.stderr


@pytest.mark.parametrize("values, refusal", [
    # Secrets never in values: the schema takes only ${NAME} references.
    (["--set", "config.slack.signing_secret=0123456789abcdef0123456789abcdef"], "/config/slack/signing_secret"),
    (["--set", "config.slack.bot_token=xoxb-1-2-3"], "/config/slack/bot_token"),
    (["--set", "config.alerts.alertmanager.bearer_token=literal"], "/config/alerts/alertmanager/bearer_token"),
    (["--set", "config.mlflow.password=hunter2"], "/config/mlflow/password"),
    (["--set", "config.log.format=logfmt"], "/config/log/format"),
    # Keys of hpops.yaml the chart owns, and mistakes in its own values.
    (["--set", "config.server.listen=0.0.0.0:9090"], "/config/server"),
    (["--set", "config.store.path=/tmp/x.db"], "/config/store"),
    (["--set", "replicas=3"], "additional properties 'replicas' not allowed"),
    (["--set", "securityContext.readOnlyRootFilesystem=false"], "/securityContext/readOnlyRootFilesystem"),
    # What only the templates can see.
    (["--set", "replicaCount=2"], "replicaCount > 1 needs a shared store"),
    (["--set", "serviceAccount.aws.irsaRoleArn=arn:aws:iam::123456789012:role/a",
      "--set", "serviceAccount.aws.podIdentityRoleArn=arn:aws:iam::123456789012:role/a"], "not both"),
])
def test_the_chart_refuses_bad_values(helm_bin, values, refusal):
    out = helm(helm_bin, "template", RELEASE, str(CHART), *values)
    assert out.returncode != 0 and refusal in out.stderr, out.stderr


# --- What the rendered manifests promise -----------------------------------

def dockerfile_user():
    users = re.findall(r"^USER (\d+):(\d+)", (ROOT / "deploy/Dockerfile").read_text(), re.M)
    assert users, "deploy/Dockerfile: USER must be numeric uid:gid for runAsNonRoot to be checkable"
    return tuple(int(i) for i in users[-1])


@pytest.mark.parametrize("case", CASES)
def test_the_pod_runs_as_the_images_user_on_a_read_only_root(rendered, case):
    spec = pod_spec(rendered[case])
    pod, [container] = spec["securityContext"], spec["containers"]
    assert pod["runAsNonRoot"] is True
    assert (pod["runAsUser"], pod["runAsGroup"]) == dockerfile_user()
    assert pod["seccompProfile"] == {"type": "RuntimeDefault"}
    security = container["securityContext"]
    assert security["readOnlyRootFilesystem"] is True and security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    # Writable places are volumes: the store's directory and /tmp; the config is read-only.
    volumes = {v["name"]: v for v in spec["volumes"]}
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    assert set(mounts) == {"/etc/hpops", "/var/lib/hpops", "/tmp"}
    assert mounts["/etc/hpops"]["readOnly"] is True and "configMap" in volumes[mounts["/etc/hpops"]["name"]]
    store = hpops_yaml(rendered[case]).get("store", {})  # none: PostgreSQL, from HPOPS_STORE_URL
    if "path" in store:
        assert Path(store["path"]).parent == Path("/var/lib/hpops")


@pytest.mark.parametrize("case", CASES)
def test_logs_are_json_lines_for_the_clusters_collector(rendered, case):
    assert hpops_yaml(rendered[case])["log"]["format"] == "json"


@pytest.mark.parametrize("case", CASES)
def test_probes_and_port_are_hpops_routes_and_listener(rendered, case):
    router = (ROOT / "bot/routes/router.cpp").read_text()
    [container] = pod_spec(rendered[case])["containers"]
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert f'"{container[probe]["httpGet"]["path"]}"' in router
        assert container[probe]["httpGet"]["port"] == "http"
    [port] = container["ports"]
    assert hpops_yaml(rendered[case])["server"]["listen"] == f"0.0.0.0:{port['containerPort']}"
    assert container["args"] == ["serve", "--config", "/etc/hpops/hpops.yaml"]
    assert one(rendered[case], "Service")["spec"]["ports"][0]["targetPort"] == "http"


def secret_like_keys(node, path=""):
    """Every string in hpops.yaml under a key that names a secret."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from secret_like_keys(value, f"{path}.{key}")
    elif isinstance(node, str) and re.search(r"(secret|token|password)$", path):
        yield path, node


@pytest.mark.parametrize("case", CASES)
def test_no_secret_is_rendered(rendered, case):
    docs = rendered[case]
    assert "Secret" not in kinds(docs), "the chart never writes a Secret: secrets.existingSecret names one"
    for path, value in secret_like_keys(hpops_yaml(docs)):
        assert value == "" or re.fullmatch(r"\$\{[A-Z_]+(:-)?\}", value), f"{path}: {value!r} is not from the environment"
    [container] = pod_spec(docs)["containers"]
    assert container["envFrom"] == [{"secretRef": {"name": "hpops"}}]
    for env in container.get("env", []):
        assert "value" not in env, f"{env['name']} has a literal value"
    # Nor anything shaped like a credential: a Slack token, a URL with a password.
    text = json.dumps(docs)
    assert not re.search(r"xox[abpr]-|://[^/@\s\"]+:[^/@\s\"]+@", text)


def test_the_store_url_comes_from_a_secret_key(rendered):
    docs = rendered["postgres"]
    [container] = pod_spec(docs)["containers"]
    assert container["env"] == [{"name": "HPOPS_STORE_URL", "valueFrom": {
        "secretKeyRef": {"name": "hpops-db", "key": "database-url"}}}]
    assert "store" not in hpops_yaml(docs), "the URL is only in the environment, HPOPS_STORE_URL"
    # No SQLite file to keep: no claim, and rolling updates are allowed.
    assert "PersistentVolumeClaim" not in kinds(docs)
    assert {"name": "data", "emptyDir": {}} in pod_spec(docs)["volumes"]
    assert "strategy" not in one(docs, "Deployment")["spec"]


def test_sqlite_keeps_its_file_on_a_claim_and_one_pod_at_a_time(rendered):
    docs = rendered["default"]
    claim = one(docs, "PersistentVolumeClaim")
    assert claim["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
    assert {"name": "data", "persistentVolumeClaim": {"claimName": claim["metadata"]["name"]}} in pod_spec(docs)["volumes"]
    assert one(docs, "Deployment")["spec"]["strategy"] == {"type": "Recreate"}
    assert hpops_yaml(docs)["store"] == {"path": "/var/lib/hpops/hpops.db"}


def test_ha_spreads_replicas_and_keeps_a_disruption_budget(rendered):
    docs = rendered["ha"]
    deployment = one(docs, "Deployment")
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert deployment["spec"]["replicas"] == 3
    spread = pod_spec(docs)["topologySpreadConstraints"]
    assert {c["topologyKey"] for c in spread} == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}
    assert all(c["labelSelector"]["matchLabels"] == selector for c in spread)
    pdb = one(docs, "PodDisruptionBudget")
    assert pdb["spec"] == {"maxUnavailable": 1, "selector": {"matchLabels": selector}}
    # One replica: no budget, which would only block a node's drain.
    assert "PodDisruptionBudget" not in kinds(rendered["default"])


def test_ha_is_scraped_fenced_and_exposes_only_slack_and_alerts(rendered):
    docs = rendered["ha"]
    selector = one(docs, "Deployment")["spec"]["selector"]["matchLabels"]
    monitor = one(docs, "ServiceMonitor")
    assert monitor["spec"]["endpoints"] == [{"port": "http", "path": "/metrics", "interval": "30s",
                                             "scrapeTimeout": "10s"}]
    assert monitor["metadata"]["labels"]["release"] == "prometheus"
    policy = one(docs, "NetworkPolicy")["spec"]
    assert policy["podSelector"]["matchLabels"] == selector
    assert policy["policyTypes"] == ["Ingress", "Egress"]
    assert policy["ingress"][0]["ports"] == [{"port": "http", "protocol": "TCP"}]
    egress_ports = {p["port"] for rule in policy["egress"] for p in rule["ports"]}
    assert egress_ports == {53, 443, 5432}
    paths = [p["path"] for p in one(docs, "Ingress")["spec"]["rules"][0]["http"]["paths"]]
    assert paths == ["/slack/", "/alerts/"]


def test_the_service_account_carries_irsa_or_nothing(rendered):
    irsa = one(rendered["ha"], "ServiceAccount")["metadata"]["annotations"]
    assert irsa["eks.amazonaws.com/role-arn"] == "arn:aws:iam::123456789012:role/hpops"
    # EKS Pod Identity is an association made through the EKS API: nothing to annotate.
    for case in ("default", "pod-identity"):
        assert "annotations" not in one(rendered[case], "ServiceAccount")["metadata"]
    for case in CASES:
        assert one(rendered[case], "ServiceAccount")["automountServiceAccountToken"] is False


def rbac_yaml():
    return {d["kind"]: d for d in yaml.safe_load_all((ROOT / "deploy/kubernetes/rbac.yaml").read_text())}


@pytest.mark.parametrize("case", [c for c in CASES if c != "pod-identity"])
def test_rbac_is_deploy_kubernetes_rbac_yaml(rendered, case):
    docs, reference = rendered[case], rbac_yaml()
    role, cluster_role = one(docs, "Role"), one(docs, "ClusterRole")
    assert role["rules"] == reference["Role"]["rules"]
    assert cluster_role["rules"] == reference["ClusterRole"]["rules"]
    assert role["metadata"]["namespace"] == hpops_yaml(docs)["kubernetes"]["namespace"] == "models"
    account = {"kind": "ServiceAccount", "name": one(docs, "ServiceAccount")["metadata"]["name"],
               "namespace": NAMESPACE}
    for binding, bound in (("RoleBinding", role), ("ClusterRoleBinding", cluster_role)):
        assert one(docs, binding)["subjects"] == [account]
        assert one(docs, binding)["roleRef"]["name"] == bound["metadata"]["name"]
    assert hpops_yaml(docs)["kubernetes"]["in_cluster"] is True
    assert pod_spec(docs)["automountServiceAccountToken"] is True


def test_without_kubernetes_no_rbac_and_no_api_token(rendered):
    docs = rendered["pod-identity"]
    assert not {"Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"} & set(kinds(docs))
    assert pod_spec(docs)["automountServiceAccountToken"] is False
    assert "kubernetes" not in hpops_yaml(docs)


def test_hpops_accepts_each_rendered_config(rendered, tmp_path):
    """hpops's own reading of hpops.yaml, with the Secret's variables set."""
    binary = os.environ.get("HPOPS_BINARY")
    if not binary:
        pytest.skip("HPOPS_BINARY unset (CTest sets it to the built hpops)")
    for case, docs in rendered.items():
        path = tmp_path / f"{case}.yaml"
        path.write_text(one(docs, "ConfigMap")["data"]["hpops.yaml"])
        out = subprocess.run([binary, "check-config", str(path)], capture_output=True, text=True,
                             env={"PATH": os.environ["PATH"], **SECRET_ENV}, timeout=30)
        assert out.returncode == 0, f"{case}: {out.stdout}{out.stderr}"


# --- The API server's word on every object ---------------------------------

@dataclass
class Cluster:
    api: KubeApi
    kubeconfig: str
    resources: dict = field(default_factory=dict)  # discovery, by group version


@pytest.fixture(scope="module")
def kube():
    info, stop = start_kube()
    api = KubeApi(info)
    try:
        # Namespaced dry-runs need their namespace to exist.
        for ns in (NAMESPACE, "models"):
            api.create("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        install_crd(api, yaml.safe_load(SERVICE_MONITOR_CRD.read_text()))
        yield Cluster(api, info["kubeconfig"])
    finally:
        stop()


def install_crd(api, crd):
    api.create("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)
    group, plural = crd["spec"]["group"], crd["spec"]["names"]["plural"]
    version = next(v["name"] for v in crd["spec"]["versions"] if v["served"])
    deadline = time.monotonic() + 30
    # Established, and then served: discovery lags a moment behind.
    while not api.exists(f"/apis/{group}/{version}/namespaces/default/{plural}"):
        assert time.monotonic() < deadline, f"CRD {plural}.{group} not served"
        time.sleep(0.1)


def collection_path(kube, doc):
    """The REST collection of a manifest's kind, from the API server's discovery."""
    group_version = doc["apiVersion"]
    base = f"/api/{group_version}" if "/" not in group_version else f"/apis/{group_version}"
    if base not in kube.resources:
        kube.resources[base] = kube.api.get(base)["resources"]
    [resource] = [r for r in kube.resources[base] if r["kind"] == doc["kind"] and "/" not in r["name"]]
    if resource["namespaced"]:
        return f"{base}/namespaces/{doc['metadata'].get('namespace', NAMESPACE)}/{resource['name']}"
    return f"{base}/{resource['name']}"


def dry_run(kube, doc):
    # Strict: an unknown or duplicated field is an error, not silently dropped.
    return kube.api.create(collection_path(kube, doc) + "?dryRun=All&fieldValidation=Strict", doc)


@pytest.mark.parametrize("case", CASES)
def test_the_api_server_accepts_every_object(kube, rendered, case):
    accepted = []
    for doc in rendered[case]:
        try:
            dry_run(kube, doc)
        except KubeApiError as e:
            pytest.fail(f"{case}: {doc['kind']} {doc['metadata']['name']} refused: {e}")
        accepted.append(doc["kind"])
    assert {"Deployment", "Service", "ServiceAccount", "ConfigMap"} <= set(accepted)


@pytest.mark.parametrize("case, kind, break_it, refusal", [
    # Unknown field: strict validation names it.
    ("default", "Deployment",
     lambda d: d["spec"]["template"]["spec"]["containers"][0].update(readinessProbes={}), "unknown field"),
    # Well-formed but invalid: the API server's own validation.
    ("default", "Deployment",
     lambda d: d["spec"]["template"]["spec"]["containers"][0]["ports"][0].update(containerPort=70000), "containerPort"),
    ("default", "Deployment", lambda d: d["spec"]["selector"]["matchLabels"].update(other="x"), "selector"),
    # The Prometheus Operator's schema, through its CRD.
    ("ha", "ServiceMonitor", lambda d: d["spec"]["endpoints"][0].update(interval="half a minute"), "interval"),
])
def test_the_api_server_refuses_a_broken_object(kube, rendered, case, kind, break_it, refusal):
    """The dry-run can fail: the same object, broken, is refused."""
    broken = copy.deepcopy(one(rendered[case], kind))
    break_it(broken)
    with pytest.raises(KubeApiError) as refused:
        dry_run(kube, broken)
    assert refused.value.status in (400, 422) and refusal in refused.value.body


def test_helm_itself_installs_against_the_api_server(helm_bin, kube):
    """`helm install --dry-run=server` on the kube peer, and the NOTES it prints."""
    out = helm(helm_bin, "install", RELEASE, str(CHART), "-n", NAMESPACE, "--dry-run=server",
               *values_of("pod-identity")["args"], env={"KUBECONFIG": kube.kubeconfig})
    assert out.returncode == 0, out.stderr
    notes = out.stdout.split("NOTES:", 1)[1]
    assert "aws eks create-pod-identity-association --cluster-name ml-eks" in notes
    assert f"url: http://{RELEASE}.{NAMESPACE}.svc:80/alerts/alertmanager" in notes
    assert '"/alerts/alertmanager"' in (ROOT / "bot/routes/router.cpp").read_text()
    for route in ("/slack/commands", "/slack/interactions"):
        assert route in notes
