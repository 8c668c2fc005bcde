"""``lambdalint lsp`` as an editor meets it: a subprocess spoken to in JSON-RPC over stdio.

Each test writes a small SAM app in a git work tree under ``tmp_path`` (the template's function
runs ``src/app.py``'s ``handler``), opens documents and reads what the server publishes. Positions
are LSP's: 0-based lines, columns in UTF-16 code units unless the client asked for another encoding.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lambdalint import __version__
from tests.apps import ORDERS_TEMPLATE
from tests.files import write
from tests.lsp.client import LspClient, apply_edit

#: the shared Orders app, on python3.13, with one environment variable (its handler reads another)
TEMPLATE = ORDERS_TEMPLATE.replace("python3.12", "python3.13") + (
    "      Environment:\n        Variables:\n          TABLE: orders\n"
)

HANDLER = """\
import os

import boto3


def handler(event, context):
    s3 = boto3.client("s3")
    return s3.list_buckets(), os.environ["TABLE"], os.environ["BUCKET"]
"""

#: HANDLER with the client made once per execution environment and BUCKET read with a default
FIXED_HANDLER = """\
import os

import boto3

S3 = boto3.client("s3")


def handler(event, context):
    return S3.list_buckets(), os.environ["TABLE"], os.environ.get("BUCKET")
