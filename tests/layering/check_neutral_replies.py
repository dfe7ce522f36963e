#!/usr/bin/env python3
"""Replies are platform-neutral below the chat adapters: no Slack emoji codes
(":white_check_mark: ") and no raw mentions ("<@" + id) in the string literals
of the layers that write replies. Handlers say Mark::done and mention(id);
each renderer (bot/slack/, bot/terminal/) draws them its own way.

    check_neutral_replies.py ROOT          # exit 1 and list the lines found
    check_neutral_replies.py --self-test   # the check catches a planted code
"""
import re
import sys
import tempfile
from pathlib import Path

# The folders whose code builds replies; the renderers and their tests are exempt.
NEUTRAL = ["handlers", "alerts", "command", "common", "bot/dispatch", "bot/jobs", "bot/routes", "integrations"]
LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"')
# An emoji code stands alone: ":name:" at the start of a literal or after a
# space, and followed by a space or the literal's end ("arn:aws:eks:" is not one).
EMOJI = re.compile(r'(?:^|\s):[a-z0-9_+-]{2,}:(?=\s|$)')


def findings(root: Path):
    for folder in NEUTRAL:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in (".cpp", ".hpp"):
                continue
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                if line.lstrip().startswith("//"):
                    continue
                for literal in LITERAL.findall(line):
                    inner = literal[1:-1]
                    if EMOJI.search(inner) or inner.startswith("<@") or " <@" in inner:
                        yield f"{path.relative_to(root)}:{number}: {line.strip()}"


def self_test() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "handlers").mkdir()
        (root / "handlers" / "ok.cpp").write_text('auto a = "arn:aws:eks:us-east-1"; // ":x: " in a comment\n'
                                                 'reply.text("Scaled", Mark::done);\n')
        clean = list(findings(root))
        (root / "handlers" / "bad.cpp").write_text('reply.text(":white_check_mark: Scaled");\n'
                                                  'reply.context("by <@" + id + ">");\n')
        found = list(findings(root))
    if clean or len(found) != 2:
        print("self-test failed:", clean, found)
        return 1
    print("self-test ok: planted emoji code and mention caught, look-alikes left alone")
    return 0


def main() -> int:
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    found = list(findings(Path(sys.argv[1])))
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} platform-specific reply strings: use Mark and mention() (include/hpops/reply.hpp)")
        return 1
    print("replies are platform-neutral below bot/slack and bot/terminal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
