"""Node groups from chat, end to end: signed Slack commands -> hpops -> SigV4
-> moto (EKS, SageMaker) with hpops's extensions; checked through boto3."""
import json
import time

from conftest import ADMIN, OPERATOR, VIEWER
from test_slack_commands import blocks_text
from test_slack_interactions import button_value


def answer(bot, receiver, text, user=OPERATOR, posts=1):
    """The final answer to a command: inline, or the last post at response_url
    made since the command was sent (a job's message ends there)."""
    earlier = len(receiver.posts)
    status, body = bot.command(text, user=user, response_url=receiver.url)
    assert status == 200, body
    message = json.loads(body)
    if "hourglass" in blocks_text(message) or "…" in message.get("text", ""):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            finals = [p for p in receiver.posts[earlier:] if "hourglass" not in blocks_text(p["json"])]
            if len(finals) >= posts:
                return finals[-1]["json"]
            time.sleep(0.1)
        raise AssertionError(f"no final answer at response_url: {receiver.posts}")
    return message


def scaling(aws, name):
    return aws.eks.describe_nodegroup(clusterName="hpops-demo", nodegroupName=name)["nodegroup"]["scalingConfig"]


def test_nodegroups_lists_both_kinds_in_one_message(aws_bot, receiver):
    text = blocks_text(answer(aws_bot, receiver, "nodegroups", user=VIEWER))
    assert "hpops-demo" in text and "us-west-2" in text
    assert "the only EKS cluster" in text
    for name in ("spot-ng-with-hypd", "gpu-ng", "accelerated-worker-group-1", "controller-group", "hp-cluster"):
        assert name in text, name
    assert "ACTIVE" in text and "InService" in text


def test_scale_nodegroup_updates_eks_and_follows_the_update(aws_bot, receiver, aws):
    final = answer(aws_bot, receiver, "scale ng spot-ng-with-hypd desired=2")
    text = blocks_text(final)
    assert "Scaled spot-ng-with-hypd: desired 1 → 2" in text, text
    assert scaling(aws, "spot-ng-with-hypd")["desiredSize"] == 2
    [row] = [r for r in aws_bot.audit() if r["command"] == "scale nodegroup"]
    assert row["outcome"] == "ok" and row["actor_id"] == OPERATOR
    assert row["backend_request_id"], "the AWS request id is audited"


def test_scaling_to_zero_asks_first_and_shows_the_diff(aws_bot, receiver, aws):
    message = answer(aws_bot, receiver, "scale nodegroup gpu-ng desired=0 min=0")
    text = blocks_text(message)
    assert "gpu-ng: desired 4 → 0" in text and "scales to zero" in text, text
    assert "−4 × g5.12xlarge, ≈ −$22.69 an hour" in text, "the confirmation shows what the change costs"
    assert scaling(aws, "gpu-ng")["desiredSize"] == 4, "nothing changes before the confirmation"
    aws_bot.click("hpops.confirm", button_value(message, "hpops.confirm"), user=OPERATOR, response_url=receiver.url)
    deadline = time.monotonic() + 30
    while scaling(aws, "gpu-ng")["desiredSize"] != 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert scaling(aws, "gpu-ng")["desiredSize"] == 0


def test_a_large_scale_down_asks_first(aws_bot, receiver, aws):
    text = blocks_text(answer(aws_bot, receiver, "scale nodegroup gpu-ng desired=1"))
    assert "gpu-ng: desired 4 → 1" in text and "75% of the capacity" in text, text
    assert scaling(aws, "gpu-ng")["desiredSize"] == 4


def test_a_dry_run_shows_the_change_and_its_cost_and_changes_nothing(aws_bot, receiver, aws):
    text = blocks_text(answer(aws_bot, receiver, "scale nodegroup gpu-ng desired=6 dry-run=yes"))
    assert "Dry run, nothing changed: `gpu-ng: desired 4 → 6" in text and "+2 × g5.12xlarge, ≈ +$11.34 an hour" in text
    assert "confirmation" not in text, text
    down = blocks_text(answer(aws_bot, receiver, "scale ig accelerated-worker-group-1 count=0 dry-run=yes"))
    assert "−2 × ml.g5.12xlarge, ≈ −$11.34 an hour" in down and "would ask for confirmation: this scales to zero" in down
    assert scaling(aws, "gpu-ng")["desiredSize"] == 4
    groups = aws.sagemaker.describe_cluster(ClusterName="hp-cluster")["InstanceGroups"]
    assert next(g for g in groups if g["InstanceGroupName"] == "accelerated-worker-group-1")["TargetCount"] == 2
    assert "yes or no" in blocks_text(answer(aws_bot, receiver, "scale nodegroup gpu-ng desired=6 dry-run=maybe"))


