"""Hostile and broken inputs: each gives one clear finding or none — never a traceback, never a hang.

Every case builds a tiny git work tree in ``tmp_path``, runs ``lambdalint check --format json``
in process (under a wall-clock deadline, so a hang fails the test instead of stalling the suite)
and asserts the exit code is 0 or 1, nothing went to stderr, and the findings are exactly the
expected ``(path, line, column, rule)`` tuples. Inputs that could take the whole interpreter down
(native parsers overflowing their stack) run in a subprocess instead.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from files import write

from lambdalint.cli import main

REPO = Path(__file__).resolve().parents[1]

#: a finding as compared here: (path, line, column, rule); line and column are None without a span
Found = tuple[str, int | None, int | None, str]

SAM_HEADER = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\n'

BOTO_HANDLER = 'import boto3\n\n\ndef handler(event, context):\n    return boto3.client("s3").list_buckets()\n'


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the block runs longer than ``seconds``."""

    def expire(signum, frame):  # noqa: ARG001
        raise TimeoutError(f"lambdalint did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(capsys: pytest.CaptureFixture[str], *args: str, seconds: float = 30) -> tuple[int, list[dict]]:
    """Run ``lambdalint check --format json`` here; the exit code must be 0 or 1 and stderr empty."""
    with deadline(seconds):
        code = main(["check", "--format", "json", *args])
    out, err = capsys.readouterr()
    assert err == "", err
    assert code in (0, 1), code
    return code, json.loads(out)["findings"]


def places(findings: list[dict]) -> list[Found]:
    found = []
    for finding in findings:
        start = finding["location"]["start"]
        line, column = (start["line"], start["column"]) if start else (None, None)
        found.append((finding["location"]["path"], line, column, finding["rule"]))
    return found


def only(findings: list[dict]) -> dict:
    assert len(findings) == 1, places(findings)
    return findings[0]


# --- templates -------------------------------------------------------------------------------


def test_invalid_yaml_is_ll002_at_the_offending_line(root: Path, capsys) -> None:
    write(
        root,
        "template.yaml",
        SAM_HEADER
        + "Resources:\n"
        + "  Fn:\n"
        + "    Type: AWS::Serverless::Function\n"
        + "    Properties:\n"
        + "      Handler: app.handler\n"
        + "     Runtime: python3.12\n"  # line 8: one space short
        + "      Timeout: 3\n",
    )

    code, findings = lint(capsys)

    assert code == 1
    assert places(findings) == [("template.yaml", 8, 6, "LL002")]
    assert only(findings)["message"] == "invalid YAML: while parsing a block mapping did not find expected key"


def test_yaml_value_with_a_stray_colon_is_ll002_at_that_column(root: Path, capsys) -> None:
    write(root, "template.yaml", SAM_HEADER + "Resources:\n  Fn:\n    Type: AWS::Serverless::Function: x\n")

    _, findings = lint(capsys)

    assert places(findings) == [("template.yaml", 5, 36, "LL002")]
    assert only(findings)["message"] == "invalid YAML: mapping values are not allowed in this context"


def test_duplicate_keys_are_ll002_at_the_second_key(root: Path, capsys) -> None:
    write(
        root,
        "template.yaml",
        SAM_HEADER
        + "Resources:\n"
        + "  Fn:\n"
        + "    Type: AWS::Serverless::Function\n"
        + "    Properties:\n"
        + "      Handler: app.handler\n"
        + "      Timeout: 3\n"
        + "      Handler: app.other\n",
    )

    _, findings = lint(capsys)

    assert places(findings) == [("template.yaml", 9, 7, "LL002")]
    assert only(findings)["message"] == "duplicate key 'Handler' (first defined on line 7)"


def test_duplicate_logical_ids_are_ll002(root: Path, capsys) -> None:
    write(
        root,
        "template.yaml",
        SAM_HEADER + "Resources:\n  Fn:\n    Type: AWS::SNS::Topic\n  Fn:\n    Type: AWS::SQS::Queue\n",
    )

    _, findings = lint(capsys)

    assert places(findings) == [("template.yaml", 6, 3, "LL002")]
    assert only(findings)["message"] == "duplicate key 'Fn' (first defined on line 4)"


def test_yaml_alias_bomb_is_ll002_and_finishes_fast(root: Path, capsys) -> None:
    # "Billion laughs": nine levels of nine aliases each would expand to 9**10 nodes.
    lines = [
        'AWSTemplateFormatVersion: "2010-09-09"',
        'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 10)]
    lines.append("Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Tags: *l9}")
    write(root, "template.yaml", "\n".join(lines) + "\n")

    started = time.monotonic()
    code, findings = lint(capsys, seconds=20)

    assert time.monotonic() - started < 10
    assert code == 1
    assert places(findings) == [("template.yaml", 1, 1, "LL002")]
    assert "expands to more than 300,000 nodes" in only(findings)["message"]


def test_deeply_nested_yaml_is_ll002_not_a_crash(root: Path, capsys) -> None:
    # libyaml's composer recurses in C: a flow collection nested this deep would overflow its stack.
    write(root, "template.yaml", SAM_HEADER + "Resources: " + "[" * 20_000 + "]" * 20_000 + "\n")

    _, findings = lint(capsys)

    assert places(findings) == [("template.yaml", 1, 1, "LL002")]
    assert "nested more than" in only(findings)["message"]


def test_json_template_with_a_syntax_error_is_ll002_at_the_error(root: Path, capsys) -> None:
    write(
        root,
        "orders.template.json",
        '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n'
        '    "Fn": {"Type": "AWS::Lambda::Function",}\n  }\n}\n',
    )

    _, findings = lint(capsys)

    # Position and words are the json module's, which Python 3.13 changed: take them from there.
    with pytest.raises(json.JSONDecodeError) as raised:
        json.loads((root / "orders.template.json").read_text())
    assert places(findings) == [("orders.template.json", 4, raised.value.colno, "LL002")]
    assert only(findings)["message"] == f"invalid JSON: {raised.value.msg}"


def test_truncated_json_template_is_ll002(root: Path, capsys) -> None:
    write(root, "stack.template.json", '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n')

    _, findings = lint(capsys)

    assert [place[3] for place in places(findings)] == ["LL002"]
    assert only(findings)["message"].startswith("invalid JSON: ")


def test_binary_file_named_template_yaml_is_ll002(root: Path, capsys) -> None:
    write(root, "template.yaml", bytes(range(256)) * 8)

    _, findings = lint(capsys)

    assert places(findings) == [("template.yaml", 1, 1, "LL002")]
    assert only(findings)["message"] == "the template is not UTF-8 text (invalid start byte at byte 128)"


def test_control_characters_in_a_template_are_ll002(root: Path, capsys) -> None:
    write(root, "template.yaml", b'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Fn\x00: {}\n')

    _, findings = lint(capsys)

    assert [place[3] for place in places(findings)] == ["LL002"]
    assert "control characters are not allowed" in only(findings)["message"]


def test_control_characters_in_a_template_are_placed_and_told_in_one_line(root: Path, capsys) -> None:
    write(root, "template.yaml", b'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Fn\x00: {}\n')

    _, findings = lint(capsys)

    assert places(findings) == [("template.yaml", 3, 5, "LL002")]
    assert "\n" not in only(findings)["message"]
    assert "<unicode string>" not in only(findings)["message"]


def test_binary_but_valid_utf8_template_is_ll002(root: Path, capsys) -> None:
    write(root, "template.yaml", bytes(range(128)) * 8)  # ASCII, so it decodes; YAML rejects the controls

    _, findings = lint(capsys)

    assert [place[3] for place in places(findings)] == ["LL002"]


def test_utf16_template_is_ll002(root: Path, capsys) -> None:
    text = SAM_HEADER + "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n"
    write(root, "template.yaml", text.encode("utf-16"))  # with a byte order mark

    _, findings = lint(capsys)

    assert places(findings) == [("template.yaml", 1, 1, "LL002")]
    assert only(findings)["message"] == "the template is not UTF-8 text (invalid start byte at byte 0)"


def test_template_with_invalid_utf8_bytes_is_ll002(root: Path, capsys) -> None:
    write(root, "template.yaml", b'AWSTemplateFormatVersion: "2010-09-09"\nDescription: caf\xe9\nResources: {}\n')

    _, findings = lint(capsys)

    assert places(findings) == [("template.yaml", 1, 1, "LL002")]
    assert only(findings)["message"] == "the template is not UTF-8 text (invalid continuation byte at byte 55)"


def test_resources_as_a_list_is_ll002(root: Path, capsys) -> None:
    write(root, "template.yaml", SAM_HEADER + "Resources:\n  - Fn:\n      Type: AWS::Serverless::Function\n")

    _, findings = lint(capsys)

    assert places(findings) == [("template.yaml", 3, 1, "LL002")]
    assert only(findings)["message"] == "Resources must be a mapping of logical ids to resources"


def test_resource_without_type_is_ll002(root: Path, capsys) -> None:
    write(root, "template.yaml", SAM_HEADER + "Resources:\n  Fn:\n    Properties:\n      Handler: app.handler\n")

    _, findings = lint(capsys)

    assert places(findings) == [("template.yaml", 4, 3, "LL002")]
    assert only(findings)["message"] == "resource Fn has no Type"


@pytest.mark.parametrize(
    ("resource", "message"),
    [
        ("  Fn: just a string\n", "resource Fn must be a mapping"),
        ("  Fn:\n    Type: [AWS::Serverless::Function]\n", "resource Fn: Type must be a string"),
        (
            "  Fn:\n    Type: AWS::Serverless::Function\n    Properties: 3\n",
            "resource Fn: Properties must be a mapping",
        ),
    ],
)
def test_other_malformed_resources_are_ll002(root: Path, capsys, resource: str, message: str) -> None:
    write(root, "template.yaml", SAM_HEADER + "Resources:\n" + resource)

    _, findings = lint(capsys)

    assert [place[3] for place in places(findings)] == ["LL002"]
    assert only(findings)["message"] == message


def test_unknown_yaml_tag_is_ll002(root: Path, capsys) -> None:
    write(root, "template.yaml", SAM_HEADER + "Resources:\n  Fn:\n    Type: !Bogus AWS::Serverless::Function\n")

    _, findings = lint(capsys)

    assert places(findings) == [("template.yaml", 5, 11, "LL002")]
    assert only(findings)["message"] == "unknown tag '!Bogus'"


@pytest.mark.parametrize("content", ["", "\n\n# nothing here yet\n"], ids=["empty", "only-a-comment"])
def test_empty_template_yaml_is_ll002(root: Path, capsys, content: str) -> None:
    write(root, "template.yaml", content)

    _, findings = lint(capsys)

    assert places(findings) == [("template.yaml", 1, 1, "LL002")]
    assert only(findings)["message"] == "the document is empty"


def test_template_yaml_holding_a_plain_list_is_not_a_template(root: Path, capsys) -> None:
    write(root, "template.yaml", "- a\n- b\n")

    assert lint(capsys) == (0, [])


def test_a_directory_named_template_yaml_is_walked_not_read(root: Path, capsys) -> None:
    write(root, "template.yaml/app.py", BOTO_HANDLER)

    _, findings = lint(capsys)

    assert places(findings) == [("template.yaml/app.py", 5, 12, "LL110")]


def test_strange_property_types_give_no_crash(root: Path, capsys) -> None:
    write(root, "src/app.py", BOTO_HANDLER)
    write(
        root,
        "template.yaml",
        SAM_HEADER
        + "Globals:\n"
        + "  Function: [1, 2]\n"
        + "Resources:\n"
        + "  Fn:\n"
        + "    Type: AWS::Serverless::Function\n"
        + "    Properties:\n"
        + "      CodeUri: src/\n"
        + "      Handler: 42\n"
        + "      Layers: arn:aws:lambda:eu-west-1:123456789012:layer:deps:1\n"
        + "      Environment: [A, B]\n"
        + "      MemorySize: lots\n"
        + "      Timeout: !Ref TimeoutParameter\n"
        + "      EphemeralStorage: 1024\n"
        + "  Other:\n"
        + "    Type: AWS::Serverless::Function\n"
        + "    Properties:\n"
        + "      CodeUri: [src/]\n"
        + "      Environment:\n"
        + "        Variables: {A: [1, 2], B: {x: y}, C: null, D: !Sub '${AWS::Region}'}\n"
        + "      Layers: [!GetAtt X.Arn, [nested], null, 5]\n",
    )

    _, findings = lint(capsys)

    rules = sorted({place[3] for place in places(findings)})
    assert "LL004" not in rules  # no rule crashed on the odd shapes
    assert rules == ["LL006"]  # only notes about what could not be seen


# --- Python ----------------------------------------------------------------------------------


def test_python_syntax_error_is_ll001_with_cpythons_message_and_position(root: Path, capsys) -> None:
    source = "import json\n\n\ndef handler(event, context):\n    return json.dumps(event\n\nVALUE = 1\n"
    write(root, "app.py", source)
    with pytest.raises(SyntaxError) as cpython:
        compile(source, "app.py", "exec")

    code, findings = lint(capsys)

    assert code == 1
    assert places(findings) == [("app.py", cpython.value.lineno, cpython.value.offset, "LL001")]
    assert only(findings)["message"] == cpython.value.msg == "'(' was never closed"
    assert places(findings) == [("app.py", 5, 22, "LL001")]


def test_python_2_print_gets_cpythons_hint(root: Path, capsys) -> None:
    write(root, "app.py", 'def handler(event, context):\n    print "hello"\n')

    _, findings = lint(capsys)

    assert places(findings) == [("app.py", 2, 5, "LL001")]
    assert only(findings)["message"] == "Missing parentheses in call to 'print'. Did you mean print(...)?"


def test_python_with_invalid_utf8_is_ll001(root: Path, capsys) -> None:
    write(root, "app.py", b'def handler(event, context):\n    return "caf\xe9"\n')

    code, findings = lint(capsys)

    assert code == 1
    assert [place[3] for place in places(findings)] == ["LL001"]
    assert only(findings)["message"] == "cannot decode the file as utf-8: invalid continuation byte (byte 0xe9)"


def test_python_with_invalid_utf8_is_reported_at_the_line_of_the_bad_byte(root: Path, capsys) -> None:
    write(root, "app.py", b'def handler(event, context):\n    return "caf\xe9"\n')

    _, findings = lint(capsys)

    assert [place[:2] for place in places(findings)] == [("app.py", 2)]


def test_python_with_a_coding_cookie_is_decoded_as_declared(root: Path, capsys) -> None:
    write(root, "app.py", b'# -*- coding: latin-1 -*-\n\ndef handler(event, context):\n    return "caf\xe9"\n')

    assert lint(capsys) == (0, [])


def test_python_with_a_nul_byte_is_ll001(root: Path, capsys) -> None:
    write(root, "app.py", b"def handler(event, context):\n    return 1\x00\n")

    code, findings = lint(capsys)

    assert code == 1
    assert [(place[0], place[3]) for place in places(findings)] == [("app.py", "LL001")]
    assert "null bytes" in only(findings)["message"]


def run_in_subprocess(root: Path, seconds: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m lambdalint check --format json`` in its own process: a native crash stays there."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    return subprocess.run(
        [sys.executable, "-m", "lambdalint", "check", "--format", "json", "."],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds,
    )


def test_deeply_nested_expression_is_ll001_or_clean_not_a_crash(root: Path) -> None:
    write(root, "deep.py", "x = " + "(" * 5000 + ")" * 5000 + "\n")

    completed = run_in_subprocess(root)

    assert completed.returncode in (0, 1), f"exit {completed.returncode}: {completed.stderr[-500:]}"
    rules = [finding["rule"] for finding in json.loads(completed.stdout)["findings"]]
    assert rules in ([], ["LL001"])


def test_long_operator_chain_is_not_analysed_and_does_not_crash(root: Path) -> None:
    write(root, "generated.py", "TOTAL = " + "1 + " * 8000 + "1\n")

    completed = run_in_subprocess(root)

    assert completed.returncode == 0, f"exit {completed.returncode}: {completed.stderr[-500:]}"
    (finding,) = json.loads(completed.stdout)["findings"]
    assert (finding["rule"], finding["message"]) == (
        "LL006",
        "not analysed: the code is nested more than 500 levels deep",
    )


def test_python_file_over_the_size_limit_is_skipped_with_an_ll006_note(root: Path, capsys) -> None:
    line = "VALUE = 1  # " + "x" * 87 + "\n"  # 101 bytes
    write(root, "generated.py", line * 52_000)  # about 5 MB
    write(root, "app.py", "def handler(event, context):\n    return 1\n")

    started = time.monotonic()
    code, findings = lint(capsys)

    assert time.monotonic() - started < 10
    assert code == 0  # a note does not fail the run
    assert places(findings) == [("generated.py", None, None, "LL006")]
    assert only(findings)["message"] == "the file is larger than 4 MB and was not read"
    assert only(findings)["severity"] == "note"


# --- packages --------------------------------------------------------------------------------

ZIP_TEMPLATE = (
    SAM_HEADER
    + "Resources:\n"
    + "  Fn:\n"
    + "    Type: AWS::Serverless::Function\n"
    + "    Properties:\n"
    + "      CodeUri: packages/fn.zip\n"  # line 7
    + "      Handler: app.handler\n"
    + "      Runtime: python3.12\n"
)


def a_zip(**members: str) -> bytes:
    """A well-made package: every member readable by everyone (0644), as Lambda needs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o100644 << 16
            archive.writestr(info, text)
    return buffer.getvalue()


def encrypted(data: bytes) -> bytes:
    """The same archive with the 'encrypted' flag (bit 0) set in every local and central header."""
    patched = bytearray(data)
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = patched.find(signature)
        while start != -1:
            patched[start + flag_offset] |= 0x1
            start = patched.find(signature, start + 4)
    return bytes(patched)


def test_corrupt_zip_named_by_codeuri_is_ll003_at_the_codeuri_line(root: Path, capsys) -> None:
    write(root, "template.yaml", ZIP_TEMPLATE)
    write(root, "packages/fn.zip", b"PK\x03\x04 this is not really a zip archive")

    code, findings = lint(capsys)

    assert code == 1
    assert places(findings) == [("template.yaml", 7, 7, "LL003")]
    finding = only(findings)
    assert finding["message"] == "packages/fn.zip is not a readable zip archive: File is not a zip file"
    assert [(place["path"], place["label"]) for place in finding["related"]] == [("packages/fn.zip", "the archive")]


def test_truncated_zip_named_by_codeuri_is_ll003(root: Path, capsys) -> None:
    write(root, "template.yaml", ZIP_TEMPLATE)
    write(root, "packages/fn.zip", a_zip(**{"app.py": BOTO_HANDLER})[:-30])

    _, findings = lint(capsys)

    assert places(findings) == [("template.yaml", 7, 7, "LL003")]


def test_random_zip_no_template_names_is_ll003_at_the_zip(root: Path, capsys) -> None:
    write(root, "old/backup.zip", b"\x89PNG\r\n\x1a\n not a zip at all")

    code, findings = lint(capsys)

    assert code == 1
    assert places(findings) == [("old/backup.zip", None, None, "LL003")]
    assert only(findings)["message"] == "old/backup.zip is not a readable zip archive: File is not a zip file"


def test_encrypted_zip_is_ll003(root: Path, capsys) -> None:
    write(root, "bundle.zip", encrypted(a_zip(**{"app.py": BOTO_HANDLER, "lib/util.py": "X = 1\n"})))

    _, findings = lint(capsys)

    assert places(findings) == [("bundle.zip", None, None, "LL003")]
    assert only(findings)["message"] == "bundle.zip has encrypted entries, which Lambda cannot deploy: app.py"


def test_encrypted_zip_named_by_codeuri_is_ll003_at_the_codeuri_line(root: Path, capsys) -> None:
    write(root, "template.yaml", ZIP_TEMPLATE)
    write(root, "packages/fn.zip", encrypted(a_zip(**{"app.py": BOTO_HANDLER})))

    _, findings = lint(capsys)

    assert places(findings) == [("template.yaml", 7, 7, "LL003")]
    assert "encrypted entries" in only(findings)["message"]


def test_empty_zip_file_is_ll003(root: Path, capsys) -> None:
    write(root, "empty.zip", b"")

    _, findings = lint(capsys)

    assert places(findings) == [("empty.zip", None, None, "LL003")]


def test_a_valid_zip_is_not_reported(root: Path, capsys) -> None:
    write(root, "template.yaml", ZIP_TEMPLATE)
    write(root, "packages/fn.zip", a_zip(**{"app.py": BOTO_HANDLER}))

    assert lint(capsys) == (0, [])


# --- symlinks --------------------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory outside the linted root, holding code that would be reported if it were read."""
    directory = tmp_path_factory.mktemp("outside")
    write(directory, "app.py", BOTO_HANDLER)
    write(directory, "broken.py", "x = (\n")
    return directory


def test_symlink_loops_do_not_hang(root: Path, capsys) -> None:
    write(root, "src/app.py", "def handler(event, context):\n    return 1\n")
    (root / "src" / "parent").symlink_to("..", target_is_directory=True)  # src/parent/src/parent/...
    (root / "src" / "self").symlink_to(".", target_is_directory=True)
    (root / "ping.py").symlink_to("pong.py")  # a two-link loop: ELOOP when opened
    (root / "pong.py").symlink_to("ping.py")
    (root / "dangling.yaml").symlink_to("missing.yaml")

    code, findings = lint(capsys, seconds=20)

    # Nothing is followed; what was left out is told in LL006 notes (which do not fail the run).
    assert code == 0
    assert [(place[0], finding["message"]) for place, finding in zip(places(findings), findings, strict=True)] == [
        ("dangling.yaml", "not analysed: broken symlink"),
        ("ping.py", "not analysed: symlink loop"),
        ("pong.py", "not analysed: symlink loop"),
        ("src/parent", "not analysed: symlinked directory not followed"),
        ("src/self", "not analysed: symlinked directory not followed"),
    ]
    assert {place[3] for place in places(findings)} == {"LL006"}


def test_symlinks_out_of_the_root_are_not_followed(root: Path, outside: Path, capsys) -> None:
    (root / "vendor").symlink_to(outside, target_is_directory=True)
    (root / "linked.py").symlink_to(outside / "broken.py")
    write(root, "app.py", "def handler(event, context):\n    return 1\n")

    code, findings = lint(capsys)

    # outside/app.py (LL110) and outside/broken.py (LL001) are never read.
    assert code == 0
    assert [
        (place[:2], place[3], finding["message"]) for place, finding in zip(places(findings), findings, strict=True)
    ] == [
        (("linked.py", None), "LL006", "not analysed: symlink to outside the root"),
        (("vendor", None), "LL006", "not analysed: symlinked directory not followed"),
    ]


def test_naming_a_symlink_out_of_the_root_on_the_command_line_reads_nothing(root: Path, outside: Path, capsys) -> None:
    (root / "vendor").symlink_to(outside, target_is_directory=True)
    (root / "linked.py").symlink_to(outside / "broken.py")

    code, findings = lint(capsys, "vendor", "linked.py")

    assert code == 0
    assert [
        (place[:2], place[3], finding["message"]) for place, finding in zip(places(findings), findings, strict=True)
    ] == [
        (("linked.py", None), "LL006", "not analysed: symlink to outside the root"),
        (("vendor", None), "LL006", "not analysed: symlink to outside the root"),
    ]


def test_codeuri_through_a_symlink_out_of_the_root_is_not_read(root: Path, outside: Path, capsys) -> None:
    (root / "vendor").symlink_to(outside, target_is_directory=True)
    write(
        root,
        "template.yaml",
        SAM_HEADER
        + "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        + "      CodeUri: vendor/\n      Handler: app.handler\n      Runtime: python3.12\n",
    )

    _, findings = lint(capsys)

    paths = {place[0] for place in places(findings)}
    assert not any(path.startswith(("vendor/", "/")) for path in paths), paths


def test_absolute_handler_path_does_not_read_outside_the_root(root: Path, outside: Path, capsys) -> None:
    write(root, "src/__init__.py", "")
    write(
        root,
        "template.yaml",
        SAM_HEADER
        + "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        + f"      CodeUri: src/\n      Handler: {outside.as_posix()}/app.handler\n      Runtime: python3.12\n",
    )

    _, findings = lint(capsys)

    paths = {place[0] for place in places(findings)}
    assert not any(path.startswith("/") for path in paths), paths
