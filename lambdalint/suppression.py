"""Suppressions: ``# lambdalint: ignore[...]`` comments and resource ``Metadata`` entries.

Scanning and applying are separate steps: the scanners see one file at a time and know nothing of
the rules, so a directive keeps its codes as written and :func:`apply_suppressions` resolves them
(ids or names) against the rule pack. That is also where unknown codes become LL007 and codes that
suppressed nothing become LL005 — the latter only for rules that ran, like ruff's RUF100, because a
suppression of a rule that was not selected cannot be judged.

A comment alone on its line covers the next line that is neither blank nor comment-only, so a
stack of suppression comments (or one separated from its code by a blank line) covers that code.
In templates the scanner also sees ``#`` lines inside block scalars, which is what suppressions in
inline ``ZipFile`` code need.
"""

from __future__ import annotations

import dataclasses
import difflib
import io
import re
import tokenize
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass

from lambdalint.findings import Finding, Location, Severity, Span, Suppression
from lambdalint.loaders import tree
from lambdalint.rulepack import Rule

UNUSED_ID = "LL005"
MALFORMED_ID = "LL007"

_MARKER = re.compile(r"#\s*lambdalint\s*:\s*", re.IGNORECASE)
_DIRECTIVE = re.compile(r"(?P<word>[\w-]*)\s*(?P<bracket>\[(?P<codes>[^\]]*)(?P<close>\])?)?\s*(?P<reason>.*)")
_KINDS = {"ignore": "inline", "file-ignore": "file"}
#: when several directives cover a finding, the most specific one is named as its suppression
_PRECEDENCE = {"inline": 0, "metadata": 1, "file": 2}
_SCOPE = {"inline": "here", "file": "in this file", "metadata": "on this resource"}


@dataclass(frozen=True)
class Directive:
    """One suppression as written: an inline or file-wide comment, or one Metadata entry."""

    kind: str  # "inline" | "file" | "metadata"
    codes: tuple[str, ...]  # as written: ids or rule names
    reason: str
    location: Location  # the comment's span, or the Metadata entry's node span
    resource: tuple[str, str] | None = None  # metadata only: (template path, logical id)
    covers_next_line: bool = False  # an inline comment standing alone on its line
    #: inline only: the line it covers (its own, or the next code line; None when no code follows)
    target_line: int | None = None
    #: where it is without line numbers (the normalised comment, or the entry's path in the template)
    place: str = ""
    #: the comment's whole line, for excerpts and fingerprints
    snippet: str = ""


@dataclass(frozen=True)
class Malformed:
    """A suppression that cannot be understood; it suppresses nothing and becomes LL007."""

    location: Location
    message: str
    place: str = ""
    snippet: str = ""
    resource: tuple[str, str] | None = None


Scanned = Directive | Malformed


def scan_python(rel: str, text: str) -> list[Scanned]:
    """Suppression comments in Python source; strings that contain the marker do not count.

    Comments come from :mod:`tokenize`. A file it cannot tokenize (a syntax error, reported
    elsewhere) is scanned line by line instead, skipping quoted text on each line.
    """
    if "lambdalint" not in text:
        return []  # the common case, without the cost of tokenizing
    lines = _split_lines(text)
    try:
        comments = [
            (token.start[0], token.start[1], token.string)
            for token in tokenize.generate_tokens(io.StringIO(text).readline)
            if token.type == tokenize.COMMENT
        ]
    except (tokenize.TokenError, SyntaxError):
        comments = _line_comments(lines, yaml=False)
    return _directives(rel, lines, comments)


def scan_yaml(rel: str, text: str) -> list[Scanned]:
    """Suppression comments in a YAML template: ``#`` at line start or after whitespace, unquoted."""
    if "lambdalint" not in text:
        return []
    lines = _split_lines(text)
    return _directives(rel, lines, _line_comments(lines, yaml=True))


