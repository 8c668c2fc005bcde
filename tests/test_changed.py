"""``lambdalint check --changed FILE...``: what the pre-commit hook runs.

Each changed file is linted with its project around it (the nearest folder above holding a
template), and only the findings the change can have caused are reported. The monorepo below has
two services with the same two functions each; every function creates an SDK client per invocation
(LL110) and the orders template has a Timeout Lambda refuses (LL205).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdalint.changed import project_paths
from lambdalint.cli import main
from tests.apps import FIXED_PROCESS_ORDER, PROCESS_ORDER, TWO_FUNCTIONS_TEMPLATE
from tests.files import write

BILLING = """\
import boto3


def handler(event, context):
    sqs = boto3.client("sqs")
    return sqs.send_message(QueueUrl=event["queue"], MessageBody="paid")
"""


ORDERS_CLIENT = "services/orders/src/app.py:5:13: LL110"
ORDERS_BILLING_CLIENT = "services/orders/src/billing.py:5:11: LL110"
ORDERS_TIMEOUT = "services/orders/template.yaml:10:7: LL205"
USERS_CLIENT = "services/users/src/app.py:5:13: LL110"


@pytest.fixture
def monorepo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    for service, timeout in (("orders", 901), ("users", 30)):
        write(tmp_path, f"services/{service}/template.yaml", TWO_FUNCTIONS_TEMPLATE.format(timeout=timeout))
        write(tmp_path, f"services/{service}/src/app.py", PROCESS_ORDER)
        write(tmp_path, f"services/{service}/src/billing.py", BILLING)
    write(
        tmp_path, "scripts/report.py", "def handler(event, context):\n    import boto3\n    return boto3.client('s3')\n"
    )
    write(tmp_path, "README.md", "# services\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def reported(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    """Exit code and the findings as ``path:line:col: rule`` of ``lambdalint check -q --changed``."""
    code = main(["check", "-q", "--changed", *args])
    lines = capsys.readouterr().out.splitlines()
    return code, [line.split(" [", 1)[0] for line in lines]


def test_a_changed_handler_is_linted_with_its_template(monorepo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Alone, process_order is no handler; the template beside src/ makes it one.
    assert main(["check", "-q", "services/orders/src/app.py"]) == 0
    capsys.readouterr()
    assert reported(capsys, "services/orders/src/app.py") == (1, [ORDERS_CLIENT])


def test_findings_of_unchanged_files_of_the_same_project_are_left_out(
    monorepo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert reported(capsys, "services/orders/src/billing.py") == (1, [ORDERS_BILLING_CLIENT])


def test_a_changed_template_brings_the_findings_in_its_functions_code(
    monorepo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = [ORDERS_CLIENT, ORDERS_BILLING_CLIENT, ORDERS_TIMEOUT]
    assert reported(capsys, "services/orders/template.yaml") == (1, expected)


def test_files_of_several_projects(monorepo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert reported(capsys, "services/users/src/app.py", "services/orders/template.yaml") == (
        1,
        [ORDERS_CLIENT, ORDERS_BILLING_CLIENT, ORDERS_TIMEOUT, USERS_CLIENT],
    )


def test_a_file_with_no_template_above_is_linted_alone(monorepo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert reported(capsys, "scripts/report.py") == (1, ["scripts/report.py:3:12: LL110"])


def test_a_change_that_causes_no_finding_passes(monorepo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert reported(capsys, "README.md") == (0, [])
    write(monorepo, "services/users/src/app.py", FIXED_PROCESS_ORDER)
    assert reported(capsys, "services/users/src/app.py") == (0, [])


def test_each_project_is_linted_once_from_its_outermost_folder(monorepo: Path) -> None:
    seeds = [Path("services/orders/src/app.py"), Path("services/orders/template.yaml"), Path("scripts/report.py")]
    assert project_paths(seeds, monorepo) == [monorepo / "scripts/report.py", monorepo / "services/orders"]
    write(monorepo, "template.yaml", TWO_FUNCTIONS_TEMPLATE.format(timeout=30))  # a template at the top holds them all
    assert project_paths(seeds, monorepo) == [monorepo]


def test_a_template_beside_the_code_is_found_through_the_code_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``infra/template.yaml`` names ``../functions/orders/``: no template is above the handler."""
    (tmp_path / ".git").mkdir()
    template = TWO_FUNCTIONS_TEMPLATE.format(timeout=30).replace("CodeUri: src/", "CodeUri: ../functions/orders/")
    write(tmp_path, "infra/template.yaml", template)
    write(tmp_path, "functions/orders/app.py", PROCESS_ORDER)
    write(tmp_path, "functions/orders/billing.py", BILLING)
    write(tmp_path, "tools/report.py", "def main():\n    return 1\n")
    monkeypatch.chdir(tmp_path)

    assert project_paths([Path("functions/orders/app.py")], tmp_path) == [tmp_path]
    assert project_paths([Path("tools/report.py")], tmp_path) == [tmp_path / "tools/report.py"]
    assert reported(capsys, "functions/orders/app.py") == (1, ["functions/orders/app.py:5:13: LL110"])
