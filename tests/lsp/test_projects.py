"""Which files a document is linted with: the nearest folder holding a template, up to the git top
level; else the document alone."""

from __future__ import annotations

from pathlib import Path

from lambdalint.lsp.projects import Scope, scope_of
from tests.files import write

TEMPLATE = 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n'


def test_the_nearest_folder_with_a_template_is_the_project(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, "template.yaml", TEMPLATE)
    write(tmp_path, "services/orders/orders.template.json", "{}")
    handler = write(tmp_path, "services/orders/src/app.py")
    assert scope_of(handler) == Scope(tmp_path, tmp_path / "services/orders")
    assert scope_of(write(tmp_path, "tools/run.py")) == Scope(tmp_path, tmp_path)


def test_a_yaml_or_json_file_counts_when_it_reads_like_a_template(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    handler = write(tmp_path, "stack/src/app.py")
    write(tmp_path, "stack/config.yaml", "name: orders\n")
    write(tmp_path, "stack/package.json", '{"description": "AWS::Serverless app"}')
    assert scope_of(handler) == Scope(tmp_path, handler)

    write(tmp_path, "stack/stack.yml", TEMPLATE)
    assert scope_of(handler) == Scope(tmp_path, tmp_path / "stack")


def test_the_search_stops_at_the_git_top_level(tmp_path: Path) -> None:
    write(tmp_path, "template.yaml", TEMPLATE)
    (tmp_path / "repo/.git").mkdir(parents=True)
    handler = write(tmp_path, "repo/app.py")
    assert scope_of(handler) == Scope(tmp_path / "repo", handler)


def test_a_scope_reports_on_what_it_holds(tmp_path: Path) -> None:
    project = Scope(tmp_path, tmp_path / "orders")
    assert project.holds(tmp_path / "orders/src/app.py")
    assert not project.holds(tmp_path / "orders-v2/app.py")
    alone = Scope(tmp_path, tmp_path / "app.py")
    assert alone.holds(tmp_path / "app.py")
    assert not alone.holds(tmp_path / "lib.py")