def scan_metadata(rel: str, root: tree.Node) -> list[Scanned]:
    """``Resources.<id>.Metadata.lambdalint.ignore: [{id, reason}]`` entries, one directive each.

    Any root is accepted: a template that is not a mapping is reported by its loader, not here.
    """
    resources = root.mapping("Resources") if isinstance(root, tree.Mapping) else None
    if resources is None:
        return []
    scanned: list[Scanned] = []
    for logical_id, resource in resources.items():
        metadata = resource.mapping("Metadata") if isinstance(resource, tree.Mapping) else None
        settings = metadata.get("lambdalint") if metadata is not None else None
        if settings is None:
            continue
        owner = (rel, logical_id)
        place = f"Resources/{logical_id}/Metadata/lambdalint"
        entries = settings.get("ignore") if isinstance(settings, tree.Mapping) else None
        if not isinstance(entries, tree.Sequence):
            message = "Metadata lambdalint needs `ignore: [{id: <rule>, reason: <why>}]`"
            where = entries if entries is not None else settings
            scanned.append(Malformed(Location(rel, where.span), message, place, resource=owner))
            continue
        for index, entry in enumerate(entries):
            scanned.append(_metadata_entry(rel, owner, entry, f"{place}/ignore/{index}"))
    return scanned


def _metadata_entry(rel: str, owner: tuple[str, str], entry: tree.Node, place: str) -> Scanned:
    location = Location(rel, entry.span)
    if not isinstance(entry, tree.Mapping):
        message = "a Metadata lambdalint ignore entry must be a mapping {id, reason}"
        return Malformed(location, message, place, resource=owner)
    rule = tree.scalar_value(entry.get("id"))
    if not isinstance(rule, str) or not rule.strip():
        message = "a Metadata lambdalint ignore entry needs `id: <rule id or name>`"
        return Malformed(location, message, place, resource=owner)
    reason = tree.scalar_value(entry.get("reason"))
    reason_text = "" if reason is None else str(reason)
    return Directive("metadata", (rule.strip(),), reason_text, location, owner, place=place)


def _split_lines(text: str) -> list[str]:
    """Lines numbered as :mod:`tokenize` and YAML marks number them (``\\f`` is not a break)."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def _line_comments(lines: list[str], *, yaml: bool) -> list[tuple[int, int, str]]:
    """(1-based line, 0-based column, text) of each line's comment, found without a tokenizer."""
    comments: list[tuple[int, int, str]] = []
    for number, line in enumerate(lines, start=1):
        column = _comment_column(line, yaml=yaml)
        if column is not None:
            comments.append((number, column, line[column:]))
    return comments


def _comment_column(line: str, *, yaml: bool) -> int | None:
    """Where the line's comment starts, outside single- or double-quoted text.

    YAML only opens a quote at the start of a scalar (so ``it's`` is not one), escapes ``'`` by
    doubling it, and needs whitespace before ``#``; Python quotes open anywhere (``f"..."``).
    """
    quote: str | None = None
    previous = " "
    index = 0
    while index < len(line):
        char = line[index]
        if quote is not None:
            if char == "\\" and (quote == '"' or not yaml):
                index += 1
            elif char == quote == "'" and yaml and line[index + 1 : index + 2] == "'":
                index += 1
            elif char == quote:
                quote = None
        elif char in "'\"" and (not yaml or previous in " \t[{,"):
            quote = char
        elif char == "#" and (not yaml or previous in " \t"):
            return index
        previous = char
        index += 1
    return None


def _directives(rel: str, lines: list[str], comments: Iterable[tuple[int, int, str]]) -> list[Scanned]:
    scanned: list[Scanned] = []
    for line_number, column, comment in comments:
        marker = _MARKER.search(comment)
        if marker is None:
            continue
        comment = comment.rstrip()
        snippet = lines[line_number - 1]
        location = Location(rel, Span(line_number, column + 1, line_number, column + 1 + len(comment)))
        place = " ".join(comment[marker.start() :].split())
        parsed = _parse(comment[marker.end() :])
        if isinstance(parsed, str):
            scanned.append(Malformed(location, parsed, place, snippet))
            continue
        kind, codes, reason = parsed
        alone = kind == "inline" and not snippet[:column].strip()
        target = None if kind == "file" else _next_code_line(lines, line_number) if alone else line_number
        scanned.append(
            Directive(
                kind,
                codes,
                reason,
                location,
                covers_next_line=alone,
                target_line=target,
                place=place,
                snippet=snippet,
            )
        )
    return scanned


def _parse(body: str) -> tuple[str, tuple[str, ...], str] | str:
    """``ignore[A, B] reason`` → (kind, codes, reason), or what is wrong with it."""
    match = _DIRECTIVE.match(body)
    assert match is not None  # every part of the pattern is optional
    word = match["word"].lower()
    if word not in _KINDS:
        hint = _did_you_mean(word, {kind: kind for kind in _KINDS})
        found = f"unknown suppression directive {match['word']!r}" if word else "no suppression directive"
        return f"{found}: expected ignore[...] or file-ignore[...]{hint}"
    if match["bracket"] is None:
        return f"`{word}` needs rule codes in brackets, e.g. {word}[LL201]"
    if match["close"] is None:
        return f"`{word}[` is not closed with `]`"
    codes = tuple(code.strip() for code in match["codes"].split(",") if code.strip())
    if not codes:
        return f"`{word}[]` names no rule codes"
    return _KINDS[word], codes, match["reason"].strip()


