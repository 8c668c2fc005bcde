"""``check --jobs``: a monorepo split into its projects, linted in worker processes, merged.

The monorepo below has two services, each a SAM project (``template.yaml`` beside ``src/``), and
deployment scripts outside both. Split, it is three parts: each service folder, and the rest. The
merged result must be the one a single process gives, finding for finding and byte for byte in
every report, and the run must not split when anything links the parts.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import shutil
import time
from datetime import date
from functools import partial
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

import pytest

import lambdalint.engine
from lambdalint import parallel
from lambdalint.cli import main
from lambdalint.config import Config, load_config
from lambdalint.engine import run
from lambdalint.findings import Span
from lambdalint.output import FORMATTERS, OutputOptions, render
from lambdalint.parallel import FIELD_MERGES, Part, merge, run_in_parallel, split
from lambdalint.result import RunResult
from tests.files import write

#: the day dated rules judge by: workers do not see the suite's fixed ``date.today()``
AS_OF = date(2026, 11, 23)

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Timeout: {timeout}
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: {code}
      Handler: app.handler
"""

HANDLER = """\
import boto3


def handler(event, context):
    s3 = boto3.client("s3"{argument})
    return s3.list_buckets()
"""

#: the users' handler says why its client is made per request
SUPPRESSED = HANDLER.format(argument="").replace('("s3")', '("s3")  # lambdalint: ignore[LL110] on purpose')

#: a handler outside every template, found by its name
NOTIFY = """\
import boto3


def lambda_handler(event, context):
    sns = boto3.client("sns")
    return sns.publish(TopicArn=event["topic"], Message="done")
"""

#: a module at the top of the repository: no handler name, so it links nothing
TASKS = """\
def deploy(stack):
    return stack
"""

SCENARIOS = Path(__file__).parent / "projects"
SECRET = "Zq3vR8tLw2PxN7bKc4MhY6jD1sFgH9aE5uT0iOpQ"


@pytest.fixture
def monorepo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    write(root, "services/orders/template.yaml", TEMPLATE.format(timeout=901, code="src/"))
    write(root, "services/orders/src/app.py", HANDLER.format(argument=""))
    # a second template in the same project, naming the same code: part of the orders part
    write(root, "services/orders/jobs/template.yaml", TEMPLATE.format(timeout=60, code="../src/"))
    write(root, "services/users/template.yaml", TEMPLATE.format(timeout=30, code="src/"))
    write(root, "services/users/src/app.py", SUPPRESSED)
    write(root, "scripts/notify.py", NOTIFY)
    write(root, "tasks.py", TASKS)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def split_runs(monkeypatch: pytest.MonkeyPatch) -> list[list[Part]]:
    """Every run splits, however small; the parts of each run handed to workers are recorded."""
    monkeypatch.setattr(parallel, "MIN_PYTHON_FILES", 0)
    recorded: list[list[Part]] = []
    real_run_parts = parallel._run_parts

    def spy(parts: list[Part], *args: Any) -> list[RunResult]:
        recorded.append(parts)
        return real_run_parts(parts, *args)

    monkeypatch.setattr(parallel, "_run_parts", spy)
    return recorded


def _config() -> Config:
    return load_config(None).merged_with(as_of=AS_OF)


def _parts(root: Path, *paths: Path) -> list[tuple[list[str], int]]:
    found = split(list(paths) or [root], _config(), root)
    return [([path.relative_to(root).as_posix() for path in part.paths], part.python_files) for part in found]


def test_the_parts_are_the_outermost_template_folders_and_the_rest(monorepo: Path) -> None:
    """Largest first (by Python files), so that the longest part does not start last."""
    assert _parts(monorepo) == [
        (["scripts/notify.py", "tasks.py"], 2),
        (["services/orders"], 1),
        (["services/users"], 1),
    ]


def test_a_path_named_inside_a_part_goes_with_it(monorepo: Path) -> None:
    assert _parts(monorepo, monorepo / "services", monorepo / "services/users/src/app.py") == [
        (["services/orders"], 1),
        (["services/users", "services/users/src/app.py"], 1),
    ]


def test_the_merged_result_is_the_one_process_result(monorepo: Path, split_runs: list[list[Part]]) -> None:
    alone = run([monorepo], _config(), root=monorepo)
    merged = run_in_parallel([monorepo], _config(), root=monorepo, jobs=2)

    assert [len(parts) for parts in split_runs] == [3]
    assert merged == alone
    assert [(f.location.path, f.location.span, f.rule_id, f.suppressed_by is not None) for f in alone.findings] == [
        ("scripts/notify.py", Span(5, 11, 5, 30), "LL110", False),
        ("services/orders/src/app.py", Span(5, 10, 5, 28), "LL110", False),
        ("services/orders/template.yaml", Span(6, 5, 6, 17), "LL205", False),
        ("services/users/src/app.py", Span(5, 10, 5, 28), "LL110", True),
    ]
    options = OutputOptions(include_suppressed=True)
    for name in ("json", "sarif", "text"):
        assert render(name, merged, options) == render(name, alone, options)


