"""LL207 deprecated-runtime: the shipped lifecycle data, the as-of date (flag and configuration),
severities and messages — what the rule examples cannot show."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml

from lambdalint.cli import main
from lambdalint.config import ConfigError, config_from_mapping, load_config
from lambdalint.engine import run
from lambdalint.findings import Finding, Severity
from lambdalint.rulepack import builtin_rules
from lambdalint.runtimes import DATA_FILE, SCHEMA_FILE, data_dir, runtime_lifecycles
from tests.files import write

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  InvoiceFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: invoices/
      Handler: app.handler
      Runtime: python3.8
"""

#: retired under the pre-2020 policy: AWS's "deprecation date" for them is when retirement completed,
#: after creation was already blocked
RETIRED_BEFORE_2020 = {"nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "dotnetcore2.0"}


def line(finding: Finding) -> int:
    assert finding.location.span is not None
    return finding.location.span.start_line


def findings(root: Path, template: str, as_of: date | None) -> list[Finding]:
    write(root, "template.yaml", template)
    config = load_config(None).merged_with(select=["LL207"], as_of=as_of)
    return list(run([root], config, root=root).reported)


# --- the data ----------------------------------------------------------------------------------


def test_the_data_file_follows_its_schema() -> None:
    data = yaml.safe_load((data_dir() / DATA_FILE).read_text(encoding="utf-8"))
    schema = json.loads((data_dir() / SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)


def test_the_data_names_its_source_and_date() -> None:
    lifecycles = runtime_lifecycles()
    assert lifecycles.source == "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"
    assert date(2026, 1, 1) <= lifecycles.retrieved <= date.today()


def test_every_identifier_is_listed_once() -> None:
    data = yaml.safe_load((data_dir() / DATA_FILE).read_text(encoding="utf-8"))
    identifiers = [item["runtime"] for items in data["families"].values() for item in items]
    assert len(identifiers) == len(set(identifiers)) == len(runtime_lifecycles().runtimes)


@pytest.mark.parametrize(
    "runtime",
    [
        *("python2.7", "python3.6", "python3.8", "python3.13", "python3.14"),
        *("nodejs12.x", "nodejs20.x", "nodejs22.x", "nodejs24.x"),
        *("java8", "java8.al2", "java21", "java25"),
        *("dotnetcore3.1", "dotnet6", "dotnet8", "dotnet10"),
        *("ruby2.7", "ruby3.3", "ruby3.4", "provided", "provided.al2023", "go1.x"),
    ],
)
def test_old_and_current_runtimes_are_known(runtime: str) -> None:
    assert runtime_lifecycles().get(runtime) is not None


def test_the_dates_are_in_order() -> None:
    out_of_order = set()
    for lifecycle in runtime_lifecycles().runtimes.values():
        deprecation, create, update = lifecycle.deprecation, lifecycle.block_create, lifecycle.block_update
        if create and update:
            assert create <= update, lifecycle
        if deprecation and update:
            assert deprecation <= update, lifecycle
        if deprecation and create and create < deprecation:
            out_of_order.add(lifecycle.runtime)
    assert out_of_order == RETIRED_BEFORE_2020


def test_the_runtime_to_move_to_is_the_newest_dated_one_still_supported() -> None:
    lifecycles = runtime_lifecycles()

    def successor(runtime: str, on: date) -> str | None:
        lifecycle = lifecycles.get(runtime)
        assert lifecycle is not None
        return lifecycles.successor(lifecycle, on)

    assert successor("python3.8", date(2026, 6, 1)) == "python3.14"  # not python3.15, which has no dates yet
    assert successor("go1.x", date(2026, 6, 1)) == "provided.al2023"
    assert successor("dotnetcore3.1", date(2026, 6, 1)) == "dotnet10"
    assert successor("java8", date(2026, 6, 1)) == "java25"
    assert successor("python3.8", date(2030, 1, 1)) is None  # every dated Python runtime deprecated by then


# --- the rule, judged on different dates -------------------------------------------------------


def test_nothing_before_the_deprecation_date(tmp_path: Path) -> None:
    assert findings(tmp_path, TEMPLATE, date(2024, 10, 13)) == []


def test_a_warning_once_deprecated(tmp_path: Path) -> None:
    (finding,) = findings(tmp_path, TEMPLATE, date(2024, 10, 14))
    assert finding.severity is Severity.WARNING
    assert (finding.location.path, line(finding)) == ("template.yaml", 9)
    assert finding.message == (
        "python3.8 was deprecated on 2024-10-14 (no more security patches); creating functions will be blocked "
        "from 2027-02-01, updating them will be blocked from 2027-03-03; move to python3.14"
    )


def test_an_error_once_creating_functions_is_blocked(tmp_path: Path) -> None:
    (finding,) = findings(tmp_path, TEMPLATE, date(2027, 2, 1))
    assert finding.severity is Severity.ERROR
    assert "creating functions is blocked since 2027-02-01, updating them will be blocked from 2027-03-03" in (
        finding.message
    )
    (later,) = findings(tmp_path, TEMPLATE, date(2027, 6, 1))
    assert "updating them is blocked since 2027-03-03" in later.message


def test_today_is_the_default(tmp_path: Path) -> None:
    (finding,) = findings(tmp_path, TEMPLATE, None)  # python3.8 has been deprecated since 2024
    assert finding.rule_id == "LL207"


def test_a_runtime_without_dates_is_never_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, TEMPLATE.replace("python3.8", "python3.15"), date(2040, 1, 1)) == []


def test_a_runtime_from_globals_is_reported_there_with_the_function_related(tmp_path: Path) -> None:
    template = (
        "Transform: AWS::Serverless-2016-10-31\n"
        "Globals:\n"
        "  Function:\n"
        "    Runtime: nodejs16.x\n"  # 4
        "Resources:\n"
        "  WebhookFunction:\n"  # 6
        "    Type: AWS::Serverless::Function\n"
        "    Properties: {CodeUri: webhook/, Handler: index.handler}\n"
    )
    (finding,) = findings(tmp_path, template, date(2026, 6, 1))
    assert line(finding) == 4
    assert [(r.span.start_line if r.span else 0, r.label) for r in finding.related] == [
        (6, "WebhookFunction gets this value from Globals")
    ]
    assert finding.message.endswith("; move to nodejs24.x")


# --- the as-of date: configuration and command line --------------------------------------------


def test_the_configuration_takes_a_toml_date_or_a_string() -> None:
    assert config_from_mapping({"as-of": date(2026, 1, 31)}).as_of == date(2026, 1, 31)
    assert config_from_mapping({"as-of": "2026-01-31"}).as_of == date(2026, 1, 31)
    assert config_from_mapping({}).as_of is None


@pytest.mark.parametrize("value", ["2026-02-30", "31.01.2026", "20260131", "today"])
def test_a_bad_date_in_the_configuration_names_the_key(value: str) -> None:
    with pytest.raises(ConfigError, match=r"'as-of': .* is not a date \(YYYY-MM-DD\)"):
        config_from_mapping({"as-of": value})


def test_the_flag_wins_over_the_configuration() -> None:
    config = config_from_mapping({"as-of": "2026-01-31"})
    assert config.merged_with(as_of=date(2027, 2, 1)).as_of == date(2027, 2, 1)
    assert config.merged_with().as_of == date(2026, 1, 31)


def test_the_cli_judges_on_the_as_of_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, "template.yaml", TEMPLATE)
    write(tmp_path, ".lambdalint.toml", 'select = ["LL207"]\nas-of = 2024-01-01\n')
    monkeypatch.chdir(tmp_path)

    assert main(["check", "-q"]) == 0  # the configured date: not yet deprecated
    assert capsys.readouterr().out == ""
    assert main(["check", "-q", "--as-of", "2027-02-01"]) == 1
    assert "template.yaml:9:7: LL207 [error] python3.8 was deprecated" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["2026-13-01", "next-week", "2026/06/01"])
def test_a_bad_as_of_flag_exits_2_with_one_line(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, "template.yaml", TEMPLATE)
    monkeypatch.chdir(tmp_path)

    assert main(["check", "--as-of", value]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"lambdalint: error: --as-of: {value!r} is not a date (YYYY-MM-DD)\n"


def test_every_example_fixes_its_date() -> None:
    assert all(example.as_of is not None for example in builtin_rules()["LL207"].examples)
