"""The command line as a user meets it: exit codes, flags, configuration files, rule docs.

Every test builds a small project in ``tmp_path``, makes it a git work tree (an empty ``.git``
folder is enough: the engine's root is the git top level) and runs ``lambdalint.cli.main`` in
process, reading what it printed with ``capsys``. One test runs ``python -m lambdalint`` as a
real subprocess.

Exit codes: 0 nothing at or above ``--fail-on`` (default: warning); 1 findings; 2 usage,
configuration or internal error — always one ``lambdalint: error: ...`` line, never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lambdalint.cli import main
from lambdalint.rulepack import builtin_rules
from tests.apps import ORDERS_CLEAN_HANDLER, ORDERS_HANDLER, ORDERS_TEMPLATE

REPO = Path(__file__).resolve().parents[1]


#: what the default run reports on ORDERS_TEMPLATE + ORDERS_HANDLER, as (location, rule, severity)
TIMEOUT = ("template.yaml:10:7", "LL205", "error")
CLIENT = ("src/app.py:5:10", "LL110", "warning")


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git work tree with one function: a per-invocation client (LL110) and Timeout 901 (LL205)."""
    (tmp_path / ".git").mkdir()
    write(tmp_path, {"template.yaml": ORDERS_TEMPLATE, "src/app.py": ORDERS_HANDLER})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def quiet_findings(out: str) -> list[tuple[str, str, str]]:
    """``path:line:col: RULE [severity] message`` lines as (location, rule, severity)."""
    found = []
    for line in out.splitlines():
        location, _, rest = line.partition(": ")
        rule, severity = rest.split(" ")[:2]
        found.append((location, rule, severity.strip("[]")))
    return found


def assert_one_error_line(err: str, *fragments: str) -> None:
    assert err.startswith("lambdalint: error: ")
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err


# --- exit codes ------------------------------------------------------------------------------


def test_clean_project_exits_0_and_says_so(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / ".git").mkdir()
    write(
        tmp_path,
        {"template.yaml": ORDERS_TEMPLATE.replace("Timeout: 901", "Timeout: 30"), "src/app.py": ORDERS_CLEAN_HANDLER},
    )
    monkeypatch.chdir(tmp_path)

    code, out, err = check(capsys)

    assert (code, out, err) == (0, "No findings in 2 files.\n", "")


def test_findings_exit_1_with_excerpts_and_a_summary(project: Path, capsys) -> None:
    code, out, err = check(capsys)

    assert code == 1
    assert err == ""
    assert out.splitlines()[:4] == [
        "src/app.py:5:10: LL110 [warning] boto3 client created on every invocation; create it once at module "
        "scope so warm invocations reuse it and its connections",
        "  |",
        '5 |     s3 = boto3.client("s3")',
        "  |          ^^^^^^^^^^^^^^^^^^",
    ]
    assert "template.yaml:10:7: LL205 [error] timeout 901 is outside what Lambda accepts" in out
    assert out.endswith("Found 2 findings (1 error, 1 warning) in 2 files.\n")


def test_missing_path_exits_2(project: Path, capsys) -> None:
    code, out, err = check(capsys, "src", "no-such-dir")

    assert (code, out) == (2, "")
    assert_one_error_line(err, "no such file or directory: no-such-dir")


def test_unknown_config_key_exits_2_naming_the_key(project: Path, capsys) -> None:
    (project / "lint.toml").write_text('select = ["LL1"]\nfial-on = "error"\n', encoding="utf-8")

    code, out, err = check(capsys, "--config", "lint.toml")

    assert (code, out) == (2, "")
    assert err == "lambdalint: error: lint.toml: unknown key 'fial-on'\n"


