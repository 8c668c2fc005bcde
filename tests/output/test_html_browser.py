"""The audit report as an auditor sees it: a real project's report opened in headless Chromium.

Assertions are on what is visible (``innerText``, visibility), not on the HTML source. The test
uses the OS's Chromium (Debian's package) through playwright and never downloads a browser. It
skips when either is missing, unless ``LAMBDALINT_REQUIRE_BROWSER=1`` (set by ``.ci/run``), which
turns a missing browser into a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NoReturn

import pytest

from lambdalint.config import load_config
from lambdalint.engine import run
from lambdalint.output import OutputOptions, render
from tests.files import write

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Timeout: 30
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: orders/
      Handler: app.handler
      MemorySize: 512
  Tenants:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: tenants/
      Handler: app.handler
      # <script>document.title = "pwned by the template"</script>
      MemorySize: 20480
"""
ORDERS = """\
import boto3

# <script>document.title = "pwned by the handler"</script>
def handler(event, context):
    client = boto3.client("dynamodb")
    return client.get_item(TableName="orders", Key={})
"""
TENANTS = """\
import boto3


def handler(event, context):
    # lambdalint: ignore[LL110] each tenant has its own region, <b>decided</b> by the event
    s3 = boto3.client("s3", region_name=event["region"])
    return s3.list_buckets()
"""


def chromium() -> str | None:
    if os.path.exists("/usr/bin/chromium"):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def unavailable(reason: str) -> NoReturn:
    if os.environ.get("LAMBDALINT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and LAMBDALINT_REQUIRE_BROWSER=1 requires the browser test to run")
    pytest.skip(reason)


@dataclass
class Opened:
    """The report open in the browser, every URL the page asked for and what it logged (a load the
    Content-Security-Policy refused is logged, not requested)."""

    page: Any
    uri: str
    requests: list[str]
    console: list[str]


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Opened]:
    """The report of a two-function project, open in headless Chromium."""
    executable = chromium()
    if executable is None:
        unavailable("no Chromium found (install the OS package: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install '.[test]')")
    root = tmp_path_factory.mktemp("project")
    for rel, text in {"template.yaml": TEMPLATE, "orders/app.py": ORDERS, "tenants/app.py": TENANTS}.items():
        write(root, rel, text)
    result = run([root], load_config(None).merged_with(select=["LL110", "LL205", "LL201"]), root=root)
    report = write(root, "report.html", render("html", result, OutputOptions()))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            shown = Opened(page, report.as_uri(), [], [])
            page.on("request", lambda request: shown.requests.append(request.url))
            page.on("console", lambda message: shown.console.append(message.text))
            page.goto(shown.uri)
            yield shown
        finally:
            browser.close()


def visible_rows(page: Any, selector: str) -> list[list[str]]:
    return page.eval_on_selector_all(
        selector,
        "rows => rows.map(row => Array.from(row.cells, cell => cell.innerText.replace(/\\s+/g, ' ').trim()))",
    )


def lines(text: str) -> list[str]:
    """innerText's lines, without the blank ones a browser puts between blocks."""
    return [line for line in text.split("\n") if line.strip()]


def test_the_page_asks_for_nothing_but_itself(opened: Opened) -> None:
    assert opened.requests == [opened.uri]
    assert opened.console == []


def test_the_stylesheet_applies_under_the_content_security_policy(opened: Opened) -> None:
    page = opened.page
    assert page.eval_on_selector("h1", "h1 => getComputedStyle(h1).fontSize") == "26px"


def test_each_function_has_a_visible_summary_row(opened: Opened) -> None:
    page = opened.page
    assert page.is_visible("#functions table")
    assert visible_rows(page, "#functions tbody tr") == [
        [
            "Orders template.yaml:8 AWS::Serverless::Function",
            "1 FAILED 2 PASSED",
            "python3.12",
            "512 MB",
            "30 s",
            f"{len(ORDERS.encode())} bytes unzipped",
            "none",
            "generated by SAM",
            "none",
        ],
        [
            "Tenants template.yaml:14 AWS::Serverless::Function",
            "1 FAILED 1 SUPPRESSED 1 PASSED",
            "python3.12",
            "20,480 MB",
            "30 s",
            f"{len(TENANTS.encode())} bytes unzipped",
            "none",
            "generated by SAM",
            "none",
        ],
    ]


def test_each_rule_verdict_is_shown_per_function(opened: Opened) -> None:
    page = opened.page
    sections = page.eval_on_selector_all("section.function", "all => all.map(section => section.innerText)")
    assert [lines(section) for section in sections] == [
        [
            "Orders template.yaml:8",
            "Failed (1)",
            "LL110 client-in-handler — 1 warning",
            "Passed (2)",
            "LL201 too-many-layers",
            "LL205 quota-out-of-range",
        ],
        [
            "Tenants template.yaml:14",
            "Failed (1)",
            "LL205 quota-out-of-range — 1 error",
            "Suppressed (1)",
            "LL110 client-in-handler — 1 note",
            "Passed (1)",
            "LL201 too-many-layers",
        ],
    ]


def test_a_finding_is_shown_with_its_code_excerpt_and_its_span_marked(opened: Opened) -> None:
    page = opened.page
    finding = page.locator("article.finding.warning")
    assert finding.is_visible()
    assert lines(finding.inner_text()) == [
        "WARNING",
        "LL110",
        "client-in-handler",
        "orders/app.py:5",
        "boto3 client created on every invocation; create it once at module scope so warm invocations reuse it "
        "and its connections",
        "Resource Orders in template.yaml",
        '# <script>document.title = "pwned by the handler"</script>',
        "def handler(event, context):",
        '    client = boto3.client("dynamodb")',
        '    return client.get_item(TableName="orders", Key={})',
        "orders/app.py:4 — the handler, which runs this on every invocation",
    ]
    assert finding.locator("mark").inner_text() == 'boto3.client("dynamodb")'
    assert finding.locator("mark").is_visible()


def test_scripts_in_the_code_and_the_template_stay_text(opened: Opened) -> None:
    page = opened.page
    assert page.title() == "lambdalint audit report"
    body = page.inner_text("body")
    assert '<script>document.title = "pwned by the handler"</script>' in body
    assert '<script>document.title = "pwned by the template"</script>' in body


def test_the_suppression_is_shown_with_its_kind_place_and_reason(opened: Opened) -> None:
    page = opened.page
    assert page.is_visible("#suppressed table")
    assert visible_rows(page, "#suppressed tbody tr") == [
        [
            "tenants/app.py:6",
            "LL110 client-in-handler",
            "boto3 client created on every invocation from per-request values; cache it in a module-level dict "
            "keyed by those values (or functools.lru_cache) so warm invocations reuse it",
            "inline comment",
            "tenants/app.py:5",
            "each tenant has its own region, <b>decided</b> by the event",
        ]
    ]


def test_a_missing_browser_skips_unless_the_environment_requires_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LAMBDALINT_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no Chromium"):
        unavailable("no Chromium")
    monkeypatch.setenv("LAMBDALINT_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="no Chromium, and LAMBDALINT_REQUIRE_BROWSER=1 requires"):
        unavailable("no Chromium")
