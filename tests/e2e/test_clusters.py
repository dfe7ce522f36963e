"""Cluster launches from chat, end to end (#13): `hpops serve` with moto (its
CloudFormation extended by the harness: stacks in time, resource by
resource, rollbacks, paced deletes, EKS and HyperPod clusters made by the
template) and the Slack Web API stand-in. A launch is confirmed with its
cost, followed as a job in one message to CREATE_COMPLETE, survives kill -9,
ends a rollback as failed with the failing resource on top, and a delete
asks first and refuses a stack hpops did not launch. The second step
(context, nodes, base resources) runs against the real kube-apiserver peer."""
import base64
import json
import os
import signal
import time
import urllib.parse
import urllib.request

import boto3
import pytest
import yaml

from alerts_support import BOT_TOKEN, message_text
from conftest import ADMIN, CHANNEL, OPERATOR, PEERS, Bot
from models_fixtures import KubeApi, kube_peer  # noqa: F401
from test_alerts import slack_api, tmpdir_path  # noqa: F401
from test_jobs import slack, tmp  # noqa: F401
from test_slack_commands import blocks_text
from test_slack_interactions import button_value

LAUNCH = "cluster launch c1 az=us-west-2a,us-west-2b"
CLUSTERS_YAML = "clusters:\n  poll_interval: 200ms\n  configure_kubernetes: false\n"