def test_the_scenario_projects_side_by_side_give_the_same_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, split_runs: list[list[Part]]
) -> None:
    """The suite's scenario projects (layers, Globals, inline code, suppressions, JSON templates)
    as the services of one monorepo: every output format is the same, byte for byte."""
    (tmp_path / ".git").mkdir()
    for project in sorted(SCENARIOS.iterdir()):
        if project.is_dir():
            shutil.copytree(project, tmp_path / "services" / project.name)
    monkeypatch.chdir(tmp_path)
    alone = run([tmp_path], _config(), root=tmp_path)
    merged = run_in_parallel([tmp_path], _config(), root=tmp_path, jobs=2)

    assert [[part.paths[0].name for part in parts] for parts in split_runs] == [
        ["handler-paths", "sam-app", "globals-merge", "suppressions", "cloudformation-json", "inline-code"]
    ]
    assert merged == alone
    options = OutputOptions(include_suppressed=True)
    assert {name: render(name, merged, options) == render(name, alone, options) for name in FORMATTERS} == {
        name: True for name in FORMATTERS
    }


def test_every_field_of_a_result_is_merged() -> None:
    """A field added to RunResult must say how parts combine, or a parallel run would drop it."""
    assert set(FIELD_MERGES) == {field.name for field in dataclasses.fields(RunResult)}


@pytest.mark.parametrize("output", ["json", "sarif"])
def test_jobs_1_and_jobs_2_write_the_same_report(monorepo: Path, split_runs: list[list[Part]], output: str) -> None:
    reports = []
    for jobs in ("1", "2"):
        report = monorepo.parent / f"report-{jobs}"
        flags = ["--format", output, "--output", str(report), "--as-of", "2026-11-23", "--include-suppressed"]
        assert main(["check", ".", "--jobs", jobs, *flags]) == 1
        reports.append(report.read_bytes())

    assert reports[0] == reports[1]
    assert [len(parts) for parts in split_runs] == [3]  # --jobs 1 ran in this process


