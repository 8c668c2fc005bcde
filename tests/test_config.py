"""Configuration: where it is found, what it accepts, and how select/ignore decide."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from lambdalint.config import (
    DEFAULT_EXCLUDE,
    DEFAULT_HANDLER_PATTERNS,
    SCHEMA_PATH,
    Config,
    ConfigError,
    config_from_mapping,
    find_config,
    load_config,
)
from lambdalint.findings import Severity
from lambdalint.rulepack import Rule


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def pyproject_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> str:
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path / "pyproject.toml", "[tool.lambdalint]\n" + body)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value)


def test_schema_is_valid_draft_2020_12() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


# --- find_config -----------------------------------------------------------------------------


def test_dedicated_file_wins_over_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.lambdalint]\nselect = ['LL1']\n")
    dedicated = write(tmp_path / ".lambdalint.toml", "select = ['LL2']\n")
    assert find_config(tmp_path) == dedicated


def test_walks_up_from_a_file_to_the_nearest_configuration(tmp_path: Path) -> None:
    config = write(tmp_path / ".lambdalint.toml", "")
    source = write(tmp_path / "src" / "app" / "handler.py", "")
    assert find_config(source) == config
    assert find_config(source.parent) == config


def test_nearer_pyproject_wins_over_a_dedicated_file_further_up(tmp_path: Path) -> None:
    write(tmp_path / ".lambdalint.toml", "")
    nearer = write(tmp_path / "svc" / "pyproject.toml", "[tool.lambdalint]\n")
    assert find_config(tmp_path / "svc") == nearer


def test_pyproject_without_lambdalint_table_does_not_count(tmp_path: Path) -> None:
    config = write(tmp_path / ".lambdalint.toml", "")
    write(tmp_path / "svc" / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    write(tmp_path / "other" / "pyproject.toml", "[tool.ruff]\n# lambdalint is not configured\n")
    assert find_config(tmp_path / "svc") == config
    assert find_config(tmp_path / "other") == config


def test_no_configuration_below_the_start(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    found = find_config(tmp_path)
    assert found is None or tmp_path not in found.parents


# --- load_config -----------------------------------------------------------------------------


def test_defaults_without_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config(None)
    assert config == Config(base=tmp_path)
    assert config.select is None and config.ignore == () and config.fail_on is None
    assert config.handler_patterns == DEFAULT_HANDLER_PATTERNS
    assert config.exclude == DEFAULT_EXCLUDE
    assert ".aws-sam" not in config.exclude


def test_reads_every_key_from_pyproject(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        """
[project]
name = "orders"

[tool.lambdalint]
select = ["LL1", "LL201"]
ignore = ["LL110"]
fail-on = "warning"
handler-patterns = ["main"]
extend-exclude = ["fixtures"]

[tool.lambdalint.per-file-ignores]
"tests/**" = ["LL1"]
"scripts/*.py" = ["LL140", "LL142"]

[tool.lambdalint.severity]
LL207 = "error"