"""

CLIENT_MESSAGE = (
    "boto3 client created on every invocation; create it once at module scope so warm invocations "
    "reuse it and its connections"
)
BUCKET_MESSAGE = (
    "BUCKET is read without a default but Orders does not set it: add it to the function's "
    "Environment.Variables (or Globals) or use os.environ.get with a default"
)
TIMEOUT_MESSAGE = (
    "timeout 901 is outside what Lambda accepts (timeout at least 1 and at most 900, or capacity-provider "
    "set and timeout at least 1 and at most 5400); the deployment will fail"
)
RULES = "https://github.com/lambdalint/lambdalint/blob/main/rules/"
ERROR, WARNING = 1, 2


def span(line: int, start: int, end: int) -> dict[str, Any]:
    """An LSP range within one 0-based line."""
    return {"start": {"line": line, "character": start}, "end": {"line": line, "character": end}}


def diagnostic(
    rule: str, doc: str, severity: int, where: dict[str, Any], message: str, line: int, related: list[Any]
) -> dict[str, Any]:
    return {
        "range": where,
        "message": message,
        "severity": severity,
        "code": rule,
        "codeDescription": {"href": f"{RULES}{rule}-{doc}.yaml"},
        "source": "lambdalint",
        **({"relatedInformation": related} if related else {}),
        "data": {"ruleId": rule, "line": line},
    }


def codes(diagnostics: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [(found["code"], found["range"]) for found in diagnostics]


@pytest.fixture
def app(tmp_path: Path) -> Path:
    """The SAM app: LL110 and LL216 (BUCKET is not in the template) in the handler, LL205 in the template."""
    (tmp_path / ".git").mkdir()
    write(tmp_path, ".lambdalint.toml", 'as-of = "2026-11-23"\n')
    write(tmp_path, "template.yaml", TEMPLATE)
    write(tmp_path, "src/app.py", HANDLER)
    return tmp_path


def start(tmp_path: Path) -> LspClient:
    """A server working in ``tmp_path``, its stderr logged beside it (shown when a read fails)."""
    return LspClient(tmp_path, tmp_path.parent / f"{tmp_path.name}-server.log")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[LspClient]:
    """A server initialized on ``tmp_path``; the test ends it with :meth:`LspClient.exit`."""
    with start(tmp_path) as started:
        started.initialize(tmp_path)
        yield started


def test_initialize_names_the_server_and_what_it_offers(tmp_path: Path) -> None:
    with start(tmp_path) as client:
        result = client.initialize(tmp_path)
        assert result["serverInfo"] == {"name": "lambdalint", "version": __version__}
        capabilities = result["capabilities"]
        assert capabilities["positionEncoding"] == "utf-16"
        assert capabilities["textDocumentSync"] == {"openClose": True, "change": 2, "save": {"includeText": False}}
        assert capabilities["codeActionProvider"] == {"codeActionKinds": ["quickfix"]}
        assert client.exit() == 0


def test_a_handler_is_linted_with_its_template(app: Path, client: LspClient) -> None:
    handler = client.open(app / "src/app.py")
    in_template = {"uri": (app / "template.yaml").as_uri(), "range": span(11, 8, 17)}
    assert client.diagnostics(handler, version=1) == [
        diagnostic(
            "LL110",
            "client-in-handler",
            WARNING,
            span(6, 9, 27),
            CLIENT_MESSAGE,
            7,
            [
                {
                    "location": {"uri": handler, "range": span(5, 4, 11)},
                    "message": "the handler, which runs this on every invocation",
                }
            ],
        ),
        diagnostic(
            "LL216",
            "undefined-environment-variable",
            ERROR,
            span(7, 51, 71),
            BUCKET_MESSAGE,
            8,
            [{"location": in_template, "message": "Orders's environment variables"}],
        ),
    ]

    # opening the template lints the project again, for both documents
    template = client.open(app / "template.yaml", language="yaml")
    published = {}
    while len(published) < 2:
        params = client.notification("textDocument/publishDiagnostics")
        published[params["uri"]] = params["diagnostics"]
    assert codes(published[handler]) == [("LL110", span(6, 9, 27)), ("LL216", span(7, 51, 71))]
    assert published[template] == [
        diagnostic("LL205", "quota-out-of-range", ERROR, span(9, 6, 18), TIMEOUT_MESSAGE, 10, [])
    ]

    client.notify("textDocument/didClose", {"textDocument": {"uri": template}})
    assert client.diagnostics(template) == []
    assert client.exit() == 0


def test_a_handler_without_a_template_is_linted_alone(tmp_path: Path, client: LspClient) -> None:
    (tmp_path / ".git").mkdir()
    handler = client.open(write(tmp_path, "scripts/app.py", HANDLER))
    assert codes(client.diagnostics(handler)) == [("LL110", span(6, 9, 27))]  # no function, so no LL216
    assert client.exit() == 0


@pytest.mark.parametrize(
    ("encodings", "negotiated", "columns"),
    [
        (None, "utf-16", (24, 42)),  # 🚀 takes 2 UTF-16 code units, é 1
        (["utf-8", "utf-16"], "utf-8", (27, 45)),  # 🚀 takes 4 UTF-8 bytes, é 2
        (["utf-32"], "utf-32", (23, 41)),  # code points: lambdalint's own columns, 0-based
    ],
)
def test_columns_count_the_code_units_of_the_negotiated_encoding(
    app: Path, tmp_path: Path, encodings: list[str] | None, negotiated: str, columns: tuple[int, int]
) -> None:
    source = HANDLER.replace('    s3 = boto3.client("s3")', '    label, s3 = "🚀 é", boto3.client("s3")')
    capabilities = {"general": {"positionEncodings": encodings}} if encodings else {}
    with start(tmp_path) as client:
        assert client.initialize(app, capabilities)["capabilities"]["positionEncoding"] == negotiated
        handler = client.open(write(app, "src/app.py", source))
        assert codes(client.diagnostics(handler))[0] == ("LL110", span(6, *columns))
        assert client.exit() == 0


def test_unsaved_changes_are_linted_and_a_fix_clears_the_diagnostics(app: Path, client: LspClient) -> None:
    handler = client.open(app / "src/app.py")
    assert [code for code, _ in codes(client.diagnostics(handler, version=1))] == ["LL110", "LL216"]

    fixed = HANDLER.replace('os.environ["BUCKET"]', 'os.environ.get("BUCKET")')
    client.change(handler, 2, fixed)
    assert codes(client.diagnostics(handler, version=2)) == [("LL110", span(6, 9, 27))]

    client.change(handler, 3, FIXED_HANDLER)
    assert client.diagnostics(handler, version=3) == []
    assert (app / "src/app.py").read_text(encoding="utf-8") == HANDLER  # nothing was saved
    assert client.exit() == 0


def test_a_quick_fix_suppresses_a_finding_and_joins_an_existing_comment(app: Path, client: LspClient) -> None:
    source = HANDLER.replace('boto3.client("s3")', 'boto3.client("s3", region_name=os.environ["REGION"])')
    handler = client.open(write(app, "src/app.py", source))
    found = client.diagnostics(handler, version=1)
    assert codes(found)[:2] == [("LL110", span(6, 9, 61)), ("LL216", span(6, 40, 60))]

    line = {"start": {"line": 6, "character": 0}, "end": {"line": 6, "character": 0}}
    actions = client.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": handler}, "range": line, "context": {"diagnostics": found[:2]}},
    )
    assert [(action["title"], action["kind"]) for action in actions] == [
        ("Suppress LL110 on this line", "quickfix"),
        ("Suppress LL216 on this line", "quickfix"),
    ]
    assert actions[0]["edit"] == {
        "changes": {handler: [{"range": line, "newText": "    # lambdalint: ignore[LL110]\n"}]}
    }
    source = apply_edit(source, actions[0]["edit"]["changes"][handler][0])
    client.change(handler, 2, source)
    found = client.diagnostics(handler, version=2)
    assert codes(found)[:1] == [("LL216", span(7, 40, 60))]

    actions = client.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": handler}, "range": found[0]["range"], "context": {"diagnostics": found[:1]}},
    )
    at = {"start": {"line": 6, "character": 30}, "end": {"line": 6, "character": 30}}
    assert actions[0]["edit"] == {"changes": {handler: [{"range": at, "newText": ", LL216"}]}}
    source = apply_edit(source, actions[0]["edit"]["changes"][handler][0])
    assert source.splitlines()[6:8] == [
        "    # lambdalint: ignore[LL110, LL216]",
        '    s3 = boto3.client("s3", region_name=os.environ["REGION"])',
    ]
    client.change(handler, 3, source)
    # only BUCKET's LL216 is left, a line below: no LL005 (unused) nor LL007 (malformed suppression)
    assert codes(client.diagnostics(handler, version=3)) == [("LL216", span(8, 51, 71))]
    assert client.exit() == 0


def test_a_configuration_error_is_shown_and_the_server_goes_on(app: Path, client: LspClient) -> None:
    write(app, ".lambdalint.toml", 'select = ["LL9"]\n')
    client.open(app / "src/app.py")
    message = client.notification("window/showMessage")
    assert message == {"type": 1, "message": "lambdalint: .lambdalint.toml: 'select': unknown rule or prefix 'LL9'"}

    write(app, ".lambdalint.toml", 'select = ["LL110"]\n')
    client.notify("textDocument/didSave", {"textDocument": {"uri": (app / "src/app.py").as_uri()}})
    assert codes(client.diagnostics((app / "src/app.py").as_uri())) == [("LL110", span(6, 9, 27))]
    assert client.exit() == 0
