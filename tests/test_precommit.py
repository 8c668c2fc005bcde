"""The pre-commit hooks, run by the real ``pre-commit`` on a throwaway git repository.

``pre-commit try-repo`` installs this repository's hooks the way a user's ``.pre-commit-config.yaml``
does (a virtualenv with lambdalint pip-installed from the repository, uncommitted changes included)
and runs them on the staged files. The app (``tests/apps.py``) has two functions; the Orders handler
builds a DynamoDB table per invocation (LL110), the billing one is clean.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.apps import FIXED_PROCESS_ORDER, PROCESS_ORDER, TWO_FUNCTIONS_TEMPLATE
from tests.files import write

TEMPLATE = TWO_FUNCTIONS_TEMPLATE.format(timeout=30)

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (REPO / ".git").exists(), reason="needs git and a git checkout of lambdalint"
)


BILLING = """\
def handler(event, context):
    return {"paid": True}
"""


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One pre-commit cache for the module, so the hook's virtualenv is built once."""
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }


@pytest.fixture
def app(tmp_path: Path, environment: dict[str, str]) -> Path:
    """A git repository with the SAM app committed (bad handler included) and nothing staged."""
    write(tmp_path, "template.yaml", TEMPLATE)
    write(tmp_path, "src/app.py", PROCESS_ORDER)
    write(tmp_path, "src/billing.py", BILLING)
    git(tmp_path, environment, "init", "-q")
    git(tmp_path, environment, "add", "-A")
    git(tmp_path, environment, "commit", "-q", "-m", "app")
    return tmp_path


def git(cwd: Path, environment: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=environment, check=True)


def try_hook(app: Path, environment: dict[str, str], hook: str) -> tuple[int, str]:
    """Run one hook of this repository on the app's staged files: exit code and output."""
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook, "--color", "never"],
        cwd=app,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return done.returncode, done.stdout + done.stderr


def stage(app: Path, environment: dict[str, str], rel: str, text: str) -> None:
    write(app, rel, text)
    git(app, environment, "add", rel)


def findings(output: str) -> list[str]:
    return re.findall(r"^(\S+:\d+:\d+: LL\d{3})", output, flags=re.MULTILINE)


def test_the_hook_fails_on_a_bad_handler_and_passes_once_it_is_fixed(app: Path, environment: dict[str, str]) -> None:
    stage(app, environment, "src/app.py", PROCESS_ORDER + "\n")
    code, output = try_hook(app, environment, "lambdalint")
    assert code == 1, output
    assert re.search(r"^lambdalint\.+Failed$", output, flags=re.MULTILINE), output
    assert findings(output) == ["src/app.py:5:13: LL110"], output

    stage(app, environment, "src/app.py", FIXED_PROCESS_ORDER)
    code, output = try_hook(app, environment, "lambdalint")
    assert code == 0, output
    assert re.search(r"^lambdalint\.+Passed$", output, flags=re.MULTILINE), output


def test_the_hook_reports_only_what_the_change_caused(app: Path, environment: dict[str, str]) -> None:
    """The committed bad handler does not fail a commit that only touches the billing handler,
    but the whole-project hook still sees it."""
    stage(app, environment, "src/billing.py", BILLING.replace("True", "False"))
    code, output = try_hook(app, environment, "lambdalint")
    assert code == 0, output

    code, output = try_hook(app, environment, "lambdalint-project")
    assert code == 1, output
    assert findings(output) == ["src/app.py:5:13: LL110"], output


def test_a_changed_template_brings_its_handlers(app: Path, environment: dict[str, str]) -> None:
    stage(app, environment, "template.yaml", TEMPLATE.replace("Runtime: python3.12", "Runtime: python3.13"))
    code, output = try_hook(app, environment, "lambdalint")
    assert code == 1, output
    assert findings(output) == ["src/app.py:5:13: LL110"], output


def test_the_readme_snippet_is_a_valid_pre_commit_configuration(tmp_path: Path, environment: dict[str, str]) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (snippet,) = re.findall(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", readme, flags=re.DOTALL)
    write(tmp_path, ".pre-commit-config.yaml", snippet)
    hooks = re.findall(r"- id: (\S+)", snippet)
    assert hooks == ["lambdalint"] and "- id: lambdalint" in (REPO / ".pre-commit-hooks.yaml").read_text()
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_hooks_manifest_is_valid(environment: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", ".pre-commit-hooks.yaml"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
