"""Command line: ``lambdalint check``, ``lambdalint rules``, ``lambdalint rule ID``.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings; 2 usage, configuration or internal error.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from pathlib import Path

from lambdalint import __version__
from lambdalint.baseline import BaselineError, apply_baseline, baselined, read_baseline, write_baseline
from lambdalint.changed import project_paths
from lambdalint.config import Config, ConfigError, find_config, load_config, parse_date
from lambdalint.findings import Severity
from lambdalint.output import FORMATTERS, OutputOptions, render
from lambdalint.output.markdown import render_catalogue
from lambdalint.result import RunResult
from lambdalint.rulepack import Rule, RulePackError, all_rules, builtin_rules, load_policies

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A problem with how lambdalint was called: one line to stderr, exit 2."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if getattr(args, "debug", False) else logging.WARNING, format="%(message)s")
    try:
        return args.command(args)
    except (UsageError, ConfigError, RulePackError) as error:
        print(f"lambdalint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_ERROR
    except Exception as error:  # never a traceback unless asked
        if getattr(args, "debug", False):
            raise
        print(
            f"lambdalint: internal error: {type(error).__name__}: {error} (run with --debug for details)",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lambdalint", description="Static analysis for AWS Lambda projects.")
    parser.add_argument("--version", action="version", version=f"lambdalint {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="lint templates, handler code and packages")
    check.add_argument("paths", nargs="*", type=Path, default=[Path(".")], help="files or directories (default: .)")
    check.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="output format (default: text)")
    check.add_argument("--output", "-o", type=Path, help="write the report to FILE instead of standard output")
    check.add_argument(
        "--report",
        action="append",
        default=[],
        type=_report_spec,
        metavar="FORMAT:FILE",
        help="also write a report in FORMAT to FILE, from the same run (repeatable): "
        "--report sarif:lambdalint.sarif --report markdown:summary.md",
    )
    check.add_argument(
        "--fail-on", choices=[s.value for s in Severity], help="lowest severity that fails the run (default: warning)"
    )
    check.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="IDS",
        help="only these rules (ids or prefixes such as LL2), comma-separated",
    )
    check.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="IDS",
        help="skip these rules (ids or prefixes), comma-separated",
    )
    check.add_argument(
        "--config", type=Path, help="configuration file (default: found by walking up from the first path)"
    )
    check.add_argument(
        "--rules", action="append", default=[], type=Path, metavar="DIR", help="also the rule files in DIR (repeatable)"
    )
    check.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="judge dated rules (runtime deprecation) as on this date, for reproducible CI (default: today)",
    )
    check.add_argument(
        "--changed",
        action="store_true",
        help="the paths are changed files (pre-commit): lint each with its project around it, "
        "report only findings in them or caused by them",
    )
    check.add_argument("--baseline", type=Path, metavar="FILE", help="report only findings that FILE does not record")
    check.add_argument(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="record the current findings in FILE; later runs with --baseline FILE report only new ones",
    )
    check.add_argument(
        "--include-suppressed", action="store_true", help="also report suppressed findings (marked as such)"
    )
    check.add_argument(
        "--category",
        metavar="NAME",
        help="SARIF run category (automationDetails.id NAME/): one per analysed part of a monorepo, "
        "so uploads do not replace each other",
    )
    check.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="lint the independent projects of a monorepo in N processes (default: one per CPU; 1: one process)",
    )
    check.add_argument("--quiet", "-q", action="store_true", help="print only the findings, no excerpts or summary")
    check.add_argument("--debug", action="store_true", help="log debugging details and show tracebacks")
    check.set_defaults(command=_check)

    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument(
        "--format",
        choices=["text", "json", "markdown"],
        default="text",
        help="markdown: the catalogue, each rule's doc included (rules/README.md)",
    )
    rules.add_argument("--rules", action="append", default=[], type=Path, metavar="DIR", help="also the rules in DIR")
    rules.set_defaults(command=_rules)

    test_rules = commands.add_parser("test-rules", help="run the examples in your rule files, as tests")
    test_rules.add_argument("directories", nargs="+", type=Path, metavar="DIR", help="folders of rule files")
    test_rules.set_defaults(command=_test_rules)

    rule = commands.add_parser("rule", help="show a rule's documentation and examples")
    rule.add_argument("rule", help="rule id or name, e.g. LL110 or client-in-handler")
    rule.set_defaults(command=_rule)

    lsp = commands.add_parser("lsp", help="run the language server over stdio")
    lsp.set_defaults(command=_lsp)
    return parser


def _split(values: list[str]) -> tuple[str, ...]:
    return tuple(part.strip().upper() for value in values for part in value.split(",") if part.strip())


def _load_config(args: argparse.Namespace) -> tuple[Config, dict[str, Rule]]:
    """The configuration with the command line's flags over it, and every rule it can select."""
    if args.config is not None and not args.config.is_file():
        raise UsageError(f"configuration file not found: {args.config}")
    path = args.config or find_config(args.paths[0])
    config = load_config(path)
    known = all_rules([config.base / directory for directory in config.rule_dirs] + list(args.rules))
    config.check_rules(known)
    for code in (*_split(args.select), *_split(args.ignore)):
        if code != "ALL" and not any(rule_id.startswith(code) for rule_id in known):
            raise UsageError(f"--select/--ignore: no rule matches {code!r}")
    merged = config.merged_with(
        select=_split(args.select) or None,
        ignore=_split(args.ignore),
        fail_on=Severity(args.fail_on) if args.fail_on else None,
        as_of=parse_date(args.as_of, "--as-of") if args.as_of is not None else None,
    )
    return merged, known