def _next_code_line(lines: list[str], line_number: int) -> int | None:
    """The first line after ``line_number`` that is neither blank nor only a comment."""
    for number in range(line_number + 1, len(lines) + 1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return None


def _did_you_mean(word: str, spellings: Mapping[str, str]) -> str:
    """A hint naming the closest known spelling; ``spellings`` maps lower case to display form."""
    close = difflib.get_close_matches(word.lower(), list(spellings), n=1)
    return f" (did you mean {spellings[close[0]]}?)" if close else ""


def apply_suppressions(
    findings: Iterable[Finding],
    directives: Iterable[Scanned],
    rules: Mapping[str, Rule],
    enabled: Container[str],
) -> list[Finding]:
    """All findings, the suppressed ones marked, plus LL007 for malformed and LL005 for unused codes.

    ``rules`` is every known rule (to resolve ids and names); ``enabled`` the ids that ran. The
    new LL005/LL007 findings can themselves be suppressed (``file-ignore[LL005]``).
    """
    codes = {key.lower(): rule.id for rule in rules.values() for key in (rule.id, rule.name)}
    spellings = {key.lower(): key for rule in rules.values() for key in (rule.id, rule.name)}
    problems: list[tuple[str, Scanned, str]] = []  # (message, where, logical place)
    active: list[tuple[Directive, str]] = []
    for item in directives:
        if isinstance(item, Malformed):
            problems.append((item.message, item, f"suppression:{item.place}"))
            continue
        resolved: list[str] = []
        for code in item.codes:
            rule_id = codes.get(code.lower())
            if rule_id is None:
                message = f"unknown rule {code!r} in suppression{_did_you_mean(code, spellings)}"
                problems.append((message, item, f"suppression:{code}:{item.place}"))
            elif rule_id not in resolved:
                resolved.append(rule_id)
        active.extend((item, rule_id) for rule_id in resolved)
    active.sort(key=lambda pair: _PRECEDENCE[pair[0].kind])
    by_rule: dict[str, list[tuple[int, Directive]]] = {}
    for index, (directive, rule_id) in enumerate(active):
        by_rule.setdefault(rule_id, []).append((index, directive))

    malformed = [_finding(MALFORMED_ID, *problem, rules) for problem in problems if MALFORMED_ID in enabled]
    used: set[int] = set()
    result = [_suppress(finding, by_rule, used) for finding in (*findings, *malformed)]
    if UNUSED_ID in enabled:
        unused = [
            _finding(
                UNUSED_ID,
                f"unused suppression: {rule_id} ({rules[rule_id].name}) suppressed nothing {_SCOPE[directive.kind]}",
                directive,
                f"suppression:{rule_id}:{directive.place}",
                rules,
            )
            for index, (directive, rule_id) in enumerate(active)
            if index not in used and rule_id in enabled and rule_id != UNUSED_ID
        ]
        result.extend(_suppress(finding, by_rule, used) for finding in unused)
    return result


def _finding(rule_id: str, message: str, item: Scanned, logical_place: str, rules: Mapping[str, Rule]) -> Finding:
    rule = rules.get(rule_id)
    severity = rule.severity if rule is not None else Severity.WARNING
    return Finding(
        rule_id, severity, message, item.location, logical_place, snippet=item.snippet, resource=item.resource
    )


def _suppress(finding: Finding, by_rule: dict[str, list[tuple[int, Directive]]], used: set[int]) -> Finding:
    """Mark every directive that covers the finding as used; name the most specific one."""
    matched: Directive | None = None
    for index, directive in by_rule.get(finding.rule_id, ()):
        if _covers(directive, finding):
            used.add(index)
            matched = matched or directive
    if matched is None:
        return finding
    return dataclasses.replace(finding, suppressed_by=Suppression(matched.kind, matched.location, matched.reason))


def _covers(directive: Directive, finding: Finding) -> bool:
    if directive.kind == "metadata":
        return finding.resource == directive.resource
    if finding.location.path != directive.location.path:
        return False
    if directive.kind == "file":
        return True
    span = finding.location.span
    return span is not None and span.start_line == directive.target_line