def test_bad_requests_are_refused_before_any_call(aws_bot, receiver, aws):
    cases = {
        "scale nodegroup nope desired=1": "has no node group `nope`",
        "scale nodegroup spot-ng-with-hypd min=3 max=2": "would exceed max",
        "scale nodegroup spot-ng-with-hypd desired=-1": "is outside the allowed range",
        "scale nodegroup spot-ng-with-hypd desired=100000": "is outside the allowed range",
        "scale nodegroup 'a;rm -rf /' desired=1": "is not a valid node group name",
        "scale instancegroup accelerated-worker-group-1": "count=N",
    }
    for command, expected in cases.items():
        text = blocks_text(answer(aws_bot, receiver, command))
        assert expected in text, (command, text)
    assert "spot-ng-with-hypd" in blocks_text(answer(aws_bot, receiver, "scale nodegroup nope desired=1"))
    assert scaling(aws, "spot-ng-with-hypd") == {"minSize": 1, "maxSize": 2, "desiredSize": 1}
    rejected = [r["outcome"] for r in aws_bot.audit() if r["command"] == "scale nodegroup"]
    assert rejected and set(rejected) == {"rejected"}


def test_scale_instancegroup_sends_the_full_spec_and_follows_to_inservice(aws_bot, receiver, aws):
    text = blocks_text(answer(aws_bot, receiver, "scale ig accelerated-worker-group-1 count=3"))
    assert "Scaled accelerated-worker-group-1: instances 2 → 3" in text, text
    groups = aws.sagemaker.describe_cluster(ClusterName="hp-cluster")["InstanceGroups"]
    group = next(g for g in groups if g["InstanceGroupName"] == "accelerated-worker-group-1")
    assert group["TargetCount"] == 3
    assert group["LifeCycleConfig"]["OnCreate"], "the rest of the spec survived the update"


def test_instancegroup_add_asks_with_its_cost_then_adds_the_group(aws_bot, receiver, aws):
    ask = answer(aws_bot, receiver, "ig add extra-workers instance-type=ml.g5.12xlarge count=2")
    question = blocks_text(ask)
    assert "add instance group `extra-workers` to `hp-cluster`: +2 × ml.g5.12xlarge, ≈ +$11.34 an hour" in question
    groups = aws.sagemaker.describe_cluster(ClusterName="hp-cluster")["InstanceGroups"]
    assert "extra-workers" not in [g["InstanceGroupName"] for g in groups], "nothing changes before the confirmation"
    aws_bot.click("hpops.confirm", button_value(ask, "hpops.confirm"), user=OPERATOR, response_url=receiver.url)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        groups = aws.sagemaker.describe_cluster(ClusterName="hp-cluster")["InstanceGroups"]
        added = [g for g in groups if g["InstanceGroupName"] == "extra-workers"]
        if added:
            break
        time.sleep(0.2)
    assert added and added[0]["TargetCount"] == 2 and added[0]["InstanceType"] == "ml.g5.12xlarge", groups


def test_nodegroup_create_and_delete_behind_confirmation(aws_bot, receiver, aws):
    ask = answer(aws_bot, receiver, "nodegroup create train-ng instance-type=g5.xlarge desired=2 capacity=spot labels=team:ml")
    question = blocks_text(ask)
    assert "create node group `train-ng` in `hpops-demo`: +2 × g5.xlarge, ≈ +$2.01 an hour at on-demand prices" in question, question
    aws_bot.click("hpops.confirm", button_value(ask, "hpops.confirm"), user=OPERATOR, response_url=receiver.url)
    deadline = time.monotonic() + 30
    while "Created node group train-ng" not in "".join(blocks_text(p["json"]) for p in receiver.posts):
        assert time.monotonic() < deadline, receiver.posts
        time.sleep(0.2)
    created = aws.eks.describe_nodegroup(clusterName="hpops-demo", nodegroupName="train-ng")["nodegroup"]
    assert created["capacityType"] == "SPOT" and created["labels"] == {"team": "ml"}
    assert created["subnets"], "subnets were copied from an existing node group"

    ask = answer(aws_bot, receiver, "nodegroup delete train-ng", user=ADMIN)
    aws_bot.click("hpops.confirm", button_value(ask, "hpops.confirm"), user=ADMIN, response_url=receiver.url)
    while "train-ng" in aws.eks.list_nodegroups(clusterName="hpops-demo")["nodegroups"]:
        assert time.monotonic() < deadline + 30
        time.sleep(0.2)


def test_aws_down_is_a_clear_message(aws_bot, receiver, moto):
    import urllib.request
    urllib.request.urlopen(urllib.request.Request(moto + "/moto-api/reset", method="POST")).read()
    text = blocks_text(answer(aws_bot, receiver, "nodegroups", user=VIEWER))
    assert "no EKS cluster" in text, text


def test_aws_unreachable_is_a_clear_message_not_a_hang(receiver):
    import tempfile
    from conftest import Bot, free_port
    with tempfile.TemporaryDirectory() as tmp:
        bot = Bot(tmp, aws_endpoint=f"http://127.0.0.1:{free_port()}")  # nothing listens there
        try:
            started = time.monotonic()
            text = blocks_text(answer(bot, receiver, "nodegroups", user=VIEWER))
            # Named as the service; the address it tried goes to the log, not the channel.
            assert "AWS EKS did not answer (Unreachable)" in text, text
            assert "127.0.0.1" not in text, text
            assert "127.0.0.1" in bot.logs()
            assert time.monotonic() - started < 30
        finally:
            bot.stop()
