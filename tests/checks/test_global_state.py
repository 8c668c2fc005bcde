"""LL141: one finding per container, its creation as a related location, and the message's advice."""

from __future__ import annotations

from pathlib import Path

from lambdalint.config import load_config
from lambdalint.engine import run
from lambdalint.findings import Finding
from tests.files import write


def findings(root: Path) -> list[Finding]:
    return list(run([root], load_config(None).merged_with(select=["LL141"]), root=root).reported)


def test_one_finding_per_container_with_its_creation_related(tmp_path: Path) -> None:
    write(
        tmp_path,
        "app.py",
        "SEEN = {}\n"
        "\n"
        "def remember(key, value):\n"
        "    SEEN[key] = value\n"
        "\n"
        "def handler(event, context):\n"
        "    remember(event['id'], event)\n"
        "    SEEN[context.aws_request_id] = True\n",
    )
    [finding] = findings(tmp_path)
    assert finding.location.span.start_line == 4
    assert finding.message == (
        "module-level dict `SEEN` gets a new key for each request, and nothing removes them: the module "
        "survives across warm invocations, so it grows until the function runs out of memory. Keep it "
        "local to the invocation, or bound it (collections.deque(maxlen=N), functools.lru_cache(maxsize=N), "
        "cachetools.LRUCache/TTLCache)"
    )
    assert [(r.span.start_line, r.label) for r in finding.related] == [
        (6, "the handler, which runs this on every invocation"),
        (3, "reached per invocation: remember"),
        (1, "`SEEN` is created here, once per execution environment"),
    ]


def test_a_key_the_caller_passes_as_a_literal_is_bounded(tmp_path: Path) -> None:
    write(
        tmp_path,
        "app.py",
        "TOTALS = {}\n"
        "\n"
        "def add(name, amount):\n"
        "    TOTALS[name] = TOTALS.get(name, 0) + amount\n"
        "\n"
        "def handler(event, context):\n"
        "    add('orders', 1)\n"
        "    add('items', len(event['items']))\n",
    )
    assert findings(tmp_path) == []


def test_a_size_check_bounds_but_reading_the_size_does_not(tmp_path: Path) -> None:
    template = "LOG = []\n\ndef handler(event, context):\n    LOG.append(event)\n    {check}\n"
    write(tmp_path, "app.py", template.format(check="return len(LOG)"))
    assert [f.location.span.start_line for f in findings(tmp_path)] == [4]
    write(tmp_path, "app.py", template.format(check="if len(LOG) > 100: del LOG[:50]"))
    assert findings(tmp_path) == []
