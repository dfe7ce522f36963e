"""Two-person approval (#15), end to end: `hpops serve` against moto with a
rule that changes of 8 GPUs or more in `scale nodegroup` need an admin's
approval. The requester confirms; the request appears in the channel; the
requester cannot approve it, an operator is not enough, an admin approves
and the scale runs as the requester's; a second press does nothing. A
smaller change runs at once; a request can be rejected or withdrawn; an
expired one is refused; the Confirm button cannot stand in for Approve.
Every answer is in the audit table."""
import json
import time

from conftest import ADMIN, OPERATOR, OPS_CHANNEL, VIEWER, Bot
from test_alerts import slack_api, tmpdir_path  # noqa: F401
from test_jobs import BOT_TOKEN, slack, tmp  # noqa: F401
from test_slack_commands import blocks_text
from test_slack_interactions import button_value

APPROVALS = """approvals:
  ttl: {ttl}
  rules:
    - name: big-gpu-changes
      commands: [scale nodegroup]
      min_gpus: 8
      approver: admin
"""


def start_bot(tmp, moto, slack, ttl="10m"):
    return Bot(tmp, aws_endpoint=moto, extra_yaml=APPROVALS.format(ttl=ttl),
               extra_env={"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": slack.url})


def desired(aws):
    return aws.eks.describe_nodegroup(clusterName="hpops-demo", nodegroupName="gpu-ng")["nodegroup"]["scalingConfig"][
        "desiredSize"]


class Chat:
    """The channel as the test sees it: each answer posted to response_url."""

    def __init__(self, bot, receiver):
        self.bot, self.receiver = bot, receiver

    def say(self, text, user=OPERATOR):
        status, body = self.bot.command(text, user=user, channel=OPS_CHANNEL, response_url=self.receiver.url)
        assert status == 200, body
        return json.loads(body)

    def press(self, action_id, value, user):
        before = len(self.receiver.posts)
        status, body = self.bot.click(action_id, value, user=user, channel=OPS_CHANNEL, response_url=self.receiver.url)
        assert status == 200, body
        return self.receiver.wait_for(before + 1, timeout=20)[before]["json"]

    def request_approval(self, text):
        """Asks for `text`, confirms it as the requester: the approval request."""
        asked = self.say(text)
        assert "Once you confirm, a second person must approve it: rule `big-gpu-changes`" in blocks_text(asked), asked
        request = self.press("hpops.confirm", button_value(asked, "hpops.confirm"), OPERATOR)
        assert "Approval needed" in blocks_text(request), request
        return request


def outcomes(bot, since=0):
    return [(r["actor_id"], r["outcome"]) for r in bot.audit()[since:] if r["command"] == "scale nodegroup"]


def test_a_big_change_runs_only_after_someone_else_with_the_role_approves_it(tmp, moto, slack, receiver, aws):
    bot = start_bot(tmp, moto, slack)
    chat = Chat(bot, receiver)
    try:
        before = desired(aws)
        request = chat.request_approval("scale ng gpu-ng desired=6")  # +2 × g5.12xlarge: +8 GPUs
        text = blocks_text(request)
        assert request.get("response_type") == "in_channel", "the second person must see it"
        assert "<@UOPS01> asks to run `/hp scale nodegroup gpu-ng desired=6`" in text, text
        assert "a change of 8 GPUs (at least 8 need it)" in text and "admin role" in text, text
        token = button_value(request, "hpops.approve")

        assert "Not done: you asked for this change" in blocks_text(chat.press("hpops.approve", token, OPERATOR))
        denied = blocks_text(chat.press("hpops.approve", token, VIEWER))  # an operator in this channel
        assert "admin" in denied and "Scaling" not in denied, denied
        assert "waits for a second person" in blocks_text(chat.press("hpops.confirm", token, OPERATOR)), \
            "the requester pressing Confirm with the approval's token"
        assert desired(aws) == before, "nothing ran yet"

        approved = chat.press("hpops.approve", token, ADMIN)
        assert "Scaling gpu-ng" in blocks_text(approved) and "Approved by <@UADMIN01" in blocks_text(approved), approved
        deadline = time.monotonic() + 20
        while desired(aws) != 6 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert desired(aws) == 6
        assert "Already answered" in blocks_text(chat.press("hpops.approve", token, ADMIN))

        rows = outcomes(bot)
        assert rows[:5] == [(OPERATOR, "confirm-requested"), (OPERATOR, "approval-requested"), (OPERATOR, "denied"),
                            (VIEWER, "denied"), (ADMIN, "approved")], rows
        assert rows[5][0] == OPERATOR and rows[5][1] in ("started", "ok"), "the change is the requester's"
        assert len(rows) == 6, rows

        # +4 GPUs: under the rule's 8, and a scale-up: runs at once.
        small = blocks_text(chat.say("scale ng gpu-ng desired=7"))
        assert "Scaling gpu-ng" in small, small
        dry = blocks_text(chat.say("scale ng gpu-ng desired=3 dry-run=yes"))
        assert "would need a second person's approval: rule `big-gpu-changes`: a change of 16 GPUs" in dry, dry
    finally:
        bot.stop()


def test_a_request_can_be_rejected_or_withdrawn_and_changes_nothing(tmp, moto, slack, receiver, aws):
    bot = start_bot(tmp, moto, slack)
    chat = Chat(bot, receiver)
    try:
        before = desired(aws)
        request = chat.request_approval("scale ng gpu-ng desired=0")
        token = button_value(request, "hpops.reject")
        denied = blocks_text(chat.press("hpops.reject", token, VIEWER))
        assert "admin" in denied, denied
        rejected = chat.press("hpops.reject", token, ADMIN)
        assert "Rejected by <@UADMIN01" in blocks_text(rejected) and "Nothing was changed" in blocks_text(rejected)
        assert "Already answered" in blocks_text(chat.press("hpops.approve", token, ADMIN))

        withdrawn = chat.press("hpops.reject", button_value(chat.request_approval("scale ng gpu-ng desired=8"),
                                                            "hpops.reject"), OPERATOR)
        assert "Withdrawn by <@UOPS01" in blocks_text(withdrawn), withdrawn
        assert desired(aws) == before
        rows = outcomes(bot)
        assert (ADMIN, "rejected") in rows and (OPERATOR, "withdrawn") in rows, rows
        assert not any(outcome in ("started", "ok", "approved") for _, outcome in rows), rows
    finally:
        bot.stop()


def test_an_expired_request_is_refused_and_audited(tmp, moto, slack, receiver, aws):
    bot = start_bot(tmp, moto, slack, ttl="2s")
    chat = Chat(bot, receiver)
    try:
        before = desired(aws)
        token = button_value(chat.request_approval("scale ng gpu-ng desired=6"), "hpops.approve")
        time.sleep(3)
        expired = blocks_text(chat.press("hpops.approve", token, ADMIN))
        assert "expired" in expired and "nothing was changed" in expired, expired
        assert desired(aws) == before
        assert (ADMIN, "approval-expired") in outcomes(bot)
    finally:
        bot.stop()