def _check(args: argparse.Namespace) -> int:
    missing = [str(path) for path in args.paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    if args.category is not None and not args.category.strip("/ "):
        raise UsageError("--category needs a name, such as --category orders-service")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs needs a number of processes, 1 or more (got {args.jobs})")
    config, rules = _load_config(args)
    result = _run(args, config, rules)
    options = OutputOptions(include_suppressed=args.include_suppressed, quiet=args.quiet, category=args.category)
    for name, path in args.report:
        _write(path, render(name, result, options))
    report = render(args.format, result, options)
    if args.output:
        _write(args.output, report)
    else:
        sys.stdout.write(report)
    threshold = config.fail_on or Severity.WARNING
    failing = any(finding.severity >= threshold for finding in result.reported)
    return EXIT_FINDINGS if failing else EXIT_OK


def _report_spec(value: str) -> tuple[str, Path]:
    """``FORMAT:FILE`` of ``--report``; the format is checked before anything runs."""
    name, colon, path = value.partition(":")
    if not colon or not path:
        raise argparse.ArgumentTypeError(f"expected FORMAT:FILE, such as sarif:lambdalint.sarif (got {value!r})")
    if name not in FORMATTERS:
        raise argparse.ArgumentTypeError(f"unknown format {name!r} (known: {', '.join(sorted(FORMATTERS))})")
    return name, Path(path)


def _write(path: Path, report: str) -> None:
    try:
        path.write_text(report, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from None


def _run(args: argparse.Namespace, config: Config, rules: dict[str, Rule]) -> RunResult:
    """The engine's run over the paths (or around the changed files), with the baseline applied."""
    from lambdalint.engine import find_root, run
    from lambdalint.parallel import run_in_parallel

    paths = list(args.paths)
    if args.changed:
        root = find_root(paths[0]).resolve()
        result = run(project_paths(paths, root), config, rules, root=root, changed=paths)
    else:
        result = run_in_parallel(paths, config, rules, jobs=args.jobs)
    try:
        if args.baseline is not None:
            result = apply_baseline(result, read_baseline(args.baseline))
        if args.write_baseline is not None:
            result = apply_baseline(result, write_baseline(args.write_baseline, baselined(result)))
    except BaselineError as error:
        raise UsageError(str(error)) from None
    return result


def _rules(args: argparse.Namespace) -> int:
    rules = all_rules(list(args.rules)).values()
    if args.format == "markdown":
        sys.stdout.write(render_catalogue(rules))
        return EXIT_OK
    if args.format == "json":
        data = [
            {"id": r.id, "name": r.name, "severity": r.severity.value, "summary": r.summary, "tags": list(r.tags)}
            for r in rules
        ]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return EXIT_OK
    width = max(len(r.name) for r in rules)
    for rule in rules:
        sys.stdout.write(f"{rule.id}  {rule.name:<{width}}  {rule.severity.value:<7}  {rule.summary}\n")
    return EXIT_OK


def _rule(args: argparse.Namespace) -> int:
    wanted = args.rule.strip()
    for rule in builtin_rules().values():
        if wanted.upper() == rule.id or wanted.lower() == rule.name:
            sys.stdout.write(rule_page(rule))
            return EXIT_OK
    raise UsageError(f"unknown rule {wanted!r} (see `lambdalint rules`)")


def _lsp(args: argparse.Namespace) -> int:
    from lambdalint.lsp.server import serve  # pygls is imported only when the server runs

    return serve()


def _test_rules(args: argparse.Namespace) -> int:
    """Each example of each rule in the folders: marked lines reported, the others clean."""
    from lambdalint.examples import run_example

    policies = load_policies(list(args.directories), builtin_rules())
    everything = {**builtin_rules(), **policies}
    failures = total = 0
    for rule in policies.values():
        for example in rule.examples:
            total += 1
            with tempfile.TemporaryDirectory() as directory:
                outcome = run_example(rule, example, Path(directory), everything)
            if outcome.passed:
                continue
            failures += 1
            kind = "valid" if example.valid else "invalid"
            sys.stdout.write(
                f"FAIL {rule.id} {kind} example {example.name!r}: {outcome.problem or 'findings differ'}\n"
            )
            for path, line, rule_id in sorted(outcome.expected - outcome.found):
                sys.stdout.write(f"  expected, not reported: {path}:{line}: {rule_id}\n")
            for path, line, rule_id in sorted(outcome.found - outcome.expected):
                sys.stdout.write(f"  reported, not expected: {path}:{line}: {rule_id}\n")
    sys.stdout.write(f"{total - failures} passed, {failures} failed ({len(policies)} rules)\n")
    return EXIT_FINDINGS if failures else EXIT_OK


def rule_page(rule: Rule) -> str:
    """A rule's full documentation page: metadata, doc, references and examples."""
    lines = [
        f"{rule.id} {rule.name}",
        "",
        f"Default severity: {rule.severity.value}    Tags: {', '.join(rule.tags)}",
        "",
        rule.summary,
        "",
        rule.doc,
        "",
    ]
    if rule.references:
        lines += ["## References", "", *(f"- {reference}" for reference in rule.references), ""]
    for valid in (False, True):
        examples = [example for example in rule.examples if example.valid == valid]
        lines += [f"## Examples that {'stay clean' if valid else 'are reported'}", ""]
        for example in examples:
            lines.append(f"### {example.name}")
            for path, text in example.files.items():
                lines += ["", f"{path}:", textwrap.indent(text.rstrip("\n"), "    "), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
