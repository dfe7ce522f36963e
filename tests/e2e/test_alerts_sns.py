"""AWS SNS deliveries to /alerts/sns, signed in the test with a certificate
it generates, issued to sns.amazonaws.com by a test CA. The server under test
is tests/support/hpops_test_server, in which AWS's certificate host is
redirected to the test's HTTP server and the test CA is the only trusted root
(the shipped `hpops` can do neither); URL checks still see AWS's host names."""
import base64
import contextlib
import datetime
import json
import tempfile
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from conftest import Bot
from alerts_support import BOT_TOKEN, DEFAULT_CHANNEL, SlackApiStandIn, alerts_env, alerts_yaml, message_text

TOPIC = "arn:aws:sns:us-east-1:123456789012:gpu-alarms"
OTHER_TOPIC = "arn:aws:sns:us-east-1:123456789012:someone-elses"
CERT_PATH = "/SimpleNotificationService-0000000000000000000000.pem"
CERT_URL = "https://sns.us-east-1.amazonaws.com" + CERT_PATH


def make_ca():
    """The test's stand-in for the roots AWS's signing certificates chain to."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hpops test SNS CA")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


TEST_CA = make_ca()


def make_key_and_cert(common_name="sns.amazonaws.com", ca=TEST_CA, issuer_url=None):
    """A signing key and its certificate, issued by `ca` to `common_name` (CN and SAN);
    with `issuer_url`, an Authority Information Access naming where `ca` is published."""
    ca_key, ca_cert = ca
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(ca_cert.subject).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
               .not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.SubjectAlternativeName([x509.DNSName(common_name)]), critical=False))
    if issuer_url:
        builder = builder.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
            x509.oid.AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(issuer_url))]),
            critical=False)
    return key, builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


def make_intermediate(ca=TEST_CA):
    """An intermediate CA under `ca`, as Amazon's signing certificates have."""
    ca_key, ca_cert = ca
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hpops test SNS intermediate")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def sns_ca_env(tmp):
    """HPOPS_TEST_SNS_CA for hpops_test_server: the file with TEST_CA's certificate."""
    path = f"{tmp}/sns-test-ca.pem"
    with open(path, "wb") as f:
        f.write(TEST_CA[1].public_bytes(serialization.Encoding.PEM))
    return {"HPOPS_TEST_SNS_CA": path}


class FakeAws:
    """Serves the signing certificate and records ConfirmSubscription calls."""

    def __init__(self, pem, files=None):
        self.pem = pem
        self.files = files or {}  # other paths it serves, as Amazon Trust Services does its intermediates
        self.requests = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake.requests.append(self.path)
                if self.path == CERT_PATH:
                    body, status = fake.pem, 200
                elif self.path in fake.files:
                    body, status = fake.files[self.path], 200
                elif self.path.startswith("/?Action=ConfirmSubscription"):
                    body, status = b"<ConfirmSubscriptionResponse/>", 200
                else:
                    body, status = b"not found", 404
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def string_to_sign(m):
    if m["Type"] == "Notification":
        keys = ["Message", "MessageId"] + (["Subject"] if "Subject" in m else []) + ["Timestamp", "TopicArn", "Type"]
    else:
        keys = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
    return "".join(f"{k}\n{m[k]}\n" for k in keys).encode()


def sign(m, key, version="1"):
    m = dict(m, SignatureVersion=version, SigningCertURL=m.get("SigningCertURL", CERT_URL))
    digest = hashes.SHA1() if version == "1" else hashes.SHA256()
    m["Signature"] = base64.b64encode(key.sign(string_to_sign(m), padding.PKCS1v15(), digest)).decode()
    return m


def sns_timestamp(ago=datetime.timedelta(0)):
    """SNS's own format: ISO 8601 in UTC with milliseconds."""
    at = datetime.datetime.now(datetime.timezone.utc) - ago
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def notification(message, topic=TOPIC, subject="ALARM: \"gpu-util\" in US East (N. Virginia)",
                 ago=datetime.timedelta(seconds=2)):
    m = {"Type": "Notification", "MessageId": str(uuid.uuid4()), "TopicArn": topic, "Message": message,
         "Timestamp": sns_timestamp(ago),
         "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x"}
    if subject is not None:
        m["Subject"] = subject
    return m


