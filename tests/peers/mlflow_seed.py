#!/usr/bin/env python3
"""Seeds a running MLflow tracking server with the training-history scene of
seed 001 (LLaMA-Factory fine-tuning jobs on HyperPod, logged to MLflow),
through the real `mlflow.MlflowClient` only, deterministically: fixed names,
tags, params, metric values and start/end/metric timestamps (relative to
BASE_TIME_MS = 2025-08-18T00:30:49Z, the start of the real run
hyperpodpytorchjob-2xy/run_20250818_003049). Only IDs differ between seedings
(MLflow makes them), and server-side times such as experiment creation time and
a deleted run's deletion time.

Scene (29 runs created, 28 active + 1 deleted):
  hyperpodpytorchjob-2xy  13 runs (12 active): run_YYYYMMDD_HHMMSS names, the
                          seed's example run, FAILED (one without any metric),
                          KILLED, RUNNING, "many-tags-probe" (300 user tags, one
                          of them "notes" sent as 20,000 characters), one
                          deleted run, "baseline-qwen3-0.6b"
  llama-factory-sft       10 runs: "retry-llama3.2-3b-alpaca" twice (FAILED then
                          FINISHED), "baseline-qwen3-0.6b" again (so that name is
                          ambiguous across experiments), FAILED, KILLED, RUNNING
  qwen3-eval               6 runs: eval_* metrics as well, one FINISHED run with
                          params and tags but no metrics, RUNNING without metrics
  Active runs by status: FINISHED 18, FAILED 4, KILLED 3, RUNNING 3.
  The Default experiment (id "0") exists too and has no runs.

Run tags: model, dataset, instance_type, replica_count, proc_per_node,
batch_size, cutoff_len, deepspeed_conf (absent on some single-node runs), some
non-standard tags (job_name, cluster, owner, git_commit, failure_reason, ...),
and the system tags a fluent mlflow.start_run() adds (mlflow.user,
mlflow.source.name, mlflow.source.type; the server adds mlflow.runName).
Metrics (Hugging Face Trainer names): loss and epoch histories (20 points for a
finished run, fewer for FAILED/KILLED/RUNNING ones, strictly decreasing loss),
and at the end train_samples_per_second (0.312 .. 3.912, boundary values 0.5,
1.0, 1.999, 2.0 included), train_steps_per_second, train_loss, train_runtime.
Params: learning_rate, num_train_epochs, per_device_train_batch_size, ...

seed(tracking_uri, suffix="") returns what was seeded (also printed as one
JSON line by the CLI: `python mlflow_seed.py --tracking-uri
http://127.0.0.1:PORT [--suffix=-copy2]`; write the suffix with "=", it starts
with a dash). About 5-8 s, of which ~3 s import mlflow.
A non-empty suffix is appended to the experiment names, so a server can hold
several independent copies of the scene (e.g. one per test that mutates it).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
os.environ["DO_NOT_TRACK"] = "true"
# set_terminated() would print "View run ... at: URL" lines to stdout, where a
# peer's ready line goes.
os.environ["MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT"] = "true"

BASE_TIME_MS = int(datetime(2025, 8, 18, 0, 30, 49, tzinfo=timezone.utc).timestamp() * 1000)
MINUTE_MS = 60_000
HOUR_MS = 60 * MINUTE_MS
DAY_MS = 24 * HOUR_MS

EXP_HP = "hyperpodpytorchjob-2xy"
EXP_SFT = "llama-factory-sft"
EXP_EVAL = "qwen3-eval"
EXPERIMENT_TAGS = {
    EXP_HP: {"mlflow.note.content": "LLaMA-Factory SFT launched as HyperPodPyTorchJob on hp-cluster",
             "team": "ml-platform"},
    EXP_SFT: {"mlflow.note.content": "Ad-hoc LLaMA-Factory SFT sweeps", "team": "research"},
    EXP_EVAL: {"mlflow.note.content": "Qwen3 evaluation runs", "team": "research"},
}

SEED_EXAMPLE_RUN = "run_20250818_003049"
MANY_TAGS_RUN = "many-tags-probe"
MANY_TAGS_USER_TAGS = 300        # tags whose key does not start with "mlflow."
LONG_TAG_KEY = "notes"
LONG_TAG_SENT_CHARS = 20_000     # MLflow stores run tag values up to 8000 characters

INSTANCE_GPUS = {"ml.g5.12xlarge": 4, "ml.g6.12xlarge": 4, "ml.p4d.24xlarge": 8, "ml.p3.16xlarge": 8}
MODELS = {
    "q06": ("Qwen-Qwen3-0.6B", "qwen3"),
    "q17": ("Qwen-Qwen3-1.7B", "qwen3"),
    "q4": ("Qwen-Qwen3-4B", "qwen3"),
    "l1": ("meta-llama-Llama-3.2-1B", "llama3"),
    "l3": ("meta-llama-Llama-3.2-3B", "llama3"),
    "l8": ("meta-llama-Llama-3.1-8B", "llama3"),
}


@dataclass
class RunSpec:
    experiment: str
    name: str | None            # None: run_YYYYMMDD_HHMMSS from the start time
    start_ms: int               # relative to BASE_TIME_MS
    status: str                 # FINISHED, FAILED, KILLED, RUNNING
    model: str                  # key of MODELS
    dataset: str
    instance_type: str
    replicas: int
    proc_per_node: int
    batch_size: int
    cutoff_len: int
    deepspeed: str | None       # None: no deepspeed_conf tag
    duration_ms: int = 0        # ignored for RUNNING
    samples_per_s: float | None = None  # final train_samples_per_second (FINISHED only)
    steps_per_s: float | None = None    # default: derived from the global batch
    loss_points: int = 20       # 0: no metrics at all
    loss_first: float = 3.2
    loss_last: float = 1.1
    epochs: float = 3.0
    finetuning: str = "lora"
    learning_rate: str = "5e-05"
    eval_loss: float | None = None
    extra_tags: dict[str, str] = field(default_factory=dict)
    deleted: bool = False


def _specs() -> list[RunSpec]:
    H, D, M = HOUR_MS, DAY_MS, MINUTE_MS
    return [
        # ---- hyperpodpytorchjob-2xy ------------------------------------------------
        RunSpec(EXP_HP, None, 0, "FINISHED", "q06", "identity", "ml.g5.12xlarge", 2, 1, 4, 2048,
                "ds_z0_config.json", duration_ms=45 * M + 30_123, samples_per_s=2.184, steps_per_s=0.288,
                loss_first=4.1873, loss_last=2.6095, epochs=1.0, learning_rate="1e-05",
                extra_tags={"job_name": "llama-factory-sft-2xy", "cluster": "hp-cluster"}),
        RunSpec(EXP_HP, None, 5 * H + 44 * M + 23_000, "FINISHED", "q06", "identity", "ml.g5.12xlarge", 1, 4,
                4, 2048, "ds_z0_config.json", duration_ms=58 * M + 12_000, samples_per_s=1.046,
                loss_first=4.0511, loss_last=2.3318, epochs=2.0,
                extra_tags={"job_name": "llama-factory-sft-2xy", "cluster": "hp-cluster"}),
        RunSpec(EXP_HP, None, 13 * H + 51 * M + 44_000, "FAILED", "q17", "identity", "ml.p4d.24xlarge", 4, 8,
                8, 4096, "ds_z3_config.json", duration_ms=17 * M + 5_000, loss_points=6,
                loss_first=3.8842, loss_last=3.1207,
                extra_tags={"job_name": "llama-factory-sft-2xy", "cluster": "hp-cluster",
                            "failure_reason": "NCCL timeout on rank 17"}),
        RunSpec(EXP_HP, None, D + 8 * H + 30 * M + 16_000, "FINISHED", "q17", "identity", "ml.p4d.24xlarge",
                4, 8, 8, 4096, "ds_z3_config.json", duration_ms=1 * H + 12 * M + 40_500, samples_per_s=3.912,
                loss_first=3.8842, loss_last=1.4521,
                extra_tags={"job_name": "llama-factory-sft-2xy", "cluster": "hp-cluster", "priority": "high"}),
        RunSpec(EXP_HP, None, D + 17 * H + 2 * M + 55_000, "FINISHED", "l1", "alpaca_en_demo", "ml.p3.16xlarge",
                2, 8, 2, 1024, "ds_z2_config.json", duration_ms=2 * H + 5 * M + 9_000, samples_per_s=0.449,
                loss_first=2.9034, loss_last=1.2277, learning_rate="0.0001",
                extra_tags={"job_name": "llama-factory-sft-2xy", "cluster": "hp-cluster"}),
        RunSpec(EXP_HP, None, 2 * D + 7 * H + 29 * M + 11_000, "KILLED", "l1", "alpaca_en_demo", "ml.p3.16xlarge",
                8, 8, 2, 1024, "ds_z2_config.json", duration_ms=34 * M + 50_000, loss_points=11,
                loss_first=2.9034, loss_last=1.9046, learning_rate="0.0001",
                extra_tags={"job_name": "llama-factory-sft-2xy", "cluster": "hp-cluster",
                            "killed_by": "hpops scale-down"}),
        RunSpec(EXP_HP, None, 2 * D + 10 * H + 59 * M + 26_000, "FINISHED", "l3", "alpaca_en_demo",
                "ml.g6.12xlarge", 2, 4, 2, 2048, "ds_z3_config.json", duration_ms=3 * H + 1 * M + 2_000,
                samples_per_s=0.874, loss_first=2.6671, loss_last=1.0893,
                extra_tags={"job_name": "llama-factory-sft-2xy", "cluster": "hp-cluster"}),
        RunSpec(EXP_HP, None, 3 * D + 1 * H + 31 * M + 13_000, "FINISHED", "q4", "identity", "ml.p4d.24xlarge",
                8, 8, 4, 2048, "ds_z3_offload_config.json", duration_ms=1 * H + 40 * M, samples_per_s=2.0,
                loss_first=3.5518, loss_last=0.9127, finetuning="full", learning_rate="1e-05",
                extra_tags={"job_name": "llama-factory-sft-2xy", "cluster": "hp-cluster", "priority": "high"}),
        RunSpec(EXP_HP, None, 3 * D + 15 * H + 14 * M + 11_000, "FAILED", "q4", "identity", "ml.g5.12xlarge",
                1, 4, 16, 8192, "ds_z0_config.json", duration_ms=2 * M + 31_000, loss_points=0,
                finetuning="full",
                extra_tags={"job_name": "llama-factory-sft-2xy", "cluster": "hp-cluster",
                            "failure_reason": "CUDA out of memory"}),
        RunSpec(EXP_HP, "baseline-qwen3-0.6b", 3 * D + 20 * H + 5 * M, "FINISHED", "q06", "identity",
                "ml.g5.12xlarge", 1, 1, 4, 2048, "ds_z0_config.json", duration_ms=1 * H + 3 * M + 7_000,
                samples_per_s=0.5, loss_first=4.1873, loss_last=2.7012, epochs=1.0),
        RunSpec(EXP_HP, MANY_TAGS_RUN, 4 * D + 2 * H + 17 * M + 3_000, "FINISHED", "q06", "identity",
                "ml.g6.12xlarge", 1, 4, 4, 2048, "ds_z0_config.json", duration_ms=50 * M + 4_000,
                samples_per_s=1.532, loss_first=4.1873, loss_last=2.2245, epochs=2.0),
        RunSpec(EXP_HP, None, 4 * D + 9 * H + 39 * M + 21_000, "FINISHED", "q06", "identity", "ml.g5.12xlarge",
                1, 4, 4, 2048, "ds_z0_config.json", duration_ms=40 * M, samples_per_s=1.2,
                loss_first=4.1873, loss_last=2.5101, epochs=1.0, deleted=True,
                extra_tags={"job_name": "llama-factory-sft-2xy", "cluster": "hp-cluster"}),
        RunSpec(EXP_HP, None, 8 * D + 7 * H + 59 * M + 11_000, "RUNNING", "q17", "identity", "ml.p4d.24xlarge",
                2, 8, 8, 4096, "ds_z2_config.json", loss_points=9, loss_first=3.8842, loss_last=2.0734,
                extra_tags={"job_name": "llama-factory-sft-2xy", "cluster": "hp-cluster"}),
        # ---- llama-factory-sft ---------------------------------------------------------
        RunSpec(EXP_SFT, "llama3.2-1b-alpaca-lora", D + 2 * H + 4 * M + 40_000, "FINISHED", "l1",
                "alpaca_en_demo", "ml.g5.12xlarge", 1, 4, 4, 1024, None, duration_ms=38 * M + 19_000,
                samples_per_s=2.766, loss_first=2.9034, loss_last=1.3106, learning_rate="0.0001",
                extra_tags={"owner": "alice", "lora_rank": "8"}),
        RunSpec(EXP_SFT, "llama3.2-1b-alpaca-full-z2", D + 4 * H + 48 * M + 2_000, "FINISHED", "l1",
                "alpaca_en_demo", "ml.g5.12xlarge", 2, 4, 2, 1024, "ds_z2_config.json",
                duration_ms=1 * H + 15 * M + 33_000, samples_per_s=1.0, loss_first=2.9034, loss_last=1.0452,
                finetuning="full", learning_rate="1e-05", extra_tags={"owner": "alice"}),
        RunSpec(EXP_SFT, "retry-llama3.2-3b-alpaca", 2 * D + 3 * H + 12 * M + 8_000, "FAILED", "l3",
                "alpaca_en_demo", "ml.g6.12xlarge", 2, 4, 4, 2048, "ds_z3_config.json",
                duration_ms=9 * M + 45_000, loss_points=4, loss_first=2.6671, loss_last=2.2190,
                extra_tags={"owner": "bob", "failure_reason": "CUDA out of memory"}),
        RunSpec(EXP_SFT, "retry-llama3.2-3b-alpaca", 2 * D + 4 * H + 1 * M + 57_000, "FINISHED", "l3",
                "alpaca_en_demo", "ml.g6.12xlarge", 2, 4, 2, 2048, "ds_z3_config.json",
                duration_ms=4 * H + 22 * M + 14_000, samples_per_s=0.312, loss_first=2.6671, loss_last=1.0121,
                extra_tags={"owner": "bob"}),
        RunSpec(EXP_SFT, "baseline-qwen3-0.6b", 2 * D + 13 * H + 30 * M, "FINISHED", "q06", "identity",
                "ml.p3.16xlarge", 1, 8, 4, 2048, "ds_z0_config.json", duration_ms=28 * M + 51_000,
                samples_per_s=1.999, loss_first=4.1873, loss_last=2.6633, epochs=1.0),
        RunSpec(EXP_SFT, "llama3.1-8b-alpaca-lora-p4d", 3 * D + 6 * H + 44 * M + 12_000, "FINISHED", "l8",
                "alpaca_en_demo", "ml.p4d.24xlarge", 4, 8, 4, 4096, "ds_z3_config.json",
                duration_ms=2 * H + 48 * M + 1_000, samples_per_s=3.1, loss_first=2.4418, loss_last=0.8814,
                learning_rate="0.0001", extra_tags={"owner": "carol", "lora_rank": "16"}),
        RunSpec(EXP_SFT, "llama3.1-8b-alpaca-full-p4d", 4 * D + 11 * H + 7 * M + 7_000, "KILLED", "l8",
                "alpaca_en_demo", "ml.p4d.24xlarge", 8, 8, 2, 4096, "ds_z3_offload_config.json",
                duration_ms=1 * H + 2 * M + 2_000, loss_points=14, loss_first=2.4418, loss_last=1.3307,
                finetuning="full", learning_rate="1e-05", extra_tags={"owner": "carol"}),
        RunSpec(EXP_SFT, "qwen3-1.7b-alpaca-lora", 5 * D + 1 * H + 18 * M + 45_000, "FINISHED", "q17",
                "alpaca_en_demo", "ml.g5.12xlarge", 1, 4, 8, 2048, "ds_z0_config.json",
                duration_ms=1 * H + 9 * M + 30_000, samples_per_s=1.46, loss_first=3.0127, loss_last=1.2964,
                extra_tags={"owner": "alice", "lora_rank": "8"}),
        RunSpec(EXP_SFT, "qwen3-4b-identity-full", 6 * D + 16 * H + 3 * M + 33_000, "FAILED", "q4", "identity",
                "ml.p4d.24xlarge", 4, 8, 4, 2048, "ds_z3_config.json", duration_ms=21 * M + 4_000,
                loss_points=8, loss_first=3.5518, loss_last=2.8802, finetuning="full", learning_rate="1e-05",
                extra_tags={"owner": "bob", "failure_reason": "node i-0abc replaced by HyperPod auto-recovery"}),
        RunSpec(EXP_SFT, "llama3.2-3b-alpaca-lora-g6", 8 * D + 9 * H + 12 * M + 40_000, "RUNNING", "l3",
                "alpaca_en_demo", "ml.g6.12xlarge", 4, 4, 4, 2048, "ds_z2_config.json", loss_points=5,
                loss_first=2.6671, loss_last=1.9530, extra_tags={"owner": "carol"}),
        # ---- qwen3-eval ----------------------------------------------------------------
        RunSpec(EXP_EVAL, "eval-qwen3-0.6b-identity", 4 * D + 22 * H + 41 * M + 9_000, "FINISHED", "q06",
                "identity", "ml.g5.12xlarge", 1, 1, 8, 2048, None, duration_ms=12 * M + 44_000,
                samples_per_s=3.45, loss_first=2.9551, loss_last=2.4109, epochs=1.0, eval_loss=2.5128),
        RunSpec(EXP_EVAL, "eval-qwen3-1.7b-identity", 5 * D + 3 * H + 2 * M + 51_000, "FINISHED", "q17",
                "identity", "ml.g6.12xlarge", 1, 4, 8, 2048, "ds_z0_config.json", duration_ms=19 * M + 6_000,
                samples_per_s=2.31, loss_first=2.7003, loss_last=1.8826, epochs=1.0, eval_loss=1.9417),
        RunSpec(EXP_EVAL, "eval-qwen3-4b-identity", 5 * D + 7 * H + 27 * M + 36_000, "FINISHED", "q4", "identity",
                "ml.p3.16xlarge", 1, 8, 4, 4096, "ds_z2_config.json", duration_ms=31 * M + 17_000,
                samples_per_s=0.95, loss_first=2.4135, loss_last=1.5208, epochs=1.0, eval_loss=1.6044),
        RunSpec(EXP_EVAL, "eval-qwen3-4b-alpaca-params-only", 5 * D + 12 * H + 0 * M + 5_000, "FINISHED", "q4",
                "alpaca_en_demo", "ml.p3.16xlarge", 1, 8, 4, 4096, "ds_z2_config.json",
                duration_ms=3 * M + 2_000, loss_points=0, extra_tags={"note": "metrics lost (logging disabled)"}),
        RunSpec(EXP_EVAL, "eval-qwen3-1.7b-alpaca", 6 * D + 20 * H + 36 * M + 58_000, "KILLED", "q17",
                "alpaca_en_demo", "ml.g6.12xlarge", 1, 4, 8, 2048, "ds_z0_config.json", duration_ms=7 * M + 7_000,
                loss_points=3, loss_first=2.7003, loss_last=2.3012, epochs=1.0),
        RunSpec(EXP_EVAL, "eval-qwen3-0.6b-alpaca", 8 * D + 10 * H + 5 * M + 5_000, "RUNNING", "q06",
                "alpaca_en_demo", "ml.g5.12xlarge", 1, 1, 8, 2048, None, loss_points=0, epochs=1.0),
    ]


def _run_name(spec: RunSpec) -> str:
    if spec.name:
        return spec.name
    start = datetime.fromtimestamp((BASE_TIME_MS + spec.start_ms) / 1000, tz=timezone.utc)
    return start.strftime("run_%Y%m%d_%H%M%S")


def _loss_curve(spec: RunSpec, points: int) -> list[float]:
    """Strictly decreasing, from loss_first to loss_last over `points` values
    (a partial run stops early on the same curve shape)."""
    if points == 1:
        return [spec.loss_first]
    k = 3.0
    values = []
    for i in range(points):
        t = i / (points - 1)
        shape = (math.exp(-k * t) - math.exp(-k)) / (1 - math.exp(-k))
        values.append(round(spec.loss_last + (spec.loss_first - spec.loss_last) * shape, 4))
    return values


def _tags(spec: RunSpec) -> dict[str, str]:
    model, _template = MODELS[spec.model]
    tags = {
        "model": model,
        "dataset": spec.dataset,
        "instance_type": spec.instance_type,
        "replica_count": str(spec.replicas),
        "proc_per_node": str(spec.proc_per_node),
        "batch_size": str(spec.batch_size),
        "cutoff_len": str(spec.cutoff_len),
    }
    if spec.deepspeed:
        tags["deepspeed_conf"] = spec.deepspeed
    tags.update(spec.extra_tags)
    tags.update({
        "mlflow.user": "ubuntu",
        "mlflow.source.name": "/fsx/LLaMA-Factory/src/train.py",
        "mlflow.source.type": "LOCAL",
    })
    return tags


def _params(spec: RunSpec) -> dict[str, str]:
    model, template = MODELS[spec.model]
    return {
        "model_name_or_path": model.replace("-", "/", 1),
        "dataset": spec.dataset,
        "template": template,
        "finetuning_type": spec.finetuning,
        "learning_rate": spec.learning_rate,
        "num_train_epochs": f"{spec.epochs:.1f}",
        "per_device_train_batch_size": str(spec.batch_size),
        "gradient_accumulation_steps": "1",
        "lr_scheduler_type": "cosine",
        "warmup_ratio": "0.1",
        "bf16": "False" if spec.instance_type.startswith("ml.p3.") else "True",
        "cutoff_len": str(spec.cutoff_len),
        "deepspeed": f"examples/deepspeed/{spec.deepspeed}" if spec.deepspeed else "None",
        "output_dir": f"/fsx/saves/{model}/{_run_name(spec)}",
    }


def _long_text(chars: int) -> str:
    line = "step {:05d}: grad_norm spike investigated; see the NCCL and EFA logs on the fsx volume.\n"
    text, i = [], 0
    while sum(map(len, text)) < chars:
        text.append(line.format(i))
        i += 1
    return "".join(text)[:chars]


def _metrics(spec: RunSpec, start: int, end: int | None):
    from mlflow.entities import Metric

    n = spec.loss_points
    if n == 0:
        return []
    # Timestamps: spread over the run for terminated ones, one point a minute
    # from the start for RUNNING ones (so all lie in the past of BASE + ~9 days).
    span = (end - start) if end is not None else (n + 1) * MINUTE_MS
    step_every = 10
    out: list[Metric] = []
    losses = _loss_curve(spec, n)
    full = 20  # a finished run logs 20 points; partial runs stop early
    for i, loss in enumerate(losses):
        ts = start + (i + 1) * span // (n + 2)
        step = (i + 1) * step_every
        out.append(Metric("loss", loss, ts, step))
        out.append(Metric("epoch", round(spec.epochs * (i + 1) / full, 4), ts, step))
    if spec.status == "FINISHED" and spec.samples_per_s is not None and end is not None:
        last_step = n * step_every
        global_batch = spec.batch_size * spec.proc_per_node * spec.replicas
        steps_per_s = spec.steps_per_s if spec.steps_per_s is not None else max(
            round(spec.samples_per_s / global_batch, 3), 0.001)
        runtime_s = round((end - start) / 1000 * 0.97, 3)
        ts = end - 1_000
        mean_loss = round(sum(losses) / len(losses), 4)
        out += [
            Metric("train_samples_per_second", spec.samples_per_s, ts, last_step),
            Metric("train_steps_per_second", steps_per_s, ts, last_step),
            Metric("train_loss", mean_loss, ts, last_step),
            Metric("train_runtime", runtime_s, ts, last_step),
        ]
        if spec.eval_loss is not None:
            out += [
                Metric("eval_loss", spec.eval_loss, ts, last_step),
                Metric("eval_samples_per_second", round(spec.samples_per_s * 2.6, 3), ts, last_step),
                Metric("eval_steps_per_second", round(steps_per_s * 2.6, 3), ts, last_step),
            ]
    return out


def seed(tracking_uri: str, suffix: str = "") -> dict[str, Any]:
    """Create the scene on the server at tracking_uri and describe it."""
    import mlflow
    from mlflow.entities import Param, RunTag

    client = mlflow.MlflowClient(tracking_uri=tracking_uri)
    specs = _specs()

    experiments: dict[str, str] = {}
    for name in (EXP_HP, EXP_SFT, EXP_EVAL):
        full_name = name + suffix
        experiments[full_name] = client.create_experiment(full_name, tags=EXPERIMENT_TAGS[name])

    runs: dict[str, list[str]] = {}
    by_id: dict[str, dict[str, Any]] = {}
    starts = set()
    for spec in specs:
        name = _run_name(spec)
        exp_name = spec.experiment + suffix
        start = BASE_TIME_MS + spec.start_ms
        assert start not in starts, f"start times must be unique for ordering tests: {name}"
        starts.add(start)
        end = None if spec.status == "RUNNING" else start + spec.duration_ms
        tags = _tags(spec)
        if name == MANY_TAGS_RUN:
            tags[LONG_TAG_KEY] = _long_text(LONG_TAG_SENT_CHARS)
            user = [k for k in tags if not k.startswith("mlflow.")]
            for i in range(MANY_TAGS_USER_TAGS - len(user)):
                tags[f"extra_tag_{i:03d}"] = f"value-{i:03d}"
        # create_run sends start_time and the tags with the run itself (the
        # server adds mlflow.runName from run_name); the rest goes in batches.
        first_tags = {k: v for k, v in tags.items() if not k.startswith("extra_tag_")}
        run = client.create_run(experiments[exp_name], start_time=start, tags=first_tags, run_name=name)
        run_id = run.info.run_id
        rest = [RunTag(k, v) for k, v in tags.items() if k not in first_tags]
        params = [Param(k, v) for k, v in _params(spec).items()]
        metrics = _metrics(spec, start, end)
        client.log_batch(run_id, metrics=metrics, params=params, tags=rest)
        if end is not None:
            client.set_terminated(run_id, status=spec.status, end_time=end)
        if spec.deleted:
            client.delete_run(run_id)
        runs.setdefault(name, []).append(run_id)
        by_id[run_id] = {
            "name": name, "experiment": exp_name, "experiment_id": experiments[exp_name],
            "status": spec.status, "start_time": start, "end_time": end, "deleted": spec.deleted,
            "metric_keys": sorted({m.key for m in metrics}),
            "train_samples_per_second": spec.samples_per_s if any(
                m.key == "train_samples_per_second" for m in metrics) else None,
            "loss_points": spec.loss_points,
        }

    active = {i: r for i, r in by_id.items() if not r["deleted"]}
    by_status: dict[str, int] = {}
    for r in active.values():
        by_status[r["status"]] = by_status.get(r["status"], 0) + 1
    by_experiment = {name: sum(1 for r in active.values() if r["experiment"] == name) for name in experiments}

    many_id = runs[MANY_TAGS_RUN][0]
    stored = client.get_run(many_id).data.tags
    return {
        "tracking_uri": tracking_uri,
        "base_time_ms": BASE_TIME_MS,
        "suffix": suffix,
        "default_experiment_id": "0",
        "experiments": experiments,
        "runs": runs,
        "by_id": by_id,
        "ambiguous_names": sorted(n for n, ids in runs.items() if len(ids) > 1),
        "deleted_runs": [i for i, r in by_id.items() if r["deleted"]],
        "no_metric_runs": [i for i, r in active.items() if not r["metric_keys"]],
        "counts": {
            "created": len(by_id),
            "active": len(active),
            "deleted": len(by_id) - len(active),
            "by_status": dict(sorted(by_status.items())),
            "by_experiment": by_experiment,
        },
        "many_tags": {
            "run_id": many_id,
            "user_tags": sum(1 for k in stored if not k.startswith("mlflow.")),
            "all_tags": len(stored),
            "long_tag_key": LONG_TAG_KEY,
            "long_tag_sent_chars": LONG_TAG_SENT_CHARS,
            "long_tag_stored_chars": len(stored.get(LONG_TAG_KEY, "")),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tracking-uri", required=True, help="e.g. http://127.0.0.1:PORT")
    parser.add_argument("--suffix", default="", help="appended to every experiment name")
    args = parser.parse_args(argv)
    print(json.dumps(seed(args.tracking_uri, args.suffix)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
