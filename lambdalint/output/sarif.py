"""SARIF 2.1.0, for GitHub code scanning and every SARIF viewer.

The log is built from sarif-om's classes and serialized by our own walker, because sarif-om's
attrs defaults include non-None sentinels (``-1`` indexes and ids, ``rank -1.0``, ``"en-US"``,
``newlineSequences``, result ``kind``/``level``) that a plain dump would leak into every object,
while a value we set on purpose must survive even when it equals such a default: a result's
``level: "warning"`` overrides its rule's default level, which may well be ``error``.

For GitHub code scanning the run carries ``automationDetails.id`` (its category, so that the uploads
of several parts of a monorepo do not replace each other) and every result with a line carries
``primaryLocationLineHash`` (see :mod:`lambdalint.output.line_hash`) next to our own fingerprint.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar
from urllib.parse import quote

import attr
import sarif_om as om

from lambdalint.findings import Finding, Location, Suppression
from lambdalint.output.line_hash import line_hashes
from lambdalint.output.report import OutputOptions
from lambdalint.result import RunResult
from lambdalint.rulepack import Rule

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/lambdalint/lambdalint"
#: the partialFingerprints key; bump the suffix if Finding.fingerprint ever changes how it is made
FINGERPRINT_KEY = "lambdalintFingerprint/v1"
#: GitHub's own key, for the hash of the text at the result's first line
LINE_HASH_KEY = "primaryLocationLineHash"
#: the run's category when --category names none
DEFAULT_CATEGORY = "lambdalint"
#: every artifact URI is relative to this base, which stands for the run's root
SRCROOT = "%SRCROOT%"
#: our suppression kinds in SARIF's words: comments and Metadata live in the analysed files
_SUPPRESSION_KINDS = {
    "inline": "inSource",
    "file": "inSource",
    "metadata": "inSource",
    "baseline": "external",
}
#: characters a relative URI path may carry as they are ("!" keeps `pkg.zip!/member` readable)
_URI_SAFE = "/!$&'()*+,;=@"
_EXPLICIT = "_lambdalint_explicit"

_T = TypeVar("_T")


def render_sarif(result: RunResult, options: OutputOptions) -> str:
    rules = list(result.rules.values())
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    driver = _om(
        om.ToolComponent,
        name="lambdalint",
        version=result.tool_version,
        information_uri=INFORMATION_URI,
        rules=[_descriptor(rule) for rule in rules],
    )
    root_uri = result.root.absolute().as_uri()
    if not root_uri.endswith("/"):
        root_uri += "/"  # a base URI names a directory only with its trailing slash
    shown = options.shown(result)
    on_lines = {finding.location.path for finding in shown if finding.location.span is not None}
    hashes = {path: line_hashes(result.texts[path]) for path in on_lines if path in result.texts}
    run = _om(
        om.Run,
        tool=_om(om.Tool, driver=driver),
        automation_details=_om(om.RunAutomationDetails, id=_automation_id(options.category)),
        column_kind="unicodeCodePoints",
        original_uri_base_ids={SRCROOT: _om(om.ArtifactLocation, uri=root_uri)},
        results=[_result(finding, rule_index, hashes) for finding in shown],
    )
    log = _om(om.SarifLog, version=SARIF_VERSION, schema_uri=SARIF_SCHEMA_URI, runs=[run])
    return json.dumps(_to_json(log), indent=2, sort_keys=True) + "\n"


def _automation_id(category: str | None) -> str:
    """``NAME/``: GitHub reads the part before the last slash as the category (and adds the slash
    to its own ``category`` input the same way)."""
    name = category or DEFAULT_CATEGORY
    return name if name.endswith("/") else f"{name}/"


def _descriptor(rule: Rule) -> om.ReportingDescriptor:
    """Everything GitHub shows about a rule: descriptions, help, level, tags, security severity."""
    properties: dict[str, Any] = {"tags": list(rule.tags)}
    if rule.security_severity is not None:
        properties["security-severity"] = f"{rule.security_severity:.1f}"
    return _om(
        om.ReportingDescriptor,
        id=rule.id,
        name=rule.name,
        short_description=_om(om.MultiformatMessageString, text=rule.summary),
        full_description=_om(om.MultiformatMessageString, text=_first_paragraph(rule.doc)),
        help=_om(om.MultiformatMessageString, text=rule.doc, markdown=rule.doc),
        help_uri=rule.help_uri,
        default_configuration=_om(om.ReportingConfiguration, level=rule.severity.value),
        properties=properties,
    )


def _first_paragraph(doc: str) -> str:
    """The doc's first paragraph on one line, headings skipped.

    A paragraph ending in a colon announces what follows (usually a list), so that comes along.
    """
    parts: list[str] = []
    for block in re.split(r"\n\s*\n", doc.strip()):
        lines = [line.strip() for line in block.splitlines() if not line.lstrip().startswith("#")]
        if lines:
            parts.append(" ".join(lines))
            if not parts[-1].endswith(":"):
                break
    return " ".join(parts) or doc.strip()


def _result(finding: Finding, rule_index: dict[str, int], hashes: dict[str, dict[int, str]]) -> om.Result:
    """One result; ``hashes`` holds the line hashes of the files whose text the run loaded, by path."""
    related = [_location(place, location_id=number) for number, place in enumerate(finding.related, 1)]
    suppression = finding.suppressed_by
    fingerprints = {FINGERPRINT_KEY: finding.fingerprint}
    span = finding.location.span
    line_hash = None if span is None else hashes.get(finding.location.path, {}).get(span.start_line)
    if line_hash is not None:
        fingerprints[LINE_HASH_KEY] = line_hash
    return _om(
        om.Result,
        rule_id=finding.rule_id,
        # a finding of a rule missing from the run's rule list is still reported, by id only
        rule_index=rule_index.get(finding.rule_id),
        level=finding.severity.value,
        message=_om(om.Message, text=finding.message),
        locations=[_location(finding.location)],
        related_locations=related or None,
        partial_fingerprints=fingerprints,
        suppressions=None if suppression is None else [_suppression(suppression)],
    )


def _suppression(suppression: Suppression) -> om.Suppression:
    return _om(
        om.Suppression,
        kind=_SUPPRESSION_KINDS[suppression.kind],
        justification=suppression.reason or None,
        location=_location(suppression.location),
    )


def _location(place: Location, location_id: int | None = None) -> om.Location:
    """A SARIF location for any place we report: primary, related or where a suppression is written.

    The URI is relative to ``%SRCROOT%``; the region is left out when the place has no span (a whole
    file or package). Lines and columns are 1-based already; the floor of 1 only guards the schema.
    """
    span = place.span
    region = None
    if span is not None:
        region = _om(
            om.Region,
            start_line=max(span.start_line, 1),
            start_column=max(span.start_column, 1),
            end_line=max(span.end_line, 1),
            end_column=max(span.end_column, 1),
        )
    return _om(
        om.Location,
        id=location_id,
        physical_location=_om(
            om.PhysicalLocation,
            artifact_location=_om(om.ArtifactLocation, uri=quote(place.path, safe=_URI_SAFE), uri_base_id=SRCROOT),
            region=region,
        ),
        message=_om(om.Message, text=place.label) if place.label else None,
    )


def _om(cls: type[_T], **values: Any) -> _T:
    """Build a sarif-om object and remember which fields we set, so that ``_to_json`` keeps them."""
    built = cls(**values)
    setattr(built, _EXPLICIT, frozenset(values))
    return built


def _to_json(value: Any) -> Any:
    """sarif-om objects to plain JSON data under each field's schema name.

    A field is written when it is not None and was set on purpose, or differs from its attrs
    default (so an object built without ``_om`` still loses the sentinels).
    """
    if attr.has(type(value)):
        explicit: frozenset[str] = getattr(value, _EXPLICIT, frozenset())
        data: dict[str, Any] = {}
        for field in attr.fields(type(value)):
            item = getattr(value, field.name)
            if item is None or (field.name not in explicit and item == _default(field)):
                continue
            data[field.metadata["schema_property_name"]] = _to_json(item)
        return data
    if isinstance(value, dict):
        return {key: _to_json(item) for key, item in value.items() if item is not None}
    if isinstance(value, (list, tuple)):
        return [_to_json(item) for item in value]
    return value


def _default(field: attr.Attribute) -> Any:
    default = field.default
    return default.factory() if isinstance(default, attr.Factory) else default  # type: ignore[arg-type,union-attr]
