"""A small, fixed run result every formatter test renders.

Four rules (one with no finding, so SARIF must still list it) and four findings: one with related
places, one spanning two lines, one suppressed inline, one without a span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from lambdalint.findings import Finding, Location, Severity, Span, Suppression
from lambdalint.result import RunResult
from lambdalint.rulepack import BUILTIN_DOCS, Rule

ROOT = Path("/srv/project")


def make_rule(
    rule_id: str,
    name: str,
    severity: Severity,
    tags: tuple[str, ...],
    security_severity: float | None = None,
) -> Rule:
    doc = f"## What it finds\n\nThe {name} pattern,\nfound in Lambda code.\n\n## How to fix it\n\nDo not write {name}."
    return Rule(
        id=rule_id,
        name=name,
        severity=severity,
        summary=f"Reports {name}.",
        doc=doc,
        tags=tags,
        references=("https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html",),
        examples=(),
        source=Path(f"rules/{rule_id}-{name}.yaml"),
        help_uri=f"{BUILTIN_DOCS}{rule_id}-{name}.yaml",
        security_severity=security_severity,
    )


RULES = {
    rule.id: rule
    for rule in (
        make_rule("LL006", "not-analysed", Severity.NOTE, ("engine",)),
        make_rule("LL110", "client-in-handler", Severity.WARNING, ("performance", "cost")),
        make_rule("LL150", "hardcoded-aws-credentials", Severity.ERROR, ("security",), 7.5),
        make_rule("LL201", "too-many-layers", Severity.ERROR, ("quota",)),
    )
}

CLIENT = Finding(
    rule_id="LL110",
    severity=Severity.WARNING,
    message="boto3 client created per invocation; create it at module scope",
    location=Location("app.py", Span(12, 14, 12, 32)),
    logical_place="handler/boto3.client",
    related=(
        Location("app.py", Span(10, 1, 10, 30), "handler defined here"),
        Location("template.yaml", Span(8, 5, 8, 20), "function Orders"),
    ),
    snippet='    client = boto3.client("s3")',
)
SECRET = Finding(
    rule_id="LL150",
    severity=Severity.ERROR,
    message="literal AWS secret key passed to boto3.client",
    location=Location("app.py", Span(20, 5, 21, 10)),
    logical_place="handler/boto3.client/aws_secret_access_key",
    snippet='    s3 = boto3.client("s3", aws_secret_access_key="abc123",',
)
SUPPRESSED = Finding(
    rule_id="LL110",
    severity=Severity.WARNING,
    message="boto3 client created per invocation; create it at module scope",
    location=Location("app.py", Span(30, 14, 30, 37)),
    logical_place="tenant_client/boto3.client",
    snippet='    client = boto3.client("s3", region)  # lambdalint: ignore[LL110] region is per tenant',
    suppressed_by=Suppression("inline", Location("app.py", Span(30, 43, 30, 89)), "region is per tenant"),
)
UNANALYSED = Finding(
    rule_id="LL006",
    severity=Severity.NOTE,
    message="code in S3 (s3://artifacts/orders.zip) is not analysed",
    location=Location("build/orders.zip"),
    logical_place="Orders/CodeUri",
)


@dataclass(frozen=True)
class Sample:
    """The fixed findings and a way to build runs of them (test modules cannot import conftest)."""

    client: Finding = CLIENT
    secret: Finding = SECRET
    suppressed: Finding = SUPPRESSED
    unanalysed: Finding = UNANALYSED
    rules: dict[str, Rule] = field(default_factory=lambda: RULES)
    root: Path = ROOT

    def result(self, *findings: Finding, files_checked: int = 7) -> RunResult:
        """A run over ``root``, every rule enabled, these findings sorted as the engine sorts them."""
        return RunResult(
            root=self.root,
            findings=tuple(sorted(findings, key=Finding.sort_key)),
            rules=self.rules,
            files_checked=files_checked,
            tool_version="0.1.0",
        )


@pytest.fixture
def sample() -> Sample:
    return Sample()


@pytest.fixture
def run_result(sample: Sample) -> RunResult:
    """All four findings: three reported, one suppressed."""
    return sample.result(sample.client, sample.secret, sample.suppressed, sample.unanalysed)
