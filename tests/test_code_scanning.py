"""``lambdalint check --format sarif`` as GitHub code scanning receives it, from the command line.

upload-sarif resolves every artifact URI against the checked-out repository, so the URIs must be
relative to the git top level wherever lambdalint runs; the run's category keeps the uploads of a
monorepo's parts apart; suppressed findings stay out unless asked for.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from lambdalint.cli import main
from tests.apps import ORDERS_HANDLER, ORDERS_TEMPLATE
from tests.files import write


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A real git work tree: template.yaml with Timeout 901 (LL205), src/app.py whose handler builds a
    client (LL110)."""
    root = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    write(root, "template.yaml", ORDERS_TEMPLATE)
    write(root, "src/app.py", ORDERS_HANDLER)
    return root


def sarif(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    """The single run of the SARIF log that ``lambdalint check --format sarif ARGS`` prints."""
    main(["check", "--format", "sarif", *args])
    (run,) = json.loads(capsys.readouterr().out)["runs"]
    return run


def uris(run: dict[str, Any]) -> list[str]:
    """Every artifact URI in the run, in order: primary, related and suppression locations."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if "artifactLocation" in value:
                found.append(value["artifactLocation"]["uri"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(run["results"])
    return found


@pytest.mark.parametrize(
    ("cwd", "path"),
    [
        pytest.param("repo", ".", id="top level"),
        pytest.param("repo/src", "..", id="subdirectory, relative path"),
        pytest.param("repo/src", "ABSOLUTE", id="subdirectory, absolute path"),
        pytest.param("elsewhere", "ABSOLUTE", id="outside the repository"),
    ],
)
def test_uris_are_relative_to_the_git_top_level_wherever_lambdalint_runs(
    repo: Path, tmp_path: Path, capsys, monkeypatch, cwd: str, path: str
) -> None:
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / cwd)

    run = sarif(capsys, str(repo) if path == "ABSOLUTE" else path)

    assert uris(run) == ["src/app.py", "src/app.py", "template.yaml"]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": repo.resolve().as_uri() + "/"}}


def test_line_hash_is_the_one_github_computes(repo: Path, capsys, monkeypatch) -> None:
    # the value the codeql-action's fingerprints.ts gives line 5 of ORDERS_HANDLER
    monkeypatch.chdir(repo)
    (result,) = sarif(capsys, "--select", "LL110")["results"]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert result["partialFingerprints"]["primaryLocationLineHash"] == "210c6240088c4ad6:1"


@pytest.mark.parametrize(
    ("args", "automation_id"),
    [
        ((), "lambdalint/"),
        (("--category", "orders"), "orders/"),
        (("--category", "services/orders/"), "services/orders/"),
    ],
)
def test_category_sets_the_automation_id(
    repo: Path, capsys, monkeypatch, args: tuple[str, ...], automation_id: str
) -> None:
    monkeypatch.chdir(repo)
    assert sarif(capsys, *args)["automationDetails"] == {"id": automation_id}


@pytest.mark.parametrize("category", ["", "/", " "])
def test_a_category_without_a_name_exits_2(repo: Path, capsys, monkeypatch, category: str) -> None:
    monkeypatch.chdir(repo)
    code = main(["check", "--format", "sarif", "--category", category])
    assert (code, *capsys.readouterr()) == (
        2,
        "",
        "lambdalint: error: --category needs a name, such as --category orders-service\n",
    )


def test_other_formats_ignore_the_category(repo: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(repo)
    main(["check", "--format", "json"])
    plain = capsys.readouterr().out
    main(["check", "--format", "json", "--category", "orders"])
    assert capsys.readouterr().out == plain


def test_suppressed_findings_only_with_include_suppressed(repo: Path, capsys, monkeypatch) -> None:
    suppressed = ORDERS_HANDLER.replace('client("s3")', 'client("s3")  # lambdalint: ignore[LL110] one call a day')
    write(repo, "src/app.py", suppressed)
    monkeypatch.chdir(repo)

    assert sarif(capsys, "--select", "LL110")["results"] == []
    (result,) = sarif(capsys, "--select", "LL110", "--include-suppressed")["results"]
    assert result["ruleId"] == "LL110"
    assert [(entry["kind"], entry["justification"]) for entry in result["suppressions"]] == [
        ("inSource", "one call a day")
    ]
