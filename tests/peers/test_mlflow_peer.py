"""Tests of the MLflow test peer (mlflow_peer.py + mlflow_seed.py), driven
through the plain REST API with urllib, as hpops's C++ client will call it.

One seeded peer (a child process, started as C++ starts it) serves the module.
Tests that change state undo their changes (or work on runs they create), so
the seeded counts hold for every test.

What MLflow 3.17.2 answers, as recorded by these tests (the C++ client's
reference):

* Bodies: success JSON is pretty-printed (indent 2), errors are one line. Every
  error is {"error_code": ..., "message": ..., "sqlstate": "KAM00",
  "error_class": ...}. Empty lists are left out entirely: a search with no
  match is `{}` (no "runs" key), a run without metrics has no data.metrics key,
  an experiment without tags has no "tags" key, and next_page_token is present
  only when there is a next page.
* Tags, params and metrics are arrays of objects, never maps:
  tags/params [{"key": k, "value": "string"}], metrics
  [{"key": k, "value": 2.184, "timestamp": ms, "step": n}] (latest value per key
  in runs/get and runs/search; the whole series in metrics/get-history).
* run info: {"run_uuid", "experiment_id", "run_name", "user_id", "status",
  "start_time", "end_time", "artifact_uri", "lifecycle_stage", "run_id"}; the
  run name is in info.run_name and also in the tag mlflow.runName; a RUNNING
  run has no "end_time"; user_id comes from the tag mlflow.user ("" without it);
  times are integers in ms since the epoch; experiment_id is a string.
* Page tokens are opaque strings (base64 of {"offset": N} today).
* POST bodies need Content-Type: application/json (else 400). runs/search is
  POST only (GET: 405 with an HTML body). experiments/search needs an explicit
  max_results (POST {} is 400 "Invalid value 0 for parameter 'max_results'...").
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlflow_peer  # noqa: E402
import mlflow_seed  # noqa: E402

API = "/api/2.0/mlflow"
UNKNOWN_RUN = "0123456789abcdef0123456789abcdef"
RUN_INFO_KEYS = {"run_uuid", "experiment_id", "run_name", "user_id", "status", "start_time", "end_time",
                 "artifact_uri", "lifecycle_stage", "run_id"}
IMPORTANT_TAGS = ("model", "dataset", "instance_type", "replica_count", "proc_per_node", "batch_size",
                  "cutoff_len", "deepspeed_conf")


class Peer:
    def __init__(self, uri: str, info: dict[str, Any]) -> None:
        self.uri = uri
        self.info = info
        self.seed = info["seed"]
        self.exp_ids = sorted(self.seed["experiments"].values())

    def call(self, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None, raw: bytes | None = None) -> tuple[int, str, Any]:
        """(status, content type, parsed JSON or text) of one request."""
        url = self.uri + path
        if query:
            url += "?" + urllib.parse.urlencode(query, doseq=True)
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        hdrs = {"Content-Type": "application/json"} if data is not None and raw is None else {}
        hdrs.update(headers or {})
        req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, ctype, text = resp.status, resp.headers.get("Content-Type", ""), resp.read().decode()
        except urllib.error.HTTPError as e:
            status, ctype, text = e.code, e.headers.get("Content-Type", ""), e.read().decode()
        if ctype.startswith("application/json"):
            return status, ctype, json.loads(text)
        return status, ctype, text

    def ok(self, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None) -> Any:
        status, _, data = self.call(method, path, body, query)
        assert status == 200, (path, status, data)
        return data

    def search_runs(self, **body: Any) -> dict[str, Any]:
        body.setdefault("experiment_ids", self.exp_ids)
        return self.ok("POST", API + "/runs/search", body)

    def all_runs(self, page_size: int, **body: Any) -> tuple[list[dict[str, Any]], int]:
        """Every page of a search: the runs and the number of requests."""
        runs, token, pages = [], None, 0
        while True:
            req = dict(body, max_results=page_size)
            if token:
                req["page_token"] = token
            page = self.search_runs(**req)
            pages += 1
            runs += page.get("runs", [])
            assert len(page.get("runs", [])) <= page_size
            token = page.get("next_page_token")
            if not token:
                return runs, pages
            assert pages < 100, "paging does not end"

    def get_run(self, run_id: str) -> dict[str, Any]:
        return self.ok("GET", API + "/runs/get", query={"run_id": run_id})["run"]


def kv(items: list[dict[str, Any]] | None) -> dict[str, Any]:
    return {i["key"]: i["value"] for i in items or []}


def seeded(peer: Peer, **match: Any) -> dict[str, dict[str, Any]]:
    return {i: r for i, r in peer.seed["by_id"].items() if all(r[k] == v for k, v in match.items())}


@pytest.fixture(scope="module")
def peer():
    t0 = time.monotonic()
    uri, stop = mlflow_peer.start_mlflow(seed=True)
    print(f"\nmlflow peer ready in {time.monotonic() - t0:.1f} s "
          f"(server {stop.info['startup_seconds']['server']} s, seed {stop.info['startup_seconds']['seed']} s)")
    try:
        yield Peer(uri, stop.info)
    finally:
        stop()


# ---- the peer itself ---------------------------------------------------------------


def test_ready_line(peer: Peer) -> None:
    info = peer.info
    assert info["tracking_uri"].startswith("http://127.0.0.1:")
    assert set(info) == {"tracking_uri", "pid", "server_pid", "workdir", "mlflow_version", "db_from_template",
                         "startup_seconds", "seed"}
    assert info["mlflow_version"] == "3.17.2"
    os.kill(info["pid"], 0)
    os.kill(info["server_pid"], 0)
    assert os.path.isfile(os.path.join(info["workdir"], "mlflow.db"))
    s = peer.seed
    assert set(s["experiments"]) == {"hyperpodpytorchjob-2xy", "llama-factory-sft", "qwen3-eval"}
    assert s["counts"] == {
        "created": 29, "active": 28, "deleted": 1,
        "by_status": {"FAILED": 4, "FINISHED": 18, "KILLED": 3, "RUNNING": 3},
        "by_experiment": {"hyperpodpytorchjob-2xy": 12, "llama-factory-sft": 10, "qwen3-eval": 6},
    }
    assert s["ambiguous_names"] == ["baseline-qwen3-0.6b", "retry-llama3.2-3b-alpaca"]
    assert len(s["deleted_runs"]) == 1 and len(s["no_metric_runs"]) == 3
    assert s["many_tags"]["user_tags"] == 300
    assert s["many_tags"]["long_tag_stored_chars"] == 20_000  # create_run does not truncate (set-tag does)


def test_health_and_version(peer: Peer) -> None:
    assert peer.call("GET", "/health") == (200, "text/plain; charset=utf-8", "OK")
    status, _, text = peer.call("GET", "/version")
    assert (status, text) == (200, "3.17.2")


def test_security_middleware_allows_loopback_only(peer: Peer) -> None:
    body = {"max_results": 1}
    port = peer.uri.rsplit(":", 1)[1]
    assert peer.call("POST", API + "/experiments/search", body, headers={"Host": f"localhost:{port}"})[0] == 200
    # Bodies are text/plain, not the JSON error shape.
    assert peer.call("POST", API + "/experiments/search", body, headers={"Host": "mlflow.example.com"}) == (
        403, "text/plain", "Invalid Host header - possible DNS rebinding attack detected")
    assert peer.call("POST", API + "/experiments/search", body, headers={"Origin": "https://evil.example.com"}) == (
        403, "text/plain", "Cross-origin request blocked")


# ---- experiments ---------------------------------------------------------------------


def test_experiments_search(peer: Peer) -> None:
    # {"experiments": [{"experiment_id": "1", "name": "hyperpodpytorchjob-2xy",
    #   "artifact_location": "/tmp/hpops-mlflow-…/artifacts/1", "lifecycle_stage": "active",
    #   "last_update_time": ms, "creation_time": ms,
    #   "tags": [{"key": "mlflow.note.content", "value": "…"}, {"key": "team", "value": "ml-platform"}],
    #   "workspace": "default"}, …]}
    data = peer.ok("POST", API + "/experiments/search", {"max_results": 1000})
    assert set(data) == {"experiments"}
    exps = {e["name"]: e for e in data["experiments"]}
    assert set(exps) == set(peer.seed["experiments"]) | {"Default"}
    for name, exp_id in peer.seed["experiments"].items():
        e = exps[name]
        assert set(e) == {"experiment_id", "name", "artifact_location", "lifecycle_stage", "last_update_time",
                          "creation_time", "tags", "workspace"}
        assert e["experiment_id"] == exp_id and isinstance(exp_id, str)
        assert e["lifecycle_stage"] == "active" and isinstance(e["creation_time"], int)
        assert kv(e["tags"])["mlflow.note.content"]
    assert exps["Default"]["experiment_id"] == "0" and "tags" not in exps["Default"]
    # Also when the store was copied from the cached template (db_from_template).
    artifacts = os.path.join(peer.info["workdir"], "artifacts")
    for e in exps.values():
        assert e["artifact_location"] == os.path.join(artifacts, e["experiment_id"])

    # GET with a query string works too; a filter on the name.
    data = peer.ok("GET", API + "/experiments/search", query={"max_results": 10, "filter": "name LIKE 'qwen3%'"})
    assert [e["name"] for e in data["experiments"]] == ["qwen3-eval"]

    # Paging: 4 experiments, 3 per page.
    page1 = peer.ok("POST", API + "/experiments/search", {"max_results": 3})
    assert len(page1["experiments"]) == 3 and page1["next_page_token"]
    page2 = peer.ok("POST", API + "/experiments/search", {"max_results": 3, "page_token": page1["next_page_token"]})
    assert len(page2["experiments"]) == 1 and "next_page_token" not in page2
    names = [e["name"] for e in page1["experiments"] + page2["experiments"]]
    assert sorted(names) == sorted(exps)

    # max_results is required in practice: the proto default 0 is rejected.
    status, _, err = peer.call("POST", API + "/experiments/search", {})
    assert status == 400 and err == {
        "error_code": "INVALID_PARAMETER_VALUE",
        "message": "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer",
        "sqlstate": "KAM00", "error_class": "INVALID_PARAMETER_VALUE"}


def test_experiment_get_by_name_and_unknown(peer: Peer) -> None:
    exp_id = peer.seed["experiments"]["qwen3-eval"]
    data = peer.ok("GET", API + "/experiments/get-by-name", query={"experiment_name": "qwen3-eval"})
    assert data["experiment"]["experiment_id"] == exp_id
    status, _, err = peer.call("GET", API + "/experiments/get-by-name", query={"experiment_name": "nope"})
    assert status == 404 and err == {"error_code": "RESOURCE_DOES_NOT_EXIST",
                                     "message": "Could not find experiment with name 'nope'",
                                     "sqlstate": "KAM00", "error_class": "RESOURCE_NOT_FOUND"}
    status, _, err = peer.call("GET", API + "/experiments/get", query={"experiment_id": "999"})
    assert status == 404 and err["message"] == "No Experiment with id=999 exists"


# ---- runs/search ---------------------------------------------------------------------


def test_search_failed_runs_paged_newest_first(peer: Peer) -> None:
    # POST {"experiment_ids": ["1","2","3"], "filter": "attributes.status = 'FAILED'",
    #       "order_by": ["start_time DESC"], "max_results": 3[, "page_token": t]}
    # -> {"runs": [{"info": {…}, "data": {"metrics": […], "params": […], "tags": […]},
    #               "inputs": {}, "outputs": {}}, …], "next_page_token": "eyJvZmZzZXQiOiAzfQ=="}
    body = {"filter": "attributes.status = 'FAILED'", "order_by": ["start_time DESC"]}
    page1 = peer.search_runs(max_results=3, **body)
    assert set(page1) == {"runs", "next_page_token"} and len(page1["runs"]) == 3
    page2 = peer.search_runs(max_results=3, page_token=page1["next_page_token"], **body)
    assert set(page2) == {"runs"} and len(page2["runs"]) == 1  # last page: no token
    runs = page1["runs"] + page2["runs"]

    expected = sorted(seeded(peer, status="FAILED", deleted=False).items(), key=lambda kv_: -kv_[1]["start_time"])
    assert [r["info"]["run_id"] for r in runs] == [i for i, _ in expected]
    for run in runs:
        assert set(run) == {"info", "data", "inputs", "outputs"}
        assert run["inputs"] == {} and run["outputs"] == {}
        info = run["info"]
        assert set(info) == RUN_INFO_KEYS
        assert info["status"] == "FAILED" and info["run_uuid"] == info["run_id"]
        assert info["lifecycle_stage"] == "active" and info["user_id"] == "ubuntu"
        want = peer.seed["by_id"][info["run_id"]]
        assert (info["run_name"], info["start_time"], info["end_time"]) == (
            want["name"], want["start_time"], want["end_time"])
        assert kv(run["data"]["tags"])["mlflow.runName"] == info["run_name"]
        assert set(kv(run["data"]["params"])) >= {"learning_rate", "num_train_epochs"}
        if want["metric_keys"]:
            assert sorted(kv(run["data"]["metrics"])) == want["metric_keys"]
        else:
            assert "metrics" not in run["data"]  # not [] — the key is missing
    # The run that failed at start-up (OOM) is the one without metrics.
    no_metrics = [r for r in runs if "metrics" not in r["data"]]
    assert [kv(r["data"]["tags"])["failure_reason"] for r in no_metrics] == ["CUDA out of memory"]


def test_search_all_runs_paged(peer: Peer) -> None:
    runs, pages = peer.all_runs(10, order_by=["start_time DESC"])
    assert (len(runs), pages) == (28, 3)
    starts = [r["info"]["start_time"] for r in runs]
    assert starts == sorted(starts, reverse=True) and len(set(starts)) == 28
    assert [r["info"]["status"] for r in runs[:3]] == ["RUNNING"] * 3
    for r in runs[:3]:
        assert "end_time" not in r["info"]  # RUNNING: no end_time key at all
    assert {r["info"]["run_id"] for r in runs} == set(seeded(peer, deleted=False))

    by_status: dict[str, int] = {}
    for r in runs:
        by_status[r["info"]["status"]] = by_status.get(r["info"]["status"], 0) + 1
    assert by_status == peer.seed["counts"]["by_status"]

    # Without max_results the server returns up to 1000 runs; run_view_type ALL
    # adds the deleted run, DELETED_ONLY shows just it.
    assert len(peer.search_runs()["runs"]) == 28
    assert len(peer.search_runs(run_view_type="ALL")["runs"]) == 29
    deleted = peer.search_runs(run_view_type="DELETED_ONLY")["runs"]
    assert [r["info"]["run_id"] for r in deleted] == peer.seed["deleted_runs"]
    assert deleted[0]["info"]["lifecycle_stage"] == "deleted"


def test_search_filters(peer: Peer) -> None:
    fast = peer.search_runs(filter="metrics.train_samples_per_second >= 2.0",
                            order_by=["metrics.train_samples_per_second DESC"])["runs"]
    values = [kv(r["data"]["metrics"])["train_samples_per_second"] for r in fast]
    assert values == [3.912, 3.45, 3.1, 2.766, 2.31, 2.184, 2.0]
    # All three colour bands of seed 001 (>=2.0, >=1.0, <0.5) and the gap 0.5..1.0 occur.
    every = [kv(r["data"].get("metrics"))["train_samples_per_second"] for r in peer.search_runs()["runs"]
             if "train_samples_per_second" in kv(r["data"].get("metrics"))]
    assert len(every) == 17
    assert sum(v >= 2.0 for v in every) == 7 and sum(1.0 <= v < 2.0 for v in every) == 5
    assert sum(v < 0.5 for v in every) == 2 and sum(0.5 <= v < 1.0 for v in every) == 3

    qwen06 = peer.search_runs(filter="tags.model = 'Qwen-Qwen3-0.6B' and tags.instance_type LIKE 'ml.g5.%'")
    assert len(qwen06["runs"]) == 5
    for name in peer.seed["ambiguous_names"]:
        hits = peer.search_runs(filter=f"attributes.run_name = '{name}'")["runs"]
        assert sorted(r["info"]["run_id"] for r in hits) == sorted(peer.seed["runs"][name])
    # No match: an empty object, not {"runs": []}.
    assert peer.search_runs(filter="attributes.status = 'SCHEDULED'") == {}
    assert peer.search_runs(experiment_ids=["999"]) == {}  # unknown experiment: no error either


def test_search_errors(peer: Peer) -> None:
    def err(body: dict[str, Any]) -> tuple[int, Any]:
        status, ctype, data = peer.call("POST", API + "/runs/search", dict(body, experiment_ids=peer.exp_ids))
        assert ctype == "application/json"
        return status, data

    # Bad filter: 400 with a one-line JSON error.
    assert err({"filter": "status = FAILED"}) == (400, {
        "error_code": "INVALID_PARAMETER_VALUE",
        "message": "Parameter value is either not quoted or unidentified quote types used for string value "
                   "FAILED. Use either single or double quotes.",
        "sqlstate": "KAM00", "error_class": "INVALID_PARAMETER_VALUE"})
    status, data = err({"filter": "attributes.status == 'FAILED'"})
    assert status == 400 and data["message"].startswith("Invalid comparator '=='")
    status, data = err({"filter": "attributes.foo = 'x'"})
    assert status == 400 and data["message"].startswith("Invalid attribute key 'foo' specified.")
    status, data = err({"order_by": ["nope DESC"]})
    assert status == 400 and data["error_code"] == "INVALID_PARAMETER_VALUE"
    assert err({"page_token": "garbage"}) == (400, {
        "error_code": "INVALID_PARAMETER_VALUE", "message": "Invalid page token, could not base64-decode",
        "sqlstate": "KAM00", "error_class": "INVALID_PARAMETER_VALUE"})
    status, data = err({"max_results": 50001})
    assert status == 400 and data["message"].startswith("Invalid value 50001 for parameter 'max_results'")

    # Not JSON: a missing Content-Type is refused; GET is not routed at all.
    status, _, data = peer.call("POST", API + "/runs/search", raw=b'{"experiment_ids": ["1"]}')
    assert status == 400 and data["message"] == "Bad Request. Content-Type must be one of ['application/json']."
    status, ctype, text = peer.call("GET", API + "/runs/search")
    assert status == 405 and ctype.startswith("text/html") and "Method Not Allowed" in text


# ---- runs/get ------------------------------------------------------------------------


def test_get_seed_example_run(peer: Peer) -> None:
    # GET /runs/get?run_id=… -> {"run": {"info": {…}, "data": {…}, "inputs": {}, "outputs": {}}}
    (run_id,) = peer.seed["runs"][mlflow_seed.SEED_EXAMPLE_RUN]
    run = peer.get_run(run_id)
    assert set(run) == {"info", "data", "inputs", "outputs"}
    assert run["info"] == {
        "run_uuid": run_id, "run_id": run_id, "experiment_id": peer.seed["experiments"]["hyperpodpytorchjob-2xy"],
        "run_name": "run_20250818_003049", "user_id": "ubuntu", "status": "FINISHED",
        "start_time": 1755477049000, "end_time": 1755477049000 + 2_730_123,  # 2025-08-18T00:30:49Z, 0:45:30.123
        "artifact_uri": run["info"]["artifact_uri"], "lifecycle_stage": "active"}
    assert run["info"]["artifact_uri"].startswith(peer.info["workdir"])
    tags = kv(run["data"]["tags"])
    assert {k: tags[k] for k in IMPORTANT_TAGS} == {
        "model": "Qwen-Qwen3-0.6B", "dataset": "identity", "instance_type": "ml.g5.12xlarge",
        "replica_count": "2", "proc_per_node": "1", "batch_size": "4", "cutoff_len": "2048",
        "deepspeed_conf": "ds_z0_config.json"}
    assert {k for k in tags if k.startswith("mlflow.")} == {
        "mlflow.runName", "mlflow.user", "mlflow.source.name", "mlflow.source.type"}
    metrics = run["data"]["metrics"]
    assert set(metrics[0]) == {"key", "value", "timestamp", "step"}
    latest = kv(metrics)
    assert latest["train_samples_per_second"] == 2.184 and latest["train_steps_per_second"] == 0.288
    assert latest["loss"] == 2.6095 and latest["epoch"] == 1.0
    assert isinstance(latest["epoch"], float)
    assert kv(run["data"]["params"])["learning_rate"] == "1e-05"  # params are strings


def test_get_running_and_no_metric_runs(peer: Peer) -> None:
    for run_id, want in seeded(peer, status="RUNNING").items():
        info = peer.get_run(run_id)["info"]
        assert set(info) == RUN_INFO_KEYS - {"end_time"}
        assert info["start_time"] == want["start_time"]
    for run_id in peer.seed["no_metric_runs"]:
        data = peer.get_run(run_id)["data"]
        assert "metrics" not in data and data["params"] and data["tags"]


def test_get_many_tags_run(peer: Peer) -> None:
    many = peer.seed["many_tags"]
    tags = peer.get_run(many["run_id"])["data"]["tags"]
    user = [t for t in tags if not t["key"].startswith("mlflow.")]
    assert len(user) == 300 and len(tags) == many["all_tags"] == 304
    assert len(kv(tags)["notes"]) == 20_000


def test_get_unknown_run(peer: Peer) -> None:
    # 404 {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Run with id=<id> not found",
    #      "sqlstate": "KAM00", "error_class": "RESOURCE_NOT_FOUND"} — also for a malformed id.
    for run_id in (UNKNOWN_RUN, "not-a-run-id"):
        status, ctype, err = peer.call("GET", API + "/runs/get", query={"run_id": run_id})
        assert (status, ctype) == (404, "application/json")
        assert err == {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": f"Run with id={run_id} not found",
                       "sqlstate": "KAM00", "error_class": "RESOURCE_NOT_FOUND"}
    status, _, err = peer.call("GET", API + "/runs/get")
    assert status == 400 and err["error_code"] == "INVALID_PARAMETER_VALUE"


# ---- metrics/get-history -----------------------------------------------------------


def test_metric_history(peer: Peer) -> None:
    # GET /metrics/get-history?run_id=…&metric_key=loss[&max_results=N&page_token=t]
    # -> {"metrics": [{"key": "loss", "value": 4.1873, "timestamp": ms, "step": 10}, …]
    #     [, "next_page_token": "…"]}
    (run_id,) = peer.seed["runs"][mlflow_seed.SEED_EXAMPLE_RUN]
    want = peer.seed["by_id"][run_id]
    data = peer.ok("GET", API + "/metrics/get-history", query={"run_id": run_id, "metric_key": "loss"})
    assert set(data) == {"metrics"}
    hist = data["metrics"]
    assert len(hist) == 20 and all(set(m) == {"key", "value", "timestamp", "step"} for m in hist)
    assert [m["step"] for m in hist] == list(range(10, 201, 10))
    values = [m["value"] for m in hist]
    assert values[0] == 4.1873 and values[-1] == 2.6095
    assert all(a > b for a, b in zip(values, values[1:])), "loss must strictly decrease"
    assert all(want["start_time"] < m["timestamp"] < want["end_time"] for m in hist)

    pages, token = [], None
    while True:
        q = {"run_id": run_id, "metric_key": "loss", "max_results": 8}
        if token:
            q["page_token"] = token
        page = peer.ok("GET", API + "/metrics/get-history", query=q)
        pages.append(len(page["metrics"]))
        token = page.get("next_page_token")
        if not token:
            break
    assert pages == [8, 8, 4]

    # Gotchas: an unknown key, and even an unknown run, answer 200 {}.
    assert peer.ok("GET", API + "/metrics/get-history", query={"run_id": run_id, "metric_key": "nope"}) == {}
    assert peer.ok("GET", API + "/metrics/get-history", query={"run_id": UNKNOWN_RUN, "metric_key": "loss"}) == {}
    status, _, err = peer.call("GET", API + "/metrics/get-history", query={"run_id": run_id})
    assert status == 400 and err["message"].startswith("Missing value for required parameter 'metric_key'.")


# ---- runs/delete ---------------------------------------------------------------------


def test_delete_and_restore(peer: Peer) -> None:
    # POST /runs/delete {"run_id": …} -> 200 {} (also when already deleted);
    # unknown run -> 404 RESOURCE_DOES_NOT_EXIST. POST /runs/restore undoes it.
    (run_id,) = peer.seed["runs"]["llama3.2-1b-alpaca-lora"]
    status, ctype, data = peer.call("POST", API + "/runs/delete", {"run_id": run_id})
    try:
        assert (status, ctype, data) == (200, "application/json", {})
        assert peer.get_run(run_id)["info"]["lifecycle_stage"] == "deleted"  # still readable by id
        assert len(peer.search_runs()["runs"]) == 27
        assert peer.call("POST", API + "/runs/delete", {"run_id": run_id})[::2] == (200, {})
    finally:
        assert peer.call("POST", API + "/runs/restore", {"run_id": run_id})[::2] == (200, {})
    assert peer.get_run(run_id)["info"]["lifecycle_stage"] == "active"
    assert len(peer.search_runs()["runs"]) == 28

    status, _, err = peer.call("POST", API + "/runs/delete", {"run_id": UNKNOWN_RUN})
    assert status == 404 and err == {"error_code": "RESOURCE_DOES_NOT_EXIST",
                                     "message": f"Run with id={UNKNOWN_RUN} not found",
                                     "sqlstate": "KAM00", "error_class": "RESOURCE_NOT_FOUND"}
    status, _, err = peer.call("POST", API + "/runs/delete", {})
    assert status == 400 and err["error_code"] == "INVALID_PARAMETER_VALUE"


def test_set_tag_truncates_long_values(peer: Peer) -> None:
    """Unlike tags sent with runs/create, runs/set-tag and runs/log-batch keep
    only the first 8000 characters of a value."""
    created = peer.ok("POST", API + "/runs/create", {"experiment_id": "0", "run_name": "probe", "start_time": 1})
    run_id = created["run"]["info"]["run_id"]
    try:
        assert created["run"]["info"]["user_id"] == ""  # no mlflow.user tag
        assert peer.ok("POST", API + "/runs/set-tag", {"run_id": run_id, "key": "big", "value": "x" * 20_000}) == {}
        assert len(kv(peer.get_run(run_id)["data"]["tags"])["big"]) == 8000
    finally:
        peer.ok("POST", API + "/runs/delete", {"run_id": run_id})
    assert peer.search_runs(experiment_ids=["0"]) == {}


# ---- a second peer: stopping through stdin EOF -------------------------------------


def test_stdin_eof_stops_peer_and_cleans_up() -> None:
    """What a C++ test binary relies on: closing the peer's stdin stops the
    server's whole process group and removes the temporary directory. This
    peer lets mlflow create its schema (the module's peer may have copied the
    cached template)."""
    uri, stop = mlflow_peer.start_mlflow(seed=False, fresh_db=True)
    proc, info = stop.proc, stop.info
    try:
        assert info["seed"] is None and info["startup_seconds"]["seed"] is None
        assert info["db_from_template"] is False
        peer = Peer(uri, dict(info, seed={"experiments": {}, "by_id": {}}))
        data = peer.ok("POST", API + "/experiments/search", {"max_results": 10})
        assert [e["name"] for e in data["experiments"]] == ["Default"]
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0
        with pytest.raises(ProcessLookupError):
            os.kill(info["server_pid"], 0)
        assert not os.path.exists(info["workdir"])
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(uri + "/health", timeout=2)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        stop()