@pytest.fixture
def cfn(moto):
    return boto3.client("cloudformation", endpoint_url=moto, region_name="us-west-2",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def harness(moto, path, **query):
    url = f"{moto}/hpops/{path}?{urllib.parse.urlencode(query)}"
    urllib.request.urlopen(urllib.request.Request(url, method="POST"), timeout=10).read()


def stack_of_others(cfn, name):
    """A stack made without hpops, as a team's own would be."""
    cfn.create_stack(StackName=name, TemplateBody="Resources:\n  Queue: {Type: AWS::SQS::Queue}\n")


def start_bot(tmp, moto, slack, configure_kubernetes=False, port=None):
    """configure_kubernetes: the second step's Kubernetes part, which needs the kube peer."""
    yaml_text = CLUSTERS_YAML.replace("false", "true") if configure_kubernetes else CLUSTERS_YAML
    return Bot(tmp, aws_endpoint=moto, extra_yaml=yaml_text,
               extra_env={"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": slack.url}, port=port)


def ask(bot, receiver, text, user=ADMIN):
    """The command's answer as a Slack message. An answer slower than the
    inline budget (moto's ValidateTemplate runs cfn-lint: seconds) comes as
    an acknowledgement, then at response_url, as Slack delivers it."""
    before = len(receiver.posts)
    status, body = bot.command(text, user=user, channel=CHANNEL, response_url=receiver.url)
    assert status == 200, body
    answer = json.loads(body)
    if answer.get("text", "").startswith(":hourglass_flowing_sand:"):
        answer = receiver.wait_for(before + 1, timeout=30)[before]["json"]
    return answer


def confirm(bot, receiver, message, user=ADMIN):
    status, body = bot.click("hpops.confirm", button_value(message, "hpops.confirm"), user=user, channel=CHANNEL,
                             response_url=receiver.url)
    assert status == 200, body


def texts_of(calls):
    return [message_text(c["json"]) for c in calls]


def wait_for_text(slack, needle, timeout=40):
    try:
        return slack.wait_for(lambda c: any(needle in t for t in texts_of(c)), timeout=timeout, what=needle)
    except AssertionError as e:
        raise AssertionError(f"{e}\nthe messages said:\n" + "\n---\n".join(texts_of(slack.ok_calls()))) from None


def launch(bot, receiver, slack, text=LAUNCH):
    question = ask(bot, receiver, text)
    assert "hpops.confirm" in json.dumps(question), blocks_text(question)
    confirm(bot, receiver, question)
    slack.wait_for(lambda c: any(x["method"] == "chat.postMessage" for x in c), what="the launch's message")
    return question


def test_a_launch_is_confirmed_with_its_cost_and_followed_to_the_end(tmp, moto, slack, receiver, cfn):
    harness(moto, "config", update_seconds=4)
    bot = start_bot(tmp, moto, slack)
    try:
        question = blocks_text(ask(bot, receiver, LAUNCH))
        for expected in ("Launch cluster `c1` in us-west-2", "`gpu-workers`: 2 × ml.g5.8xlarge", "≈ $4.90 an hour ($117.50 a day)",
                         "CAPABILITY_IAM", "ResourceNamePrefix = c1", "AvailabilityZone2 = us-west-2b"):
            assert expected in question, (expected, question)
        assert cfn.list_stacks()["StackSummaries"] == [], "nothing is created before the confirmation"

        started = time.monotonic()
        launch(bot, receiver, slack)
        calls = wait_for_text(slack, "`c1` is ready")
        took = time.monotonic() - started
        posts = [c for c in calls if c["method"] == "chat.postMessage"]
        edits = [c for c in calls if c["method"] == "chat.update"]
        assert len(posts) == 1 and all(e["json"]["ts"] == posts[0]["ts"] for e in edits), "one message, edited"
        progress = [t for t in texts_of(edits) if "Launching `c1`: CREATE_IN_PROGRESS" in t]
        assert progress, texts_of(calls)
        assert any("Now: " in t for t in progress), "what is under way is named"
        final = texts_of(calls)[-1]
        for check in ("Launched `c1`", "HyperPod cluster `c1` InService: gpu-workers 2/2 InService",
                      "EKS cluster `c1-eks` ACTIVE: Kubernetes"):
            assert check in final, (check, final)

        stack = cfn.describe_stacks(StackName="c1")["Stacks"][0]
        assert stack["StackStatus"] == "CREATE_COMPLETE"
        assert {"Key": "hpops:launched-by", "Value": ADMIN} in stack["Tags"]
        events = cfn.describe_stack_events(StackName="c1")["StackEvents"]
        print(f"\nfollowed {len(events)} events in {took:.1f} s: {len(events) / took * 60:.0f} events a minute")

        status = blocks_text(ask(bot, receiver, "cluster status c1"))
        for expected in ("Stack CREATE_COMPLETE", "c1-eks", "HyperPod", "gpu-workers",
                         "EksClusterName"):
            assert expected in status, (expected, status)
        listing = blocks_text(ask(bot, receiver, "clusters"))
        assert "c1" in listing and "launched by uadmin01" in listing and "CREATE_COMPLETE" in listing, listing
        assert "hp-cluster" in listing, "a HyperPod cluster hpops did not launch is listed too"
        assert "c1-eks" not in listing, "the launch's own EKS cluster is part of it"
        assert "Launched from chat by <@UADMIN01>" in status, status
        log = blocks_text(ask(bot, receiver, "cluster logs c1 last=5"))
        assert "last 5 of" in log and "CREATE_COMPLETE" in log, log
        rows = [r for r in bot.audit() if r["command"] == "cluster launch" and r["outcome"] != "confirm-requested"]
        assert [r["outcome"] for r in rows] == ["ok"] and rows[0]["actor_id"] == ADMIN, rows
    finally:
        bot.stop()


def test_a_rollback_ends_the_job_failed_with_the_failing_resource_on_top(tmp, moto, slack, receiver, cfn):
    harness(moto, "config", update_seconds=2)
    reason = ("Resource handler returned message: \"You have reached the quota of 0 for ml.g5.8xlarge cluster "
              "usage (Service: SageMaker, Status Code: 400)\"")
    harness(moto, "stack-failure", resource="HyperPodCluster", reason=reason)
    bot = start_bot(tmp, moto, slack)
    try:
        launch(bot, receiver, slack)
        calls = wait_for_text(slack, "ended ROLLBACK_")
        final = calls[-1]["json"]
        text = message_text(final)
        assert text.index("HyperPodCluster") < text.index("ended ROLLBACK_"), text
        assert "You have reached the quota" in text and "cancelled" not in text.split("ended")[0], text
        assert cfn.describe_stacks(StackName="c1")["Stacks"][0]["StackStatus"] == "ROLLBACK_COMPLETE", \
            "the stack is left for a look"
        log = blocks_text(ask(bot, receiver, "cluster logs c1"))
        assert "First failure: *HyperPodCluster*" in log, log
        jobs = blocks_text(ask(bot, receiver, "jobs status=failed"))
        assert "cluster c1" in jobs, jobs
    finally:
        bot.stop()


def test_a_restart_in_the_middle_of_a_launch_keeps_editing_the_same_message(tmp, moto, slack, receiver, cfn):
    harness(moto, "config", update_seconds=8)
    bot = start_bot(tmp, moto, slack)
    try:
        launch(bot, receiver, slack)
        [posted] = [c for c in slack.ok_calls() if c["method"] == "chat.postMessage"]
        time.sleep(1.0)  # a few steps in
        bot.proc.send_signal(signal.SIGKILL)
        bot.proc.wait(timeout=15)
    finally:
        bot.stop()
    before = len(slack.ok_calls())
    restarted = time.monotonic()
    bot = start_bot(tmp, moto, slack, port=bot.port)  # restarted in place
    try:
        slack.wait_for(lambda c: any(x["method"] == "chat.update" for x in c[before:]), what="an edit after restart")
        resumed_in = time.monotonic() - restarted
        calls = wait_for_text(slack, "Launched `c1`")
        assert len([c for c in calls if c["method"] == "chat.postMessage"]) == 1, "no second message"
        assert {c["json"]["ts"] for c in calls if c["method"] == "chat.update"} == {posted["ts"]}
        assert any("Launching `c1`" in t for t in texts_of(calls[:before])), "it was mid-launch when killed"
        print(f"\nthe launch's message was edited again {resumed_in:.2f} s after the restart")
    finally:
        bot.stop()


def test_delete_asks_naming_the_resources_and_follows_to_delete_complete(tmp, moto, slack, receiver, cfn, aws):
    harness(moto, "config", update_seconds=1)
    bot = start_bot(tmp, moto, slack)
    try:
        launch(bot, receiver, slack)
        wait_for_text(slack, "`c1` is ready")
        assert "Not permitted" in blocks_text(ask(bot, receiver, "cluster delete c1", user=OPERATOR))
        question = ask(bot, receiver, "cluster delete c1")
        text = blocks_text(question)
        for expected in ("Delete cluster `c1`", "EKS::Cluster `c1-eks`", "SageMaker::Cluster", "EC2::VPC",
                         "cannot be brought back"):
            assert expected in text, (expected, text)
        assert cfn.describe_stacks(StackName="c1")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
        confirm(bot, receiver, question)
        wait_for_text(slack, "Deleted `c1`")
        assert "c1-eks" not in aws.eks.list_clusters()["clusters"]
        assert "c1" not in [c["ClusterName"] for c in aws.sagemaker.list_clusters()["ClusterSummaries"]]
        log = blocks_text(ask(bot, receiver, "cluster logs c1 last=200"))
        assert "DELETE_COMPLETE" in log and "CREATE_COMPLETE" in log, log
        assert "gone" in blocks_text(ask(bot, receiver, "cluster status c1"))
    finally:
        bot.stop()


def test_a_stack_hpops_did_not_launch_is_refused_unless_forced(tmp, moto, slack, receiver, cfn):
    harness(moto, "config", update_seconds=0)
    stack_of_others(cfn, "team-stack")
    bot = start_bot(tmp, moto, slack)
    try:
        refused = blocks_text(ask(bot, receiver, "cluster delete team-stack"))
        assert "not launched by hpops" in refused and "force=yes" in refused, refused
        assert "hpops.confirm" not in json.dumps(ask(bot, receiver, "cluster delete team-stack"))
        asked = ask(bot, receiver, "cluster delete team-stack force=yes")
        assert "hpops did not launch this stack" in blocks_text(asked)
        confirm(bot, receiver, asked)
        wait_for_text(slack, "Deleted `team-stack`")
        assert "No stack named `nope`" in blocks_text(ask(bot, receiver, "cluster delete nope"))
    finally:
        bot.stop()


def test_a_template_by_url_gets_aws_parameter_names(tmp, moto, slack, receiver, cfn):
    """AWS's main-stack-eks-based-template.yaml names its parameters
    ResourceNamePrefix, AvailabilityZoneIds, NodeRecovery and
    InstanceGroupSettings1 (a JSON string); a template with those, from S3."""
    harness(moto, "config", update_seconds=0)
    template = """
Parameters:
  ResourceNamePrefix: {Type: String}
  AvailabilityZoneIds: {Type: String, Description: Comma-separated zone ids}
  NodeRecovery: {Type: String, Default: Automatic}
  InstanceGroupSettings1: {Type: String, Default: "[]"}
  CreateHelmChartStack: {Type: String, Default: "true"}
Resources:
  Queue: {Type: AWS::SQS::Queue, Properties: {QueueName: !Ref ResourceNamePrefix}}
Outputs:
  Zones: {Value: !Ref AvailabilityZoneIds}
  Recovery: {Value: !Ref NodeRecovery}
  Groups: {Value: !Ref InstanceGroupSettings1}
  Helm: {Value: !Ref CreateHelmChartStack}
"""
    s3 = boto3.client("s3", endpoint_url=moto, region_name="us-west-2", aws_access_key_id="testing",
                      aws_secret_access_key="testing")
    s3.create_bucket(Bucket="team-templates", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    s3.put_object(Bucket="team-templates", Key="main-stack-eks-based-template.yaml", Body=template.encode())
    url = "https://team-templates.s3.us-west-2.amazonaws.com/main-stack-eks-based-template.yaml"
    bot = start_bot(tmp, moto, slack)
    try:
        missing = blocks_text(ask(bot, receiver, f"cluster launch byurl template={url}"))
        assert "AvailabilityZoneIds" in missing and "Comma-separated zone ids" in missing, missing
        question = ask(bot, receiver, f"cluster launch byurl template={url} az=usw2-az1 count=4 "
                                      f"instance-type=ml.p5.48xlarge recovery=none param.createhelmchartstack=false")
        text = blocks_text(question)
        assert "4 × ml.p5.48xlarge" in text and "$393.28 an hour" in text, text
        confirm(bot, receiver, question)
        final = texts_of(wait_for_text(slack, "`byurl` is ready"))[-1]
        assert "Launched `byurl`" in final and "not part of this stack" in final, final
        params = {p["ParameterKey"]: p["ParameterValue"]
                  for p in cfn.describe_stacks(StackName="byurl")["Stacks"][0]["Parameters"]}
        groups = json.loads(params["InstanceGroupSettings1"])
        assert groups[0]["InstanceType"] == "ml.p5.48xlarge" and groups[0]["InstanceCount"] == 4, groups
        assert params["AvailabilityZoneIds"] == "usw2-az1" and params["NodeRecovery"] == "None"
        assert params["CreateHelmChartStack"] == "false", "param. takes the template's own spelling"
    finally:
        bot.stop()


def test_a_launch_in_another_region_is_made_followed_and_torn_down_there(tmp, moto, slack, receiver, cfn):
    """aws.region is us-west-2; region=us-east-1 launches there, the job
    follows and checks it there, and status, logs and delete find it there
    without being told again."""
    harness(moto, "config", update_seconds=1)
    east = {name: boto3.client(name, endpoint_url=moto, region_name="us-east-1", aws_access_key_id="testing",
                               aws_secret_access_key="testing") for name in ("cloudformation", "eks", "sagemaker")}
    stack_of_others(cfn, "west-only")
    bot = start_bot(tmp, moto, slack)
    try:
        question = launch(bot, receiver, slack, "cluster launch east1 region=us-east-1 az=us-east-1a,us-east-1b")
        text = blocks_text(question)
        assert "Launch cluster `east1` in us-east-1" in text and "AvailabilityZone1 = us-east-1a" in text, text
        final = texts_of(wait_for_text(slack, "`east1` is ready"))[-1]
        for expected in ("HyperPod cluster `east1` InService", "EKS cluster `east1-eks` ACTIVE",
                         "CloudFormation `east1` in us-east-1"):
            assert expected in final, (expected, final)
        assert east["cloudformation"].describe_stacks(StackName="east1")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
        assert "east1-eks" in east["eks"].list_clusters()["clusters"]
        assert "east1" in [c["ClusterName"] for c in east["sagemaker"].list_clusters()["ClusterSummaries"]]
        assert "east1" not in [s["StackName"] for s in cfn.list_stacks()["StackSummaries"]], "nothing in us-west-2"

        status = blocks_text(ask(bot, receiver, "cluster status east1"))
        assert "us-east-1" in status and "Stack CREATE_COMPLETE" in status and "east1-eks" in status, status
        assert "CREATE_COMPLETE" in blocks_text(ask(bot, receiver, "cluster logs east1 last=3"))
        home = blocks_text(ask(bot, receiver, "clusters"))
        assert "west-only" in home and "`/hp clusters region=us-east-1`" in home, home
        there = blocks_text(ask(bot, receiver, "clusters region=us-east-1"))
        assert "Clusters in us-east-1" in there and "launched by" in there and "west-only" not in there, there
        missing = blocks_text(ask(bot, receiver, "cluster status west-only region=us-east-1"))
        assert "No stack named `west-only` in us-east-1" in missing, missing
        assert "did you mean `us-east-1`" in blocks_text(ask(bot, receiver, "clusters region=us-east-l"))

        asked = ask(bot, receiver, "cluster delete east1")
        assert "EKS::Cluster `east1-eks`" in blocks_text(asked), blocks_text(asked)
        confirm(bot, receiver, asked)
        wait_for_text(slack, "Deleted `east1`")
        assert "east1-eks" not in east["eks"].list_clusters()["clusters"]
        assert cfn.describe_stacks(StackName="west-only")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    finally:
        bot.stop()


def test_bad_launches_are_refused_with_the_rule(tmp, moto, slack, receiver, cfn):
    harness(moto, "config", update_seconds=0)
    stack_of_others(cfn, "taken")
    bot = start_bot(tmp, moto, slack)
    try:
        cases = {
            "cluster launch 9lives": "a letter, then letters, digits and hyphens",
            "cluster launch taken az=us-west-2a,us-west-2b": "A stack named `taken` already exists",
            "cluster launch c2 region=us-wset-2": "did you mean `us-west-2`",
            "cluster launch c2 template=http://bucket.s3.amazonaws.com/t.yaml": "https:// URL of a template in S3",
            "cluster launch c2 template=https://example.com/t.yaml": "template in S3",
            "cluster launch c2": "AvailabilityZone1",
            "cluster launch c2 az=us-west-2a,us-west-2b spot=yes": "no spot capacity",
            "cluster launch c2 az=us-west-2a,us-west-2b param.vpccidrr=10.0.0.0/16": "did you mean `param.VpcCidr`",
            "cluster launch c2 count=0": "1 to 1000",
            "cluster launch c2 param.=x": "param.KEY",
        }
        for command, expected in cases.items():
            answer = blocks_text(ask(bot, receiver, command))
            assert expected in answer, (command, answer)
        unpriced = ask(bot, receiver, "cluster launch c2 az=us-west-2a,us-west-2b instance-type=ml.g6e.2xlarge")
        assert "unknown: no price for `ml.g6e.2xlarge`" in blocks_text(unpriced), blocks_text(unpriced)
        assert "hpops.confirm" in json.dumps(unpriced), "the launch is still possible"
        assert [s["StackName"] for s in cfn.list_stacks()["StackSummaries"]] == ["taken"], "nothing was created"

        # A quota AWS refuses CreateStack on: its code and message, after the confirmation.
        harness(moto, "stack-quota", stacks=1)
        question = ask(bot, receiver, "cluster launch c2 az=us-west-2a,us-west-2b")
        before = len(receiver.posts)
        confirm(bot, receiver, question)
        deadline = time.monotonic() + 30
        while not any("StacksPerRegion" in blocks_text(p["json"]) for p in receiver.posts[before:]):
            assert time.monotonic() < deadline, [blocks_text(p["json"]) for p in receiver.posts[before:]]
            time.sleep(0.1)
        text = next(blocks_text(p["json"]) for p in receiver.posts[before:] if "StacksPerRegion" in blocks_text(p["json"]))
        assert "Cannot exceed quota for StacksPerRegion: 1" in text and "LimitExceededException" in text, text
    finally:
        bot.stop()


def test_the_second_step_writes_a_context_waits_for_nodes_and_applies_the_base_resources(tmp, moto, slack, receiver,
                                                                                         cfn, kube_peer):
    """EKS's API server is the real kube-apiserver peer here: the harness's
    EKS answers DescribeCluster with its URL and CA, and the peer takes EKS
    bearer tokens as EKS does (tests/peers/eks_token_webhook.py)."""
    with open(kube_peer["ca_file"], "rb") as f:
        ca = base64.b64encode(f.read()).decode()
    harness(moto, "eks-api-server", endpoint=kube_peer["server"], ca=ca)
    harness(moto, "config", update_seconds=1)
    api = KubeApi(kube_peer)
    bot = start_bot(tmp, moto, slack, configure_kubernetes=True)
    try:
        launch(bot, receiver, slack)
        waiting = texts_of(wait_for_text(slack, "Nodes joined: 0 Ready of 2"))[-1]
        assert "Kubernetes context `c1`: written to" in waiting, waiting
        # No kubelet runs here: the test registers the two nodes HyperPod's instances would.
        for i in range(2):
            name = f"hyperpod-i-{i}"
            api.create("/api/v1/nodes", {"metadata": {"name": name, "labels": {
                "sagemaker.amazonaws.com/compute-type": "hyperpod"}}})
            api.merge_status(f"/api/v1/nodes/{name}", {"conditions": [
                {"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "test"}]})
        final = texts_of(wait_for_text(slack, "`c1` is ready"))[-1]
        for expected in ("Nodes joined: 2 Ready of 2", "Base resources applied (deploy/cluster-setup): Namespace "
                         "hpops-system, ServiceAccount hpops, Namespace training, PersistentVolume s3-pv, "
                         "PersistentVolumeClaim s3-claim"):
            assert expected in final, (expected, final)

        bucket = {o["OutputKey"]: o["OutputValue"] for o in
                  cfn.describe_stacks(StackName="c1")["Stacks"][0]["Outputs"]}["ArtifactsBucketName"]
        pv = api.call("GET", "/api/v1/persistentvolumes/s3-pv")
        assert pv["spec"]["csi"]["volumeAttributes"]["bucketName"] == bucket
        assert "region us-west-2" in pv["spec"]["mountOptions"]
        assert [m["manager"] for m in pv["metadata"]["managedFields"]] == ["hpops"], "server-side apply, as hpops"
        assert api.call("GET", "/api/v1/namespaces/hpops-system/serviceaccounts/hpops")["metadata"]["name"] == "hpops"
        status = blocks_text(ask(bot, receiver, "cluster status c1"))
        assert "Kubernetes nodes: 2 Ready of 2." in status, status

        path = os.path.join(tmp, "hpops-clusters.kubeconfig")
        assert os.stat(path).st_mode & 0o777 == 0o600
        with open(path) as f:
            written = yaml.safe_load(f)
        [context] = [c for c in written["contexts"] if c["name"] == "c1"]
        [cluster] = [c for c in written["clusters"] if c["name"] == context["context"]["cluster"]]
        [user] = [u for u in written["users"] if u["name"] == context["context"]["user"]]
        assert cluster["cluster"]["server"] == kube_peer["server"]
        assert cluster["cluster"]["certificate-authority-data"] == ca
        assert user["user"]["exec"]["command"] == "aws"
        assert user["user"]["exec"]["args"] == ["--region", "us-west-2", "eks", "get-token", "--cluster-name",
                                                 "c1-eks", "--output", "json"]
    finally:
        bot.stop()


def test_aws_published_template_is_asked_with_its_own_parameter_names(tmp, moto, slack, receiver, cfn):
    """AWS's main-stack-eks-based-template.yaml as teams launch it today, by
    URL (tests/peers/aws_templates/, with its licence and commit). Its nested
    stacks come from AWS's buckets, so this stops at the confirmation."""
    harness(moto, "config", update_seconds=0)
    s3 = boto3.client("s3", endpoint_url=moto, region_name="us-west-2", aws_access_key_id="testing",
                      aws_secret_access_key="testing")
    s3.create_bucket(Bucket="hyperpod-templates", CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    with open(os.path.join(PEERS, "aws_templates", "main-stack-eks-based-template.yaml"), "rb") as f:
        s3.put_object(Bucket="hyperpod-templates", Key="main-stack-eks-based-template.yaml", Body=f.read())
    url = "https://hyperpod-templates.s3.us-west-2.amazonaws.com/main-stack-eks-based-template.yaml"
    bot = start_bot(tmp, moto, slack)
    try:
        text = blocks_text(ask(bot, receiver, f"cluster launch team1 template={url} az=usw2-az1,usw2-az2 "
                                              "instance-type=ml.g5.12xlarge count=2 eks-version=1.31"))
        for expected in ("Instance group `accelerated-instance-group-1`: 2 × ml.g5.12xlarge", "≈ $11.34 an hour",
                         "ResourceNamePrefix = team1", "HyperPodClusterName = team1", "EKSClusterName = team1-eks",
                         "AvailabilityZoneIds = usw2-az1,usw2-az2", "KubernetesVersion = 1.31",
                         "NodeRecovery = Automatic", "InstanceGroupSettings1 = [{",
                         "CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND"):
            assert expected in text, (expected, text)
        assert cfn.list_stacks()["StackSummaries"] == []
    finally:
        bot.stop()
