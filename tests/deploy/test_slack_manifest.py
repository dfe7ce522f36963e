"""deploy/slack/manifest.yaml against the JSON Schema generated from the
Manifest type @slack/web-api publishes (deploy/slack/schema), and against the
code: the scopes it asks for are exactly those the Slack Web API methods hpops
calls need, and its URLs are hpops's routes."""
import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = yaml.safe_load((ROOT / "deploy/slack/manifest.yaml").read_text())
SCHEMA = json.loads((ROOT / "deploy/slack/schema/manifest.schema.json").read_text())

# What each Web API method hpops calls needs (docs.slack.dev/reference/methods).
# chat.postMessage also takes chat:write.public: digests and alerts are posted
# to channels named in the config, which the bot may not have joined.
SCOPES_OF_METHOD = {
    "chat.postMessage": {"chat:write", "chat:write.public"},
    "chat.update": {"chat:write"},
    "conversations.history": {"channels:history", "groups:history"},
    "conversations.replies": {"channels:history", "groups:history"},
}
# The /hp slash command needs `commands`.
SCOPES_OF_FEATURES = {"commands"}


def problems(manifest):
    return [e.message for e in jsonschema.Draft7Validator(SCHEMA).iter_errors(manifest)]


def methods_called():
    """The Slack Web API methods named in hpops's sources."""
    found = set()
    for source in ROOT.glob("*/**/*.cpp"):
        if source.parts[len(ROOT.parts)] in {"bot", "alerts", "handlers", "integrations", "common"}:
            found |= set(re.findall(r'"((?:chat|conversations|users|reactions|views|files|im)\.[A-Za-z]+)"',
                                    source.read_text()))
    return found


def test_the_manifest_keeps_slacks_published_format():
    assert problems(MANIFEST) == []


@pytest.mark.parametrize("change, expected", [
    (lambda m: m["display_information"].update(name="h" * 36), "is too long"),
    (lambda m: m["features"].update(slash_command=[]), "Additional properties are not allowed"),
    (lambda m: m["oauth_config"]["scopes"]["bot"].append("chat:write:bot"), "is not one of"),
    (lambda m: m["settings"]["interactivity"].pop("is_enabled"), "'is_enabled' is a required property"),
])
def test_the_schema_refuses_what_slack_refuses(change, expected):
    broken = copy.deepcopy(MANIFEST)
    change(broken)
    assert any(expected in p for p in problems(broken)), problems(broken)


def test_it_asks_for_the_scopes_the_code_uses_and_no_more():
    called = methods_called()
    unknown = called - SCOPES_OF_METHOD.keys()
    assert not unknown, f"hpops calls {sorted(unknown)}: add the scopes they need here and to the manifest"
    needed = set(SCOPES_OF_FEATURES)
    for method in called:
        needed |= SCOPES_OF_METHOD[method]
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == needed
    assert "user" not in MANIFEST["oauth_config"]["scopes"], "hpops acts as its bot, never as a person"


def test_its_urls_are_hpops_routes():
    router = (ROOT / "bot/routes/router.cpp").read_text()
    [command] = MANIFEST["features"]["slash_commands"]
    assert command["command"] == "/hp"
    for url in (command["url"], MANIFEST["settings"]["interactivity"]["request_url"]):
        path = "/" + url.split("://", 1)[1].split("/", 1)[1]
        assert f'"{path}"' in router, f"{url}: no route {path} in bot/routes/router.cpp"
    assert MANIFEST["settings"]["socket_mode_enabled"] is False, "hpops takes Slack's requests over HTTPS"
