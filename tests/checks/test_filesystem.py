"""LL140 and LL142: what the examples cannot say — messages, related locations, EFS mounts the
template names (or hides behind an intrinsic), and the severity of LL142."""

from __future__ import annotations

from pathlib import Path

from lambdalint.config import load_config
from lambdalint.engine import run
from lambdalint.findings import Finding, Severity
from tests.files import write

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
{extra}"""


def findings(root: Path, rule: str) -> list[Finding]:
    return list(run([root], load_config(None).merged_with(select=[rule]), root=root).reported)


def lines(root: Path, rule: str) -> list[tuple[str, int]]:
    return [(f.location.path, f.location.span.start_line) for f in findings(root, rule) if f.location.span]


def test_ll140_names_the_path_and_the_fix_and_relates_the_call_chain(tmp_path: Path) -> None:
    write(
        tmp_path,
        "app.py",
        "import os\n"
        "\n"
        "def save(name):\n"
        "    with open(os.path.join(os.environ['LAMBDA_TASK_ROOT'], name), 'w') as f:\n"
        "        f.write(name)\n"
        "\n"
        "def handler(event, context):\n"
        "    save(event['name'])\n",
    )
    [finding] = findings(tmp_path, "LL140")
    assert finding.severity is Severity.ERROR
    assert (finding.location.span.start_line, finding.location.span.start_column) == (4, 10)
    assert finding.message == (
        "open(..., 'w') writes to '$LAMBDA_TASK_ROOT/{…}', outside /tmp; only /tmp is writable on "
        "Lambda (the code under /var/task and layers under /opt are read-only), so it fails with "
        "'[Errno 30] Read-only file system'. Write under /tmp (tempfile.gettempdir()) instead, or to "
        "S3 or an EFS mount"
    )
    assert [(r.span.start_line, r.label) for r in finding.related] == [
        (7, "the handler, which runs this on every invocation"),
        (3, "reached per invocation: save"),
    ]


def test_ll140_explains_relative_paths(tmp_path: Path) -> None:
    write(tmp_path, "app.py", "def handler(event, context):\n    open('out/result.json', 'x')\n")
    [finding] = findings(tmp_path, "LL140")
    assert finding.message.startswith(
        "open(..., 'x') writes to the relative path 'out/result.json', which resolves against the "
        "working directory /var/task; "
    )


def test_ll140_reports_a_write_at_import_without_related_locations(tmp_path: Path) -> None:
    write(
        tmp_path,
        "app.py",
        "import os\nos.makedirs('/opt/cache', exist_ok=True)\n\ndef handler(event, context):\n    pass\n",
    )
    [finding] = findings(tmp_path, "LL140")
    assert (finding.location.span.start_line, finding.related) == (2, ())


def test_ll140_follows_functions_called_at_import_only(tmp_path: Path) -> None:
    write(
        tmp_path,
        "app.py",
        "def warm():\n"
        "    open('/var/task/warm.flag', 'w').close()\n"
        "\n"
        "def cli():\n"
        "    open('/var/task/cli.flag', 'w').close()\n"
        "\n"
        "warm()\n"
        "\n"
        "def handler(event, context):\n"
        "    pass\n",
    )
    assert lines(tmp_path, "LL140") == [("app.py", 2)]


MOUNT_CODE = "def handler(event, context):\n    open('/mnt/data/out.json', 'w')\n    open('/mnt/efs/out.json', 'w')\n"


def test_ll140_with_a_template_only_its_mount_paths_are_writable(tmp_path: Path) -> None:
    extra = "      FileSystemConfigs:\n        - Arn: arn:aws:efs:x\n          LocalMountPath: /mnt/efs\n"
    write(tmp_path, "template.yaml", TEMPLATE.format(extra=extra))
    write(tmp_path, "src/app.py", MOUNT_CODE)
    assert lines(tmp_path, "LL140") == [("src/app.py", 2)]


def test_ll140_a_template_without_file_systems_makes_mnt_read_only(tmp_path: Path) -> None:
    write(tmp_path, "template.yaml", TEMPLATE.format(extra=""))
    write(tmp_path, "src/app.py", MOUNT_CODE)
    assert lines(tmp_path, "LL140") == [("src/app.py", 2), ("src/app.py", 3)]


def test_ll140_a_mount_path_behind_an_intrinsic_leaves_mnt_alone(tmp_path: Path) -> None:
    extra = "      FileSystemConfigs:\n        - Arn: arn:aws:efs:x\n          LocalMountPath: !Ref MountPath\n"
    write(tmp_path, "template.yaml", TEMPLATE.format(extra=extra))
    write(tmp_path, "src/app.py", MOUNT_CODE)
    assert lines(tmp_path, "LL140") == []


def test_ll142_is_a_note_that_says_what_piles_up(tmp_path: Path) -> None:
    write(
        tmp_path,
        "app.py",
        "import tempfile\n"
        "\n"
        "def workdir():\n"
        "    return tempfile.mkdtemp()\n"
        "\n"
        "def handler(event, context):\n"
        "    with open(f\"/tmp/{event['id']}.json\", 'w') as f:\n"
        "        f.write(workdir())\n"
        "    return tempfile.mkdtemp()\n",
    )
    found = findings(tmp_path, "LL142")
    assert [(f.location.span.start_line, f.severity) for f in found] == [(7, Severity.NOTE), (9, Severity.NOTE)]
    assert found[0].message.startswith(
        "open(..., 'w') writes '/tmp/{…}.json', a new name under /tmp on every invocation, and "
        "nothing removes it; /tmp (512 MB by default) is kept across warm invocations"
    )
    assert [r.span.start_line for r in found[0].related] == [6]


def test_ll142_a_helper_gets_the_request_from_its_caller(tmp_path: Path) -> None:
    write(
        tmp_path,
        "app.py",
        "import json\n"
        "\n"
        "def dump(order_id, payload):\n"
        "    with open(f'/tmp/{order_id}.json', 'w') as f:\n"
        "        json.dump(payload, f)\n"
        "\n"
        "def handler(event, context):\n"
        "    dump(event['orderId'], event)\n"
        "    dump('latest', event)\n",
    )
    assert lines(tmp_path, "LL142") == [("app.py", 4)]


def test_ll142_cleanup_elsewhere_in_per_invocation_code_silences_the_module(tmp_path: Path) -> None:
    write(
        tmp_path,
        "app.py",
        "import shutil\n"
        "\n"
        "def reset():\n"
        "    shutil.rmtree('/tmp/work', ignore_errors=True)\n"
        "\n"
        "def handler(event, context):\n"
        "    reset()\n"
        "    open(f\"/tmp/work/{event['id']}\", 'w')\n",
    )
    assert lines(tmp_path, "LL142") == []