def test_one_worker_per_cpu_but_no_more_than_parts(monorepo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PYTHON_FILES", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    pools: list[int] = []
    real_pool = parallel.ProcessPoolExecutor

    def pool(jobs: int, **kwargs: Any) -> Any:
        pools.append(jobs)
        return real_pool(jobs, **kwargs)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", pool)
    run_in_parallel([monorepo], _config(), root=monorepo)

    assert pools == [3]


def test_jobs_must_be_a_positive_number(monorepo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", ".", "--jobs", "0"]) == 2
    assert capsys.readouterr().err == "lambdalint: error: --jobs needs a number of processes, 1 or more (got 0)\n"


def test_a_small_run_starts_no_process(monorepo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Below MIN_PYTHON_FILES Python files, starting workers would cost more than it saves."""

    def no_pool(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a worker pool was started")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    result = run_in_parallel([monorepo], _config(), root=monorepo, jobs=2)

    assert result == run([monorepo], _config(), root=monorepo)


# -- when the parts are not independent ---------------------------------------------------------
NOT_SPLIT = {
    "code from a shared folder": (
        {"services/users/template.yaml": TEMPLATE.format(timeout=30, code="../../shared/")},
        "a template names code or layer contents outside its folder",
    ),
    "code by an absolute path": (
        {"services/users/template.yaml": TEMPLATE.format(timeout=30, code="/opt/code/")},
        "a template names code or layer contents outside its folder",
    ),
    "a build of the whole repository": (
        {".aws-sam/build/Api/app.py": HANDLER.format(argument="")},
        "a .aws-sam/build folder serves templates in several folders",
    ),
    "a service that is a package": (
        {"services/users/__init__.py": ""},
        "a template folder is a Python package",
    ),
    "a handler at the top of the repository": (
        {"handler.py": NOTIFY},
        "a handler outside the template folders is imported from a folder holding one",
    ),
}


@pytest.mark.parametrize("files, reason", NOT_SPLIT.values(), ids=NOT_SPLIT.keys())
def test_linked_parts_are_not_split(
    monorepo: Path, caplog: pytest.LogCaptureFixture, files: dict[str, str], reason: str
) -> None:
    for rel, text in files.items():
        write(monorepo, rel, text)
    caplog.set_level(logging.DEBUG, logger="lambdalint")

    assert split([monorepo], _config(), monorepo) == []
    assert caplog.messages == [f"not split: {reason}"]


def test_something_left_out_around_the_parts_is_not_split(monorepo: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Only the walk of the whole tree notes the broken link (LL006): no part would."""
    (monorepo / "scripts/broken.py").symlink_to("missing.py")
    caplog.set_level(logging.DEBUG, logger="lambdalint")

    assert split([monorepo], _config(), monorepo) == []
    assert caplog.messages == ["not split: discovery left something out outside the template folders"]


def test_a_named_template_without_its_folder_is_not_split(monorepo: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="lambdalint")
    paths = [monorepo / "services/orders/template.yaml", monorepo / "services/users"]

    assert split(paths, _config(), monorepo) == []
    assert caplog.messages == ["not split: a template was named without its folder"]


def test_parts_outside_the_configuration_folder_are_not_split(monorepo: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Exclude patterns are matched from the configuration's folder, else from where a walk starts."""
    elsewhere = dataclasses.replace(_config(), base=monorepo / "scripts")
    caplog.set_level(logging.DEBUG, logger="lambdalint")

    assert split([monorepo], elsewhere, monorepo) == []
    assert caplog.messages == [
        f"not split: a template folder is outside {monorepo / 'scripts'}, where exclude patterns are matched from"
    ]


def test_a_secret_one_part_masks_is_masked_in_the_others(monorepo: Path, split_runs: list[list[Part]]) -> None:
    """One process masks a secret found in orders in the users line quoting it too: the parts
    merged as they are would show it there, so the run is done again in one process."""
    write(monorepo, "services/orders/src/keys.py", f'AWS_SECRET_ACCESS_KEY = "{SECRET}"\n')
    write(monorepo, "services/users/src/app.py", HANDLER.format(argument=f', region_name="{SECRET}"'))
    alone = run([monorepo], _config(), root=monorepo)
    results = [run(list(part.paths), _config(), root=monorepo) for part in split([monorepo], _config(), monorepo)]

    assert run_in_parallel([monorepo], _config(), root=monorepo, jobs=2) == alone
    assert [len(parts) for parts in split_runs] == [3]
    users = [f.snippet for f in alone.findings if f.location.path == "services/users/src/app.py"]
    assert users == [f'    s3 = boto3.client("s3", region_name="{SECRET[:4]}{"*" * 36}")']
    users = [f.snippet for f in merge(results).findings if f.location.path == "services/users/src/app.py"]
    assert users == [f'    s3 = boto3.client("s3", region_name="{SECRET}")']


# -- failing workers ----------------------------------------------------------------------------
REAL_RUN = lambdalint.engine.run


def _fail_in_workers(parent: int, how: str, *args: Any, **kwargs: Any) -> RunResult:
    """``engine.run`` in this process; in a worker, a bug, a dying process or a part that hangs."""
    if os.getpid() == parent:
        return REAL_RUN(*args, **kwargs)
    if how == "raise":
        raise RuntimeError("a bug in a worker")
    if how == "hang":
        time.sleep(600)
    os._exit(3)


@pytest.mark.parametrize("how", ["raise", "die"])
def test_a_failing_worker_does_not_lose_its_part(
    monorepo: Path, monkeypatch: pytest.MonkeyPatch, split_runs: list[list[Part]], how: str
) -> None:
    alone = run([monorepo], _config(), root=monorepo)
    monkeypatch.setattr(lambdalint.engine, "run", partial(_fail_in_workers, os.getpid(), how))

    assert run_in_parallel([monorepo], _config(), root=monorepo, jobs=2) == alone
    assert [len(parts) for parts in split_runs] == [3]


def test_ctrl_c_ends_the_workers(monorepo: Path, monkeypatch: pytest.MonkeyPatch, split_runs: list[list[Part]]) -> None:
    monkeypatch.setattr(lambdalint.engine, "run", partial(_fail_in_workers, os.getpid(), "hang"))
    workers: list[multiprocessing.process.BaseProcess] = []

    def interrupted(*args: Any) -> RunResult:
        workers.extend(multiprocessing.active_children())
        raise KeyboardInterrupt

    monkeypatch.setattr(parallel, "_result", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_in_parallel([monorepo], _config(), root=monorepo, jobs=2)

    # a worker's sentinel is ready once it has ended (is_alive() races with the pool's own reaping);
    # ended at once, while a worker left running would sleep for 10 minutes
    assert [bool(wait([worker.sentinel], timeout=60)) for worker in workers] == [True, True]