[tool.lambdalint.rules.LL111]
extra-connectors = ["mylib.connect"]
""",
    )
    config = load_config(path)
    assert config.select == ("LL1", "LL201")
    assert config.ignore == ("LL110",)
    assert config.fail_on is Severity.WARNING
    assert config.handler_patterns == ("main",)
    assert config.exclude == DEFAULT_EXCLUDE + ("fixtures",)
    assert config.per_file_ignores == (("tests/**", ("LL1",)), ("scripts/*.py", ("LL140", "LL142")))
    assert config.severity == {"LL207": Severity.ERROR}
    assert config.rule_options == {"LL111": {"extra-connectors": ["mylib.connect"]}}
    assert config.path == path
    assert config.base == tmp_path


def test_dedicated_file_holds_keys_at_top_level(tmp_path: Path) -> None:
    path = write(tmp_path / ".lambdalint.toml", 'exclude = ["generated"]\nfail-on = "note"\n')
    config = load_config(path)
    assert config.exclude == ("generated",)
    assert config.fail_on is Severity.NOTE


def test_pyproject_without_table_gives_defaults(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool.ruff]\n")
    assert load_config(path) == Config(path=path, base=tmp_path)


def test_unknown_key_names_file_table_and_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    message = pyproject_error(tmp_path, monkeypatch, 'selct = ["LL1"]\n')
    assert message == "pyproject.toml: [tool.lambdalint] unknown key 'selct'"


def test_unknown_key_in_dedicated_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path / ".lambdalint.toml", "fail_on = 'error'\n")
    with pytest.raises(ConfigError, match=r"^\.lambdalint\.toml: unknown key 'fail_on'$"):
        load_config(path)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('fail-on = "fatal"\n', "'fail-on' must be one of error, warning, note"),
        ('select = "LL1"\n', "'select' must be a list, not a string"),
        ("handler-patterns = [1]\n", "'handler-patterns[0]' must be a string, not an integer"),
        ("exclude = [1979-05-27]\n", "'exclude[0]' must be a string, not a date/time"),
        ("per-file-ignores = []\n", "'per-file-ignores' must be a table, not a list"),
        ("rules = { LL110 = true }\n", "'rules.LL110' must be a table, not a boolean"),
        (
            'select = ["ll1"]\n',
            "'select[0]': 'll1' is not a rule id or prefix (like 'LL110', 'LL1' or 'ALL')",
        ),
        (
            'per-file-ignores = { "tests/*" = ["E501", "LL-1"] }\n',
            "'per-file-ignores.\"tests/*\"[1]': 'LL-1' is not a rule id or prefix (like 'LL110', 'LL1' or 'ALL')",
        ),
        ('severity = { LL207 = "fatal" }\n', "'severity.LL207' must be one of error, warning"),
        ("rules = { client-in-handler = {} }\n", "'rules': key 'client-in-handler' is not a"),
    ],
)
def test_wrong_values_name_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, expected: str) -> None:
    message = pyproject_error(tmp_path, monkeypatch, body)
    assert message.startswith("pyproject.toml: [tool.lambdalint] " + expected)
    assert "\n" not in message


def test_toml_syntax_error_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path / ".lambdalint.toml", "select = [\n")
    with pytest.raises(ConfigError, match=r"^\.lambdalint\.toml: invalid TOML: "):
        load_config(path)


def test_broken_pyproject_that_names_lambdalint_is_an_error_when_searching(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.lambdalint\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        find_config(tmp_path)


def test_tool_lambdalint_must_be_a_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path / "pyproject.toml", "[tool]\nlambdalint = 3\n")
    expected = r"^pyproject\.toml: \[tool\.lambdalint\] must be a table$"
    with pytest.raises(ConfigError, match=expected):
        load_config(path)


# --- select / ignore ---------------------------------------------------------------------------


def test_default_selects_everything() -> None:
    assert Config().is_selected("LL110") and Config().is_selected("LL301")


def test_select_by_prefix() -> None:
    config = config_from_mapping({"select": ["LL2"]})
    assert config.is_selected("LL201") and config.is_selected("LL218")
    assert not config.is_selected("LL110")


def test_most_specific_selector_wins() -> None:
    config = config_from_mapping({"select": ["LL1", "LL110"], "ignore": ["LL11"]})
    assert config.is_selected("LL101")  # LL1 only
    assert not config.is_selected("LL111")  # LL11 (ignore) beats LL1 (select)
    assert config.is_selected("LL110")  # LL110 (select) beats LL11 (ignore)
    assert not config.is_selected("LL201")  # nothing selects it


def test_ignore_wins_a_tie_and_all_is_least_specific() -> None:
    assert not config_from_mapping({"select": ["LL110"], "ignore": ["LL110"]}).is_selected("LL110")
    config = config_from_mapping({"select": ["ALL"], "ignore": ["LL3"]})
    assert config.is_selected("LL110") and not config.is_selected("LL301")
    only_one = config_from_mapping({"ignore": ["ALL"], "select": ["LL2"]})
    assert only_one.is_selected("LL201") and not only_one.is_selected("LL110")


def test_cli_select_replaces_and_cli_ignore_extends() -> None:
    config = config_from_mapping({"select": ["LL2"], "ignore": ["LL201"], "fail-on": "error"})
    merged = config.merged_with(select=["LL1", "LL2"], ignore=["LL110"], fail_on=Severity.NOTE)
    assert merged.select == ("LL1", "LL2")
    assert merged.ignore == ("LL201", "LL110")
    assert merged.fail_on is Severity.NOTE
    assert merged.is_selected("LL101") and not merged.is_selected("LL110")
    assert not merged.is_selected("LL201")
    assert config.merged_with() == config


def test_cli_extend_select_adds_to_the_default_all() -> None:
    config = config_from_mapping({"ignore": ["LL1"]})
    merged = config.merged_with(extend_select=["LL110"])
    assert merged.select == ("ALL", "LL110")
    assert merged.is_selected("LL110") and not merged.is_selected("LL111")


def test_cli_selector_typo_names_the_flag() -> None:
    with pytest.raises(ConfigError, match=r"^--ignore: 'll110' is not a rule id or prefix"):
        Config().merged_with(ignore=["ll110"])


def _rule(rule_id: str, options: dict | None = None) -> Rule:
    return Rule(
        rule_id, f"rule-{rule_id.lower()}", Severity.WARNING, "summary", "doc", (), (), (), Path(), None, options
    )


KNOWN = {
    "LL110": _rule("LL110"),
    "LL111": _rule(
        "LL111",
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {"constructors": {"type": "array", "items": {"type": "string"}}},
        },
    ),
    "LL201": _rule("LL201"),
}


def test_check_rules_rejects_selectors_matching_no_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path / ".lambdalint.toml", 'select = ["LL1", "ALL"]\nignore = ["LL9"]\n')
    config = load_config(path)
    expected = r"^\.lambdalint\.toml: 'ignore': unknown rule or prefix 'LL9'$"
    with pytest.raises(ConfigError, match=expected):
        config.check_rules(KNOWN)
    config_from_mapping({"select": ["LL11"], "rules": {"LL201": {}}}).check_rules(KNOWN)
    with pytest.raises(ConfigError, match="'rules': unknown rule 'LL999'"):
        config_from_mapping({"rules": {"LL999": {}}}).check_rules(KNOWN)


def test_check_rules_validates_per_rule_options_against_the_rules_schema() -> None:
    config_from_mapping({"rules": {"LL111": {"constructors": ["company_db.connect"]}}}).check_rules(KNOWN)
    with pytest.raises(ConfigError, match=r"'rules\.LL111\.constructors\[0\]': 42 is not of type 'string'"):
        config_from_mapping({"rules": {"LL111": {"constructors": [42]}}}).check_rules(KNOWN)
    with pytest.raises(ConfigError, match=r"'rules\.LL110': Additional properties are not allowed"):
        config_from_mapping({"rules": {"LL110": {"threshold": 3}}}).check_rules(KNOWN)


# --- per-file-ignores, severity, handler names ------------------------------------------------


def test_per_file_ignores_use_gitignore_patterns_relative_to_base(tmp_path: Path) -> None:
    config = config_from_mapping(
        {"per-file-ignores": {"tests/": ["LL1"], "test_*.py": ["LL110"], "/scripts/*.py": ["ALL"]}},
        base=tmp_path,
    )
    assert config.is_ignored_for_file("LL120", "tests/unit/test_app.py")
    assert not config.is_ignored_for_file("LL201", "tests/unit/test_app.py")
    assert config.is_ignored_for_file("LL110", "src/test_orders.py")  # no slash: any directory
    assert not config.is_ignored_for_file("LL111", "src/test_orders.py")
    assert config.is_ignored_for_file("LL301", "scripts/deploy.py")
    assert not config.is_ignored_for_file("LL301", "src/scripts/deploy.py")  # anchored
    assert config.is_ignored_for_file("LL120", tmp_path / "tests" / "conftest.py")
    assert not config.is_ignored_for_file("LL120", "src/app.py")


def test_per_file_ignores_base_is_the_config_directory(tmp_path: Path) -> None:
    text = 'per-file-ignores = { "/tests/" = ["LL1"] }\n'
    path = write(tmp_path / "svc" / ".lambdalint.toml", text)
    config = load_config(path)
    assert config.base == tmp_path / "svc"
    assert config.is_ignored_for_file("LL110", tmp_path / "svc" / "tests" / "t.py")
    assert not config.is_ignored_for_file("LL110", tmp_path / "tests" / "t.py")


def test_severity_override_most_specific_wins() -> None:
    config = config_from_mapping({"severity": {"LL2": "note", "LL207": "error"}})
    assert config.severity_for("LL207", Severity.WARNING) is Severity.ERROR
    assert config.severity_for("LL201", Severity.ERROR) is Severity.NOTE
    assert config.severity_for("LL110", Severity.WARNING) is Severity.WARNING


def test_handler_patterns_are_fnmatch_globs() -> None:
    config = Config()
    assert config.is_handler_name("handler") and config.is_handler_name("orders_handler")
    assert config.is_handler_name("lambda_handler")
    assert not config.is_handler_name("handle") and not config.is_handler_name("Handler")
    assert config_from_mapping({"handler-patterns": ["main"]}).is_handler_name("main")