def alarm(state, reason, changed="2026-11-23T10:05:00.000+0000"):
    return json.dumps({
        "AlarmName": "gpu-util-low", "AlarmDescription": "GPU utilisation under 10%",
        "AWSAccountId": "123456789012", "NewStateValue": state, "NewStateReason": reason,
        "StateChangeTime": changed, "Region": "US East (N. Virginia)",
        "AlarmArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:gpu-util-low", "OldStateValue": "OK",
        "Trigger": {"MetricName": "GPUUtilization", "Namespace": "ContainerInsights", "StatisticType": "Statistic",
                    "Statistic": "AVERAGE", "Period": 300, "EvaluationPeriods": 1,
                    "ComparisonOperator": "LessThanThreshold", "Threshold": 10.0,
                    "Dimensions": [{"name": "ClusterName", "value": "hpops-demo"},
                                   {"name": "NodegroupName", "value": "gpu-ng"}]}})


@contextlib.contextmanager
def running_sns_bot(key_and_pem=None, files=None):
    """The server (HPOPS_BINARY: hpops_test_server) with the fake AWS and the
    test CA; yields (bot, signing key, FakeAws, Slack stand-in)."""
    key, pem = key_and_pem or make_key_and_cert()
    aws = FakeAws(pem, files)
    slack = SlackApiStandIn(BOT_TOKEN)
    extra = f"  sns:\n    topic_arns: [\"{TOPIC}\"]\n"
    with tempfile.TemporaryDirectory() as tmp:
        bot = Bot(tmp, extra_yaml=alerts_yaml(slack.url, extra=extra),
                  extra_env={**alerts_env(slack.url), "HPOPS_TEST_SNS_ENDPOINT": aws.base, **sns_ca_env(tmp)})
        try:
            yield bot, key, aws, slack
        finally:
            bot.stop()
            aws.close()
            slack.close()


@pytest.fixture
def sns():
    with running_sns_bot() as running:
        yield running


def deliver(bot, m):
    return bot.post("/alerts/sns", json.dumps(m), sign=False,
                    headers={"Content-Type": "text/plain; charset=UTF-8", "x-amz-sns-message-type": m["Type"]})


def confirmation(topic=TOPIC):
    token = "2336412f37fb687f5d51e6e2425f004aed7b9a5bb3c9bdb3b1c8a1a4c3e9e0a1"
    return {"Type": "SubscriptionConfirmation", "MessageId": str(uuid.uuid4()), "Token": token, "TopicArn": topic,
            "Message": f"You have chosen to subscribe to the topic {topic}.",
            "SubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn="
                            + urllib.parse.quote(topic, safe="") + "&Token=" + token,
            "Timestamp": sns_timestamp()}


def test_subscription_is_confirmed_only_for_configured_topics(sns):
    bot, key, aws, _ = sns
    assert deliver(bot, sign(confirmation(), key))[0] == 200
    confirms = [p for p in aws.requests if p.startswith("/?Action=ConfirmSubscription")]
    assert len(confirms) == 1 and "Token=2336412f" in confirms[0]
    status, text = deliver(bot, sign(confirmation(OTHER_TOPIC), key))
    assert status == 403 and "not in alerts.sns.topic_arns" in text
    assert len([p for p in aws.requests if p.startswith("/?Action=ConfirmSubscription")]) == 1
    assert "refused with 403" in bot.logs()


@pytest.mark.parametrize("version", ["1", "2"])
def test_cloudwatch_alarm_fires_then_resolves_the_same_message(sns, version):
    bot, key, aws, slack = sns
    status, text = deliver(bot, sign(notification(alarm("ALARM", "Threshold Crossed: 1 datapoint [3.0] < 10.0")),
                                     key, version))
    assert status == 200, text
    post = slack.wait_for(lambda c: len(c) >= 1, what="alarm post")[0]
    assert post["json"]["channel"] == DEFAULT_CHANNEL
    body = message_text(post["json"])
    assert "Firing: gpu-util-low" in body and "Threshold Crossed" in body and "NodegroupName=gpu-ng" in body
    ok = sign(notification(alarm("OK", "Threshold Crossed: back above 10", changed="2026-11-23T10:35:00.000+0000"),
                           subject="OK: \"gpu-util\""), key, version)
    assert deliver(bot, ok)[0] == 200
    update = slack.wait_for(lambda c: any(x["method"] == "chat.update" for x in c), what="alarm update")[-1]
    assert update["json"]["ts"] == post["ts"]
    assert "Resolved: gpu-util-low" in message_text(update["json"]) and "30m 0s" in message_text(update["json"])
    # One certificate fetch for every message signed with it.
    assert aws.requests.count(CERT_PATH) == 1


