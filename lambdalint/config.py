"""Project configuration: ``.lambdalint.toml`` or ``[tool.lambdalint]`` in ``pyproject.toml``.

Shaped like ruff's configuration so that users need not learn a second dialect: kebab-case keys,
``select``/``ignore`` by id or prefix (the most specific selector wins), ``per-file-ignores`` by
gitignore-style pattern. Every key is validated against ``schemas/config.schema.json``; a mistake
is a :class:`ConfigError` whose one-line message names the file and the offending key.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import jsonschema
from pathspec import GitIgnoreSpec

from lambdalint.findings import Severity
from lambdalint.rulepack import Rule

CONFIG_FILENAME = ".lambdalint.toml"
PYPROJECT_FILENAME = "pyproject.toml"
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "config.schema.json"

ALL = "ALL"
DEFAULT_HANDLER_PATTERNS: tuple[str, ...] = ("handler", "lambda_handler", "*_handler")
#: Never worth analysing: VCS data, virtual environments, caches, build output, CDK's asset copies.
#: ``.aws-sam`` is absent on purpose: discovery reports ``.aws-sam/build`` on its own.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
    "**/cdk.out/asset.*",
    "build",
    "dist",
)

_SELECTOR_HELP = "not a rule id or prefix (like 'LL110', 'LL1' or 'ALL')"
_RULE_ID_PATTERN = "^[A-Z]+[0-9]+$"
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TYPE_WORDS = {"array": "a list", "object": "a table", "string": "a string"}


class ConfigError(Exception):
    """A configuration file that cannot be used; the message is one line naming file and key."""


@dataclass(frozen=True)
class Config:
    """The effective configuration: file values over defaults, CLI flags via ``merged_with``."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity | None = None
    handler_patterns: tuple[str, ...] = DEFAULT_HANDLER_PATTERNS
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: folders of the user's own rule files (``rules = ["./policies"]``), relative to ``base``
    rule_dirs: tuple[str, ...] = ()
    #: unzipped sizes of layers from outside the template, by ARN or layer name (LL302)
    layer_sizes: dict[str, int] = field(default_factory=dict)
    #: the date dated rules judge by (LL207's runtime lifecycle); ``None``: today
    as_of: date | None = None
    path: Path | None = None
    #: the directory that ``exclude`` and ``per-file-ignores`` patterns are relative to
    base: Path = field(default_factory=Path.cwd)

    def is_selected(self, rule_id: str) -> bool:
        """Whether the rule runs: the most specific selector decides; ``ignore`` wins ties."""
        chosen = _specificity(rule_id, self.select if self.select is not None else (ALL,))
        return chosen > _specificity(rule_id, self.ignore)

    def is_ignored_for_file(self, rule_id: str, path: str | Path) -> bool:
        """Whether ``per-file-ignores`` silences the rule in this file.

        A ``str`` is a POSIX path relative to ``base``; an absolute ``Path`` is made relative to it.
        """
        rel = _relative_posix(path, self.base)
        return any(
            _specificity(rule_id, selectors) >= 0 and spec.match_file(rel) for spec, selectors in self._per_file_specs
        )

    def severity_for(self, rule_id: str, default: Severity) -> Severity:
        """The configured severity of a rule (most specific id or prefix wins), else its default."""
        best, chosen = -1, default
        for selector, severity in self.severity.items():
            rank = _specificity(rule_id, (selector,))
            if rank > best:
                best, chosen = rank, severity
        return chosen

    def is_handler_name(self, name: str) -> bool:
        """Whether a module-level function name matches ``handler-patterns`` (case-sensitive)."""
        return any(fnmatchcase(name, pattern) for pattern in self.handler_patterns)

    def merged_with(
        self,
        *,
        select: Sequence[str] | None = None,
        extend_select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        fail_on: Severity | None = None,
        as_of: date | None = None,
    ) -> Config:
        """This configuration overridden by command-line flags, which win over the file.

        ``select`` replaces the file's list, ``extend_select`` and ``ignore`` add to the lists.
        Raises ``ConfigError`` for a malformed selector, naming the flag.
        """
        _check_cli_selectors("--select", select or ())
        _check_cli_selectors("--extend-select", extend_select)
        _check_cli_selectors("--ignore", ignore)
        new_select = tuple(select) if select is not None else self.select
        if extend_select:
            new_select = (new_select if new_select is not None else (ALL,)) + tuple(extend_select)
        return replace(
            self,
            select=new_select,
            ignore=self.ignore + tuple(ignore),
            fail_on=fail_on if fail_on is not None else self.fail_on,
            as_of=as_of if as_of is not None else self.as_of,
        )

    def check_rules(self, rules: Mapping[str, Rule]) -> None:
        """Reject selectors that match no known rule (a typo would silently select nothing) and
        per-rule options the rule does not take.

        The configuration does not know the rule pack; the caller checks once it is loaded.
        """
        for key, selector in self._selectors():
            if selector != ALL and not any(rule_id.startswith(selector) for rule_id in rules):
                raise ConfigError(f"{_prefix(self.path)}{key}: unknown rule or prefix {selector!r}")
        for rule_id, options in self.rule_options.items():
            rule = rules.get(rule_id)
            if rule is None:
                raise ConfigError(f"{_prefix(self.path)}'rules': unknown rule {rule_id!r}")
            schema = rule.options_schema or {"type": "object", "additionalProperties": False}
            error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(options))
            if error is not None:
                where = _where(["rules", rule_id, *error.absolute_path])
                raise ConfigError(f"{_prefix(self.path)}{where}: {error.message}")

    def _selectors(self) -> Iterator[tuple[str, str]]:
        """Every (key, selector) pair the configuration holds, for ``check_rules``."""
        for selector in self.select or ():
            yield "'select'", selector
        for selector in self.ignore:
            yield "'ignore'", selector
        for pattern, selectors in self.per_file_ignores:
            for selector in selectors:
                yield _where(["per-file-ignores", pattern]), selector
        for selector in self.severity:
            yield "'severity'", selector

    @functools.cached_property
    def _per_file_specs(self) -> tuple[tuple[GitIgnoreSpec, tuple[str, ...]], ...]:
        return tuple((GitIgnoreSpec.from_lines([pattern]), selectors) for pattern, selectors in self.per_file_ignores)


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above ``start`` (a file or a directory).

    In each directory ``.lambdalint.toml`` wins over ``pyproject.toml``, and a ``pyproject.toml``
    only counts when it has a ``[tool.lambdalint]`` table, so a project's unrelated pyproject does
    not hide a configuration further up.
    """
    directory = Path(os.path.abspath(start))
    if not directory.is_dir():
        directory = directory.parent
    for candidate_dir in (directory, *directory.parents):
        dedicated = candidate_dir / CONFIG_FILENAME
        if dedicated.is_file():
            return dedicated
        pyproject = candidate_dir / PYPROJECT_FILENAME
        if pyproject.is_file() and _has_lambdalint_table(pyproject):
            return pyproject
    return None


def load_config(path: Path | None) -> Config:
    """The configuration in ``path`` (``None``: the defaults, relative to the current directory)."""
    if path is None:
        return Config()
    data = _read_toml(path)
    if path.name == PYPROJECT_FILENAME:
        table = _lambdalint_table(data)
        if not isinstance(table, dict | None):
            raise ConfigError(f"{_display(path)}: [tool.lambdalint] must be a table")
        data = table or {}
    return config_from_mapping(data, path=path)


def config_from_mapping(data: Mapping[str, Any], *, path: Path | None = None, base: Path | None = None) -> Config:
    """A configuration from already-parsed keys (a TOML table, or a rule example's ``config``).

    ``path`` names the source in error messages; ``base`` defaults to its directory, else the cwd.
    """
    as_of = data.get("as-of")
    if isinstance(as_of, date) and not isinstance(as_of, datetime):  # a bare TOML date
        data = {**data, "as-of": as_of.isoformat()}
    _validate(data, path)
    exclude = tuple(data.get("exclude", DEFAULT_EXCLUDE)) + tuple(data.get("extend-exclude", ()))
    return Config(
        select=tuple(data["select"]) if "select" in data else None,
        ignore=tuple(data.get("ignore", ())),
        per_file_ignores=tuple(
            (pattern, tuple(selectors)) for pattern, selectors in data.get("per-file-ignores", {}).items()
        ),
        severity={key: Severity(value) for key, value in data.get("severity", {}).items()},
        fail_on=Severity(data["fail-on"]) if "fail-on" in data else None,
        handler_patterns=tuple(data.get("handler-patterns", DEFAULT_HANDLER_PATTERNS)),
        exclude=exclude,
        rule_options=_rule_options(data.get("rules", {})),
        rule_dirs=_rule_dirs(data.get("rules", {})),
        layer_sizes=dict(data.get("layer-sizes", {})),
        as_of=parse_date(data["as-of"], f"{_prefix(path)}'as-of'") if "as-of" in data else None,
        path=path,
        base=base or (Path(os.path.abspath(path)).parent if path else Path.cwd()),
    )


def _rule_options(rules: list[str] | dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``rules`` is a list of folders, or a table of per-rule options that may list them as ``paths``."""
    if isinstance(rules, list):
        return {}
    return {key: dict(value) for key, value in rules.items() if key != "paths"}


def _rule_dirs(rules: list[str] | dict[str, Any]) -> tuple[str, ...]:
    return tuple(rules if isinstance(rules, list) else rules.get("paths", ()))


def parse_date(text: str, where: str) -> date:
    """A ``YYYY-MM-DD`` date (only that form); ``where`` names the flag or key in the error."""
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ConfigError(f"{where}: {text!r} is not a date (YYYY-MM-DD)")


def _specificity(rule_id: str, selectors: Iterable[str]) -> int:
    """How specifically selectors match: -1 none, 0 ``ALL``, else the longest matching prefix."""
    best = -1
    for selector in selectors:
        if selector == ALL:
            best = max(best, 0)
        elif rule_id.startswith(selector):
            best = max(best, len(selector))
    return best


def _check_cli_selectors(flag: str, selectors: Iterable[str]) -> None:
    for selector in selectors:
        if not re.fullmatch(r"[A-Z]+[0-9]*", selector):
            raise ConfigError(f"{flag}: {selector!r} is {_SELECTOR_HELP}")


def _relative_posix(path: str | Path, base: Path) -> str:
    if isinstance(path, Path) and path.is_absolute():
        return Path(os.path.relpath(path, base)).as_posix()
    return Path(path).as_posix()


def _has_lambdalint_table(pyproject: Path) -> bool:
    """Whether a pyproject configures lambdalint; one that never names it is not even parsed."""
    try:
        if b"lambdalint" not in pyproject.read_bytes():
            return False
    except OSError:
        return False
    return isinstance(_lambdalint_table(_read_toml(pyproject)), dict)


def _lambdalint_table(pyproject: Mapping[str, Any]) -> object:
    tool = pyproject.get("tool")
    return tool.get("lambdalint") if isinstance(tool, dict) else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except OSError as exc:
        raise ConfigError(f"{_display(path)}: cannot read: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{_display(path)}: invalid TOML: {exc}") from exc


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _validate(data: Mapping[str, Any], path: Path | None) -> None:
    """Raise the first schema violation (in key order, so the message is deterministic)."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        raise ConfigError(_prefix(path) + _describe(_within_alternative(errors[0])))


def _within_alternative(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For a key that takes one of several shapes (``rules``: a list or a table), the error in the
    shape the value has, which says what is wrong with it."""
    if error.validator != "oneOf" or not error.context:
        return error
    shape = "object" if isinstance(error.instance, dict) else "array"
    alternatives = error.validator_value
    matching = [e for e in error.context if alternatives[e.relative_schema_path[0]].get("type") == shape]
    return (
        _within_alternative(sorted(matching, key=lambda e: [str(p) for p in e.absolute_path])[0]) if matching else error
    )


def _describe(error: jsonschema.ValidationError) -> str:
    """One readable sentence for a schema violation, naming the key as TOML would write it."""
    where = _where(list(error.absolute_path))
    kind = error.validator
    if kind == "additionalProperties":
        known = error.schema.get("properties", {})
        unknown = sorted(key for key in error.instance if key not in known)
        noun = "key" if len(unknown) == 1 else "keys"
        return f"unknown {noun} " + ", ".join(repr(key) for key in unknown)
    if kind == "type":
        expected = _TYPE_WORDS.get(error.validator_value, error.validator_value)
        return f"{where} must be {expected}, not {_toml_type(error.instance)}"
    if kind == "enum":
        return f"{where} must be one of " + ", ".join(error.validator_value)
    if kind == "minLength":
        return f"{where} must not be an empty string"
    if kind == "pattern":
        is_key = "propertyNames" in error.absolute_schema_path
        what = "key " if is_key else ""
        is_rule_id = error.validator_value == _RULE_ID_PATTERN
        help_text = "not a rule id (like 'LL110')" if is_rule_id else _SELECTOR_HELP
        return f"{where}: {what}{error.instance!r} is {help_text}"
    return f"{where}: {error.message}"


def _where(path: Sequence[str | int]) -> str:
    """A key path as TOML spells it: ``'per-file-ignores."tests/*"[0]'``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if _BARE_KEY.match(part) else json.dumps(part)
            text += f".{name}" if text else name
    return f"'{text}'"


def _toml_type(value: object) -> str:
    for kind, word in (
        (bool, "a boolean"),
        (int, "an integer"),
        (float, "a float"),
        (str, "a string"),
        (list, "a list"),
        (dict, "a table"),
        ((datetime, date, time), "a date/time"),
    ):
        if isinstance(value, kind):
            return word
    return type(value).__name__


def _prefix(path: Path | None) -> str:
    """Where a message comes from: ``pyproject.toml: [tool.lambdalint] `` or ``x.toml: ``."""
    if path is None:
        return "configuration: "
    table = " [tool.lambdalint]" if path.name == PYPROJECT_FILENAME else ""
    return f"{_display(path)}:{table} "


def _display(path: Path) -> str:
    """The path as the user would type it: relative to the cwd when below it."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)
