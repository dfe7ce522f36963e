"""Training history end to end: signed Slack commands -> hpops -> MLflow REST
-> a real `mlflow server` seeded through the mlflow client (tests/peers)."""
import json
import urllib.request

from conftest import ADMIN, VIEWER
from test_slack_commands import blocks_text
from test_slack_interactions import button_value


def reply(bot, text, user=VIEWER):
    status, body = bot.command(text, user=user)
    assert status == 200, body
    message = json.loads(body)
    assert len(message["blocks"]) <= 50
    for block in message["blocks"]:
        if block.get("type") == "section" and "text" in block:
            assert len(block["text"]["text"]) <= 3000
    return message


def test_training_lists_recent_runs_across_experiments(mlflow_bot, mlflow_peer):
    _, seed = mlflow_peer
    message = reply(mlflow_bot, "training limit=50")
    text = blocks_text(message)
    for experiment in seed["experiments"]:
        if experiment != "Default":
            assert experiment in text, experiment
    assert f"{seed['counts']['active']} runs" in text, "every active run is counted"
    assert "page 1 of 2" in text, "more than one message's worth is paged, not cut"
    assert "Qwen-Qwen3-0.6B" in text, "tags are shown"


def test_training_filters_by_status(mlflow_bot, mlflow_peer):
    _, seed = mlflow_peer
    failed = {r["name"] for r in seed["by_id"].values() if r["status"] == "FAILED" and not r["deleted"]}
    finished = {r["name"] for r in seed["by_id"].values() if r["status"] == "FINISHED" and not r["deleted"]}
    text = blocks_text(reply(mlflow_bot, "training status=failed limit=50"))
    assert failed and all(name in text for name in failed), (failed, text[:2000])
    assert not any(name in text for name in finished - failed)


def test_unknown_experiment_lists_the_known_ones(mlflow_bot):
    text = blocks_text(reply(mlflow_bot, "training experiment=nope"))
    assert "nope" in text and "hyperpodpytorchjob-2xy" in text, text


def test_training_show_has_metrics_sparkline_and_link(mlflow_bot, mlflow_peer):
    uri, _ = mlflow_peer
    text = blocks_text(reply(mlflow_bot, "training show run_20250818_003049"))
    assert "run_20250818_003049" in text
    assert "samples" in text.lower()
    assert any(c in text for c in "▁▂▃▄▅▆▇█"), "a sparkline of the loss history"
    assert uri in text, "a link to the MLflow UI"


def test_ambiguous_and_unknown_runs_are_explained(mlflow_bot, mlflow_peer):
    _, seed = mlflow_peer
    name = seed["ambiguous_names"][0]
    text = blocks_text(reply(mlflow_bot, f"training show {name}"))
    for run_id in seed["runs"][name]:
        assert run_id in text, (run_id, text)
    text = blocks_text(reply(mlflow_bot, "training show 0123456789abcdef0123456789abcdef"))
    assert "0123456789abcdef0123456789abcdef" in text and "no training run" in text.lower(), text


def test_training_compare_puts_runs_side_by_side(mlflow_bot, mlflow_peer):
    _, seed = mlflow_peer
    names = [n for n, ids in seed["runs"].items() if len(ids) == 1][:2]
    text = blocks_text(reply(mlflow_bot, f"training compare {names[0]} {names[1]}"))
    assert names[0] in text and names[1] in text


def test_delete_asks_first_then_deletes_in_mlflow(mlflow_bot, mlflow_peer, receiver):
    uri, seed = mlflow_peer
    name = next(n for n, ids in seed["runs"].items()
                if len(ids) == 1 and seed["by_id"][ids[0]]["status"] == "KILLED")
    run_id = seed["runs"][name][0]
    ask = reply(mlflow_bot, f"training delete {run_id}", user=ADMIN)
    mlflow_bot.click("hpops.confirm", button_value(ask, "hpops.confirm"), user=ADMIN, response_url=receiver.url)
    receiver.wait_for(1, timeout=30)
    with urllib.request.urlopen(f"{uri}/api/2.0/mlflow/runs/get?run_id={run_id}") as r:
        assert json.load(r)["run"]["info"]["lifecycle_stage"] == "deleted"
    assert [r["outcome"] for r in mlflow_bot.audit() if r["command"] == "training delete"] == \
        ["confirm-requested", "ok"]


def test_hostile_values_never_break_slack_limits(mlflow_bot):
    reply(mlflow_bot, "training show many-tags-probe")
    reply(mlflow_bot, "training model=\"x' OR 1=1\"")


def test_mlflow_down_is_a_clear_message(receiver):
    import tempfile
    from conftest import Bot, free_port
    with tempfile.TemporaryDirectory() as tmp:
        bot = Bot(tmp, mlflow_uri=f"http://127.0.0.1:{free_port()}")
        try:
            text = blocks_text(reply(bot, "training"))
            assert "MLflow" in text and ("not" in text or "refused" in text), text
        finally:
            bot.stop()