def test_forged_or_tampered_messages_are_refused(sns):
    bot, key, aws, slack = sns
    other_key, _ = make_key_and_cert()
    status, text = deliver(bot, sign(notification(alarm("ALARM", "x")), other_key))
    assert status == 403 and "signature does not match" in text
    tampered = sign(notification(alarm("ALARM", "x")), key)
    tampered["Message"] = alarm("ALARM", "something else")
    assert deliver(bot, tampered)[0] == 403
    no_subject = sign(notification(alarm("ALARM", "x")), key)
    no_subject.pop("Subject")  # a signed field left out
    assert deliver(bot, no_subject)[0] == 403
    assert "refused with 403" in bot.logs() and slack.calls == []


def test_a_replayed_old_notification_cannot_bring_back_a_resolved_alarm(sns):
    bot, key, aws, slack = sns
    fired = sign(notification(alarm("ALARM", "Threshold Crossed")), key)
    assert deliver(bot, fired)[0] == 200
    slack.wait_for(lambda c: len(c) >= 1, what="alarm post")
    ok = sign(notification(alarm("OK", "back", changed="2026-11-23T10:35:00.000+0000"), subject="OK"), key)
    assert deliver(bot, ok)[0] == 200
    slack.wait_for(lambda c: any(x["method"] == "chat.update" for x in c), what="resolve")
    calls = len(slack.calls)
    # The same kind of ALARM, validly signed by AWS but two hours ago: captured and replayed.
    replay = sign(notification(alarm("ALARM", "Threshold Crossed"), ago=datetime.timedelta(hours=2)), key)
    status, text = deliver(bot, replay)
    assert status == 400 and "more than alerts.sns.max_message_age (3600 s)" in text, text
    future = sign(notification(alarm("ALARM", "x"), ago=-datetime.timedelta(minutes=30)), key)
    status, text = deliver(bot, future)
    assert status == 400 and "in the future" in text, text
    time.sleep(0.5)  # anything the refused messages had started would have reached Slack by now
    assert len(slack.calls) == calls
    assert "refused with 400" in bot.logs()


@pytest.mark.parametrize("url", [
    "https://evil.example.com/SimpleNotificationService-1.pem",
    "http://sns.us-east-1.amazonaws.com" + CERT_PATH,
    "https://sns.us-east-1.amazonaws.com.evil.example" + CERT_PATH,
    "https://sns.us-east-1.amazonaws.com@evil.example" + CERT_PATH,
    "https://sns.us-east-1.amazonaws.com:8443" + CERT_PATH,
    "https://sns.us-east-1.amazonaws.com/not-a-certificate",
])
def test_certificate_urls_off_aws_are_refused(sns, url):
    bot, key, aws, _ = sns
    status, text = deliver(bot, sign(dict(notification(alarm("ALARM", "x")), SigningCertURL=url), key))
    assert status == 400 and "SigningCertURL" in text
    assert aws.requests == []
    assert "refused with 400" in bot.logs()


def test_bad_envelopes(sns):
    bot, key, _, _ = sns
    assert deliver(bot, {"Type": "Notification"})[0] == 400
    status, text = bot.post("/alerts/sns", "{", sign=False, headers={"Content-Type": "text/plain"})
    assert status == 400 and "not valid JSON" in text
    m = sign(notification("plain text"), key)
    m["SignatureVersion"] = "3"
    assert deliver(bot, m)[0] == 400


def test_a_leaf_certificate_is_completed_with_its_published_issuer():
    """AWS's PEM may hold the signing certificate alone; its issuer is then
    fetched from the Authority Information Access URL, only on amazontrust.com
    (DER, as Amazon Trust Services publishes it), and kept for the next."""
    issuer_path = "/sca9z.cer"
    intermediate = make_intermediate()
    leaf = make_key_and_cert(ca=intermediate, issuer_url="http://crt.sca9z.amazontrust.com" + issuer_path)
    der = intermediate[1].public_bytes(serialization.Encoding.DER)
    with running_sns_bot(leaf, {issuer_path: der}) as (bot, key, aws, slack):
        status, text = deliver(bot, sign(notification(alarm("ALARM", "Threshold Crossed")), key))
        assert status == 200, text
        slack.wait_for(lambda c: len(c) >= 1, what="alarm post")
        assert aws.requests.count(issuer_path) == 1, aws.requests

    # Issued by the same intermediate but naming a host off amazontrust.com: not fetched, refused.
    elsewhere = make_key_and_cert(ca=intermediate, issuer_url="http://crt.evil.example" + issuer_path)
    with running_sns_bot(elsewhere, {issuer_path: der}) as (bot, key, aws, slack):
        status, text = deliver(bot, sign(notification(alarm("ALARM", "x")), key))
        assert status == 403 and "not trusted" in text, text
        assert issuer_path not in aws.requests