def test_unknown_key_in_a_pyproject_found_by_walking_up_exits_2(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text('[tool.lambdalint]\nselct = ["LL1"]\n', encoding="utf-8")

    code, out, err = check(capsys, "src")

    assert (code, out) == (2, "")
    assert err == "lambdalint: error: pyproject.toml: [tool.lambdalint] unknown key 'selct'\n"


def test_missing_config_file_exits_2(project: Path, capsys) -> None:
    code, _, err = check(capsys, "--config", "nowhere.toml")

    assert code == 2
    assert_one_error_line(err, "configuration file not found: nowhere.toml")


def test_invalid_toml_exits_2(project: Path, capsys) -> None:
    (project / ".lambdalint.toml").write_text("select = [\n", encoding="utf-8")

    code, _, err = check(capsys)

    assert code == 2
    assert_one_error_line(err, ".lambdalint.toml: invalid TOML")


def test_select_of_an_unknown_rule_exits_2(project: Path, capsys) -> None:
    code, out, err = check(capsys, "--select", "LL999")

    assert (code, out) == (2, "")
    assert err == "lambdalint: error: --select/--ignore: no rule matches 'LL999'\n"


def test_ignore_of_an_unknown_rule_exits_2(project: Path, capsys) -> None:
    code, _, err = check(capsys, "--ignore", "LL110,LL998")

    assert code == 2
    assert_one_error_line(err, "'LL998'")


def test_unknown_rule_in_config_severity_exits_2(project: Path, capsys) -> None:
    (project / ".lambdalint.toml").write_text('severity = {LL9 = "error"}\n', encoding="utf-8")

    code, _, err = check(capsys)

    assert code == 2
    assert err == "lambdalint: error: .lambdalint.toml: 'severity': unknown rule or prefix 'LL9'\n"


def test_bad_format_is_an_argparse_usage_error(project: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["check", "--format", "xml"])

    assert exited.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_unwritable_output_exits_2(project: Path, capsys) -> None:
    code, out, err = check(capsys, "--format", "json", "--output", "no-such-dir/report.json")

    assert (code, out) == (2, "")
    assert_one_error_line(err, "cannot write no-such-dir/report.json")


# --- --fail-on -------------------------------------------------------------------------------


def test_fail_on_error_with_only_warnings_exits_0(project: Path, capsys) -> None:
    code, out, _ = check(capsys, "--fail-on", "error", "--select", "LL110", "--quiet")

    assert code == 0
    assert quiet_findings(out) == [CLIENT]  # still reported, just not failing


def test_fail_on_error_with_an_error_exits_1(project: Path, capsys) -> None:
    code, _, _ = check(capsys, "--fail-on", "error")

    assert code == 1


def test_notes_do_not_fail_by_default_but_do_with_fail_on_note(project: Path, capsys) -> None:
    # A layer from outside the template is an LL006 note.
    layered = ORDERS_TEMPLATE + "      Layers:\n        - arn:aws:lambda:eu-west-1:123456789012:layer:deps:3\n"
    (project / "template.yaml").write_text(layered, encoding="utf-8")

    code, out, _ = check(capsys, "--select", "LL006", "-q")
    assert code == 0
    assert quiet_findings(out) == [("template.yaml:12:11", "LL006", "note")]

    code, _, _ = check(capsys, "--select", "LL006", "--fail-on", "note")
    assert code == 1


def test_fail_on_from_the_configuration_file(project: Path, capsys) -> None:
    (project / ".lambdalint.toml").write_text('fail-on = "error"\nselect = ["LL110"]\n', encoding="utf-8")

    assert check(capsys)[0] == 0
    assert check(capsys, "--fail-on", "warning")[0] == 1  # the flag wins over the file


# --- --select / --ignore ---------------------------------------------------------------------


def test_select_by_prefix_keeps_only_those_rules(project: Path, capsys) -> None:
    code, out, _ = check(capsys, "--select", "LL2", "--quiet")

    assert code == 1
    assert quiet_findings(out) == [TIMEOUT]


def test_ignore_removes_one_rule(project: Path, capsys) -> None:
    code, out, _ = check(capsys, "--ignore", "LL110", "--quiet")

    assert code == 1
    assert quiet_findings(out) == [TIMEOUT]


def test_select_is_case_insensitive_and_comma_separated(project: Path, capsys) -> None:
    _, out, _ = check(capsys, "--select", "ll110,ll205", "-q")

    assert quiet_findings(out) == [CLIENT, TIMEOUT]


def test_ignore_everything_selected_exits_0(project: Path, capsys) -> None:
    code, out, _ = check(capsys, "--select", "LL2", "--ignore", "LL205")

    assert (code, out) == (0, "No findings in 2 files.\n")


# --- output formats and files ----------------------------------------------------------------


def test_one_run_writes_several_reports(project: Path, capsys) -> None:
    """``--report FORMAT:FILE`` writes what ``--format FORMAT --output FILE`` would, beside the main report."""
    code, out, _ = check(capsys, "-q", "--report", "sarif:lambdalint.sarif", "--report", "markdown:summary.md")
    assert code == 1 and quiet_findings(out) == [CLIENT, TIMEOUT]
    for fmt, path in (("sarif", "lambdalint.sarif"), ("markdown", "summary.md")):
        check(capsys, "--format", fmt, "--output", f"alone.{fmt}")
        assert (project / path).read_bytes() == (project / f"alone.{fmt}").read_bytes()


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ("sarif", "expected FORMAT:FILE, such as sarif:lambdalint.sarif (got 'sarif')"),
        ("pdf:report.pdf", "unknown format 'pdf' (known: github, html, json, junit, markdown, sarif, text)"),
    ],
)
def test_a_bad_report_spec_is_a_usage_error(project: Path, capsys, spec: str, error: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--report", spec])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"lambdalint check: error: argument --report: {error}"


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_output_file_gets_the_report_and_stdout_stays_empty(project: Path, capsys, fmt: str) -> None:
    code, out, err = check(capsys, "--format", fmt, "--output", f"report.{fmt}")

    assert (code, out, err) == (1, "", "")
    document = json.loads((project / f"report.{fmt}").read_text(encoding="utf-8"))
    if fmt == "json":
        found = {(f["location"]["path"], f["location"]["start"]["line"], f["rule"]) for f in document["findings"]}
        assert document["root"] == str(project.resolve())
    else:
        (run,) = document["runs"]
        found = {
            (
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["ruleId"],
            )
            for r in run["results"]
        }
    assert found == {("src/app.py", 5, "LL110"), ("template.yaml", 10, "LL205")}


def test_json_to_stdout_is_the_whole_document(project: Path, capsys) -> None:
    code, out, _ = check(capsys, "--format", "json")

    assert code == 1
    document = json.loads(out)
    assert document["summary"] == {
        "by_severity": {"error": 1, "note": 0, "warning": 1},
        "files_checked": 2,
        "stale_baseline": 0,
        "suppressed": 0,
        "total": 2,
    }


def test_quiet_prints_one_line_per_finding_and_no_summary(project: Path, capsys) -> None:
    code, out, _ = check(capsys, "--quiet")

    assert code == 1
    assert out.splitlines() == [
        "src/app.py:5:10: LL110 [warning] boto3 client created on every invocation; create it once at module "
        "scope so warm invocations reuse it and its connections",
        "template.yaml:10:7: LL205 [error] timeout 901 is outside what Lambda accepts (timeout at least 1 and at "
        "most 900, or capacity-provider set and timeout at least 1 and at most 5400); the deployment will fail",
    ]


def test_quiet_clean_run_prints_nothing(project: Path, capsys) -> None:
    assert check(capsys, "-q", "--select", "LL201") == (0, "", "")


def test_output_is_deterministic(project: Path, capsys) -> None:
    first = check(capsys, "--format", "sarif")
    second = check(capsys, "--format", "sarif")

    assert first == second


def test_include_suppressed_lists_suppressed_findings(project: Path, capsys) -> None:
    (project / "src/app.py").write_text(
        ORDERS_HANDLER.replace('client("s3")', 'client("s3")  # lambdalint: ignore[LL110] tenant-specific'),
        encoding="utf-8",
    )

    _, out, _ = check(capsys, "-q")
    assert quiet_findings(out) == [TIMEOUT]

    _, out, _ = check(capsys, "-q", "--include-suppressed")
    assert "src/app.py:5:10: LL110 [warning]" in out
    assert out.splitlines()[0].endswith("(suppressed: tenant-specific)")


def test_only_suppressed_findings_exit_0(project: Path, capsys) -> None:
    write(
        project,
        {
            "template.yaml": ORDERS_TEMPLATE.replace(
                "Timeout: 901", "Timeout: 901  # lambdalint: ignore[LL205] raised limit"
            ),
            "src/app.py": ORDERS_HANDLER.replace(
                'client("s3")', 'client("s3")  # lambdalint: ignore[client-in-handler] why'
            ),
        },
    )

    assert check(capsys) == (0, "No findings in 2 files; 2 suppressed.\n", "")


def test_an_unused_suppression_is_a_warning_that_fails_the_run(project: Path, capsys) -> None:
    write(
        project, {"src/app.py": ORDERS_CLEAN_HANDLER + "# lambdalint: ignore[LL110] nothing to suppress here\nX = 1\n"}
    )

    code, out, _ = check(capsys, "-q", "--select", "LL1,LL005")

    assert code == 1
    assert quiet_findings(out) == [("src/app.py:8:1", "LL005", "warning")]


# --- configuration files ---------------------------------------------------------------------


def test_config_flag_names_a_file_anywhere(project: Path, tmp_path_factory, capsys) -> None:
    elsewhere = tmp_path_factory.mktemp("configs") / "strict.toml"
    elsewhere.write_text('ignore = ["LL205"]\n', encoding="utf-8")

    code, out, _ = check(capsys, "--config", str(elsewhere), "-q")

    assert code == 1
    assert quiet_findings(out) == [CLIENT]


def test_pyproject_table_is_found_by_walking_up_from_the_path(project: Path, capsys, monkeypatch) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "orders"\n\n[tool.lambdalint]\nignore = ["LL110"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(project / "src")

    code, out, _ = check(capsys, "..", "-q")

    assert code == 1
    assert quiet_findings(out) == [TIMEOUT]


def test_pyproject_is_found_from_a_subdirectory_path(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text('[tool.lambdalint]\nignore = ["LL110"]\n', encoding="utf-8")

    code, out, _ = check(capsys, "src", "-q")

    # Only src/ is checked: no template, so the handler is found by its name; LL110 is ignored.
    assert (code, out) == (0, "")


def test_dedicated_file_wins_over_pyproject(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text('[tool.lambdalint]\nignore = ["LL110"]\n', encoding="utf-8")
    (project / ".lambdalint.toml").write_text('ignore = ["LL205"]\n', encoding="utf-8")

    _, out, _ = check(capsys, "-q")

    assert quiet_findings(out) == [CLIENT]


def test_pyproject_without_a_lambdalint_table_is_passed_over(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text('[tool.lambdalint]\nignore = ["LL110"]\n', encoding="utf-8")
    (project / "src" / "pyproject.toml").write_text('[project]\nname = "lambdalint-demo"\n', encoding="utf-8")

    # The nearer pyproject mentions lambdalint but has no [tool.lambdalint]: the one above applies.
    assert check(capsys, "src", "-q") == (0, "", "")


def test_severity_override_changes_the_reported_severity(project: Path, capsys) -> None:
    (project / ".lambdalint.toml").write_text('severity = {LL110 = "error"}\n', encoding="utf-8")

    code, out, _ = check(capsys, "--fail-on", "error", "-q")
    assert code == 1
    assert quiet_findings(out) == [("src/app.py:5:10", "LL110", "error"), TIMEOUT]

    _, out, _ = check(capsys, "--format", "json")
    (client,) = [f for f in json.loads(out)["findings"] if f["rule"] == "LL110"]
    assert client["severity"] == "error"

    _, out, _ = check(capsys, "--format", "sarif")
    (result,) = [r for r in json.loads(out)["runs"][0]["results"] if r["ruleId"] == "LL110"]
    assert result["level"] == "error"


def test_severity_override_can_soften_an_error_below_fail_on(project: Path, capsys) -> None:
    (project / ".lambdalint.toml").write_text('select = ["LL205"]\nseverity = {LL205 = "note"}\n', encoding="utf-8")

    code, out, _ = check(capsys, "-q")

    assert code == 0
    assert quiet_findings(out) == [("template.yaml:10:7", "LL205", "note")]


def test_per_file_ignores_silence_a_rule_in_matching_files(project: Path, capsys) -> None:
    write(project, {"src/legacy/old.py": ORDERS_HANDLER})
    (project / ".lambdalint.toml").write_text(
        '[per-file-ignores]\n"src/legacy/**" = ["LL110"]\n"*.yaml" = ["LL2"]\n', encoding="utf-8"
    )

    code, out, _ = check(capsys, "-q")

    assert code == 1
    # src/legacy/old.py has the same per-invocation client but is covered by the pattern.
    assert quiet_findings(out) == [CLIENT]


# --- python -m lambdalint --------------------------------------------------------------------


def test_python_dash_m_lambdalint_runs_as_a_program(project: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}

    completed = subprocess.run(
        [sys.executable, "-m", "lambdalint", "check", "--format", "json", "."],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert completed.returncode == 1, completed.stderr
    assert completed.stderr == ""
    rules = sorted(finding["rule"] for finding in json.loads(completed.stdout)["findings"])
    assert rules == ["LL110", "LL205"]


# --- lambdalint rules / rule -----------------------------------------------------------------


def test_rules_lists_every_rule_in_the_pack(capsys) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out

    pack = builtin_rules()
    listed = [line.split()[0] for line in out.splitlines()]
    assert listed == list(pack)
    for line, rule in zip(out.splitlines(), pack.values(), strict=True):
        assert line.split()[1:3] == [rule.name, rule.severity.value]
        assert line.endswith(rule.summary)


def test_rules_json_parses_and_matches_the_pack(capsys) -> None:
    assert main(["rules", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)

    assert [entry["id"] for entry in data] == list(builtin_rules())
    llio = next(entry for entry in data if entry["id"] == "LL110")
    assert llio == {
        "id": "LL110",
        "name": "client-in-handler",
        "severity": "warning",
        "summary": builtin_rules()["LL110"].summary,
        "tags": list(builtin_rules()["LL110"].tags),
    }


@pytest.mark.parametrize("wanted", ["LL110", "client-in-handler", "ll110", "Client-In-Handler"])
def test_rule_prints_the_doc_page_with_examples(capsys, wanted: str) -> None:
    assert main(["rule", wanted]) == 0
    page = capsys.readouterr().out

    rule = builtin_rules()["LL110"]
    assert page.startswith("LL110 client-in-handler\n\nDefault severity: warning    Tags: performance, cost\n")
    assert rule.summary in page
    assert rule.doc in page
    for reference in rule.references:
        assert f"- {reference}\n" in page
    assert "## Examples that are reported" in page
    assert "## Examples that stay clean" in page
    assert page.index("## Examples that are reported") < page.index("## Examples that stay clean")
    for example in rule.examples:
        assert f"### {example.name}\n" in page
        for path, text in example.files.items():
            indented = "\n".join(f"    {line}" if line.strip() else line for line in text.rstrip("\n").splitlines())
            assert f"{path}:\n{indented}\n" in page


def test_rule_by_id_and_by_name_print_the_same_page(capsys) -> None:
    main(["rule", "LL110"])
    by_id = capsys.readouterr().out
    main(["rule", "client-in-handler"])
    assert capsys.readouterr().out == by_id


def test_every_rule_has_a_page(capsys) -> None:
    for rule_id, rule in builtin_rules().items():
        assert main(["rule", rule_id]) == 0
        page = capsys.readouterr().out
        assert page.startswith(f"{rule_id} {rule.name}\n")


@pytest.mark.parametrize("wanted", ["LL999", "client-in-lambda", ""])
def test_unknown_rule_exits_2(capsys, wanted: str) -> None:
    assert main(["rule", wanted]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert_one_error_line(err, f"unknown rule {wanted!r}")
