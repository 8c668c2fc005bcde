"""Discovery: what a walk finds, what it leaves out, and why."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from files import write
from pathspec import GitIgnoreSpec

from lambdalint.config import DEFAULT_EXCLUDE
from lambdalint.discovery import MAX_TEMPLATE_BYTES, Discovered, discover, is_json_template

SAM = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
FUNCTION_JSON = '{"Resources": {"Fn": {"Type": "AWS::Lambda::Function"}}}'


def rel(root: Path, paths: tuple[Path, ...]) -> set[str]:
    return {path.relative_to(root).as_posix() for path in paths}


def run(root: Path, *paths: Path, exclude: tuple[str, ...] = DEFAULT_EXCLUDE) -> Discovered:
    return discover(list(paths) or [root], root, exclude)


def test_finds_templates_by_name_and_by_content(tmp_path: Path) -> None:
    write(tmp_path, "template.yaml", "not even yaml: [")  # by name: the loader reports it
    write(tmp_path, "stacks/api.template.json", "{}")
    write(tmp_path, "stacks/db.template.yaml", "")
    write(tmp_path, "infra/cdk.out/Orders.template.json", "{}")
    write(tmp_path, "infra/stack.yml", SAM)
    write(tmp_path, "infra/raw.json", FUNCTION_JSON)
    write(tmp_path, "infra/legacy.template", "Resources:\n  F:\n    Type: AWS::Lambda::Function\n")
    write(tmp_path, "infra/other.yaml", "key: value\n")
    write(tmp_path, "infra/data.json", '{"a": 1}')
    found = run(tmp_path)
    assert rel(tmp_path, found.templates) == {
        "template.yaml",
        "stacks/api.template.json",
        "stacks/db.template.yaml",
        "infra/cdk.out/Orders.template.json",
        "infra/stack.yml",
        "infra/raw.json",
        "infra/legacy.template",
    }
    assert found.python == found.zips == found.build_dirs == found.skipped == ()


def test_finds_python_and_zips_sorted_and_absolute(tmp_path: Path) -> None:
    write(tmp_path, "src/b.py")
    write(tmp_path, "src/a.py")
    write(tmp_path, "src/pkg/__init__.py")
    write(tmp_path, "dist2/function.zip", b"PK\x05\x06" + bytes(18))
    write(tmp_path, "README.md", "AWS::Lambda::Function")
    found = run(tmp_path)
    src = tmp_path / "src"
    assert found.python == (src / "a.py", src / "b.py", src / "pkg" / "__init__.py")
    assert found.zips == (tmp_path / "dist2/function.zip",)
    assert all(path.is_absolute() for path in found.python + found.zips)


def test_known_non_templates_are_not_sniffed(tmp_path: Path) -> None:
    for name in (
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        ".pre-commit-config.yaml",
        "samconfig.yaml",
        ".github/workflows/deploy.yml",
        "infra/cdk.out/tree.json",
        "infra/cdk.out/manifest.json",
    ):
        write(tmp_path, name, FUNCTION_JSON + "\n# AWS::Serverless AWSTemplateFormatVersion")
    assert run(tmp_path) == Discovered()


def test_default_excludes(tmp_path: Path) -> None:
    for folder in ("node_modules/x", ".venv/lib", "venv", "__pycache__", "build", "dist", ".git"):
        write(tmp_path, f"{folder}/mod.py")
    write(tmp_path, "infra/cdk.out/asset.1234abcd/index.py")
    write(tmp_path, "infra/cdk.out/asset.1234abcd/template.yaml", SAM)
    write(tmp_path, "infra/cdk.out/Stack.template.json", "{}")
    write(tmp_path, "src/build.py")  # a file named like an excluded folder stays
    found = run(tmp_path)
    assert rel(tmp_path, found.python) == {"src/build.py"}
    assert rel(tmp_path, found.templates) == {"infra/cdk.out/Stack.template.json"}


def test_configured_exclude_is_relative_to_its_base(tmp_path: Path) -> None:
    write(tmp_path, "svc/generated/a.py")
    write(tmp_path, "svc/src/generated/b.py")
    write(tmp_path, "svc/src/c.py")
    write(tmp_path, "other/generated/d.py")
    found = discover([tmp_path], tmp_path, ["/generated/"], exclude_base=tmp_path / "svc")
    expected = {"svc/src/generated/b.py", "svc/src/c.py", "other/generated/d.py"}
    assert rel(tmp_path, found.python) == expected
    spec = GitIgnoreSpec.from_lines(["*.py", "!keep.py"])
    write(tmp_path, "svc/src/keep.py")
    assert rel(tmp_path, discover([tmp_path], tmp_path, spec).python) == {"svc/src/keep.py"}


def test_honours_gitignore_files_in_their_directory_and_below(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", "*.generated.py\nscratch/\n")
    write(tmp_path, "scratch/x.py")
    write(tmp_path, "a.generated.py")
    write(tmp_path, "svc/.gitignore", "local_*.py\n!a.generated.py\n")
    write(tmp_path, "svc/a.generated.py")  # re-included by the deeper .gitignore
    write(tmp_path, "svc/b.generated.py")
    write(tmp_path, "svc/local_test.py")
    write(tmp_path, "local_kept.py")  # the svc/.gitignore does not reach up here
    write(tmp_path, "svc/app.py")
    found = run(tmp_path)
    assert rel(tmp_path, found.python) == {"svc/a.generated.py", "svc/app.py", "local_kept.py"}


def test_gitignore_above_a_named_directory_still_applies(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", "*_pb2.py\n")
    write(tmp_path, "svc/src/app.py")
    write(tmp_path, "svc/src/orders_pb2.py")
    found = run(tmp_path, tmp_path / "svc")
    assert rel(tmp_path, found.python) == {"svc/src/app.py"}


def test_named_files_are_taken_even_when_excluded(tmp_path: Path) -> None:
    ignored = write(tmp_path, "build/app.py")
    template = write(tmp_path, "build/stack.yaml", SAM)
    plain = write(tmp_path, "conf.yaml", "a: 1\n")
    readme = write(tmp_path, "README.md")
    found = run(tmp_path, ignored, template, plain, readme, tmp_path / "missing.py")
    assert found.python == (ignored,)
    assert found.templates == (template,)
    assert found.skipped == (
        (readme, "not a template, Python file or zip"),
        (plain, "not a CloudFormation/SAM template"),
        (tmp_path / "missing.py", "not found"),
    )


def test_aws_sam_build_is_listed_but_not_its_files(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", ".aws-sam/\n")  # as `sam init` writes it
    write(tmp_path, "template.yaml", SAM)
    write(tmp_path, "src/app.py")
    write(tmp_path, ".aws-sam/build/template.yaml", SAM)
    write(tmp_path, ".aws-sam/build/OrdersFunction/app.py")
    write(tmp_path, ".aws-sam/build/OrdersFunction/dep.zip", b"PK")
    write(tmp_path, ".aws-sam/deps/abc/boto3/__init__.py")
    write(tmp_path, "nested/.aws-sam/cache/x.py")  # no build directory: nothing
    found = run(tmp_path)
    assert rel(tmp_path, found.templates) == {"template.yaml"}
    assert rel(tmp_path, found.python) == {"src/app.py"}
    assert found.zips == ()
    assert found.build_dirs == (tmp_path / ".aws-sam" / "build",)


def test_aws_sam_hidden_only_by_configured_exclude(tmp_path: Path) -> None:
    write(tmp_path, ".aws-sam/build/template.yaml", SAM)
    assert run(tmp_path, exclude=(".aws-sam",)).build_dirs == ()
    named = run(tmp_path, tmp_path / ".aws-sam" / "build")
    assert named.build_dirs == (tmp_path / ".aws-sam" / "build",) and named.templates == ()


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    write(tmp_path, "src/app.py")
    os.symlink(tmp_path / "src", tmp_path / "src" / "again")  # directory loop
    os.symlink("self.yaml", tmp_path / "self.yaml")  # a link to itself
    os.symlink("b.py", tmp_path / "a.py")
    os.symlink("a.py", tmp_path / "b.py")
    found = run(tmp_path)
    assert rel(tmp_path, found.python) == {"src/app.py"}
    assert found.skipped == (
        (tmp_path / "a.py", "symlink loop"),
        (tmp_path / "b.py", "symlink loop"),
        (tmp_path / "self.yaml", "symlink loop"),
        (tmp_path / "src" / "again", "symlinked directory not followed"),
    )


def test_never_follows_symlinks_out_of_the_root(tmp_path: Path) -> None:
    root, outside = tmp_path / "repo", tmp_path / "outside"
    secret = write(outside, "credentials.yaml", SAM)
    write(outside, "lib/mod.py")
    write(root, "src/real.py")
    os.symlink(secret, root / "template.yaml")
    os.symlink(outside / "lib", root / "lib")
    os.symlink(root / "src" / "real.py", root / "alias.py")  # inside the root: fine
    found = run(root)
    assert rel(root, found.python) == {"src/real.py", "alias.py"}
    assert found.templates == ()
    assert found.skipped == (
        (root / "lib", "symlinked directory not followed"),
        (root / "template.yaml", "symlink to outside the root"),
    )
    named = run(root, root / "template.yaml", root / "lib")
    assert named.templates == named.python == ()
    assert {reason for _, reason in named.skipped} == {"symlink to outside the root"}


def test_binary_and_non_utf8_files_do_not_crash(tmp_path: Path) -> None:
    write(tmp_path, "blob.yaml", bytes(range(256)) * 10)
    write(tmp_path, "latin1.yml", "Description: caf\xe9\n".encode("latin-1") + SAM.encode())
    write(tmp_path, "utf16.json", '{"a": "b"}'.encode("utf-16"))
    binary_template = write(tmp_path, "template.yaml", b"\x00\xff\xfe" * 100)
    found = run(tmp_path)
    assert found.templates == (tmp_path / "latin1.yml", binary_template)
    assert found.skipped == ()


def test_oversized_template_candidates_are_skipped(tmp_path: Path) -> None:
    big = write(tmp_path, "huge.json", b" " * (MAX_TEMPLATE_BYTES + 1))
    found = run(tmp_path)
    assert found.templates == ()
    assert found.skipped == ((big, f"larger than 10 MB ({MAX_TEMPLATE_BYTES + 1:,} bytes)"),)


def test_deep_trees_do_not_exhaust_the_recursion_limit(tmp_path: Path) -> None:
    deep = tmp_path
    for _ in range(1100):  # deeper than the default recursion limit; mkdir(parents=True) recurses
        deep = deep / "d"
        deep.mkdir()
    leaf = write(deep, "x.py")
    try:
        assert run(tmp_path).python == (leaf,)
    finally:  # shutil.rmtree (pytest's cleanup) recurses too: take the tree down here
        leaf.unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


def test_same_file_named_twice_is_listed_once(tmp_path: Path) -> None:
    app = write(tmp_path, "src/app.py")
    found = discover([tmp_path, tmp_path / "src", Path(os.path.relpath(app))], tmp_path, ())
    assert found.python == (app,)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("t.json", b"Resources: {}", True),
        ("t.template", b'\xef\xbb\xbf\n   {"Resources": {}}', True),
        ("t.template", b"Resources:\n  A: {}\n", False),
        ("t.yaml", b"   \n\t{}", True),
        ("t.yaml", b"", False),
        ("t.yaml", b"\n" * 10000 + b"{}", True),
    ],
)
def test_is_json_template(tmp_path: Path, name: str, content: bytes, expected: bool) -> None:
    assert is_json_template(write(tmp_path, name, content)) is expected


def test_is_json_template_on_missing_file(tmp_path: Path) -> None:
    assert is_json_template(tmp_path / "gone.template") is False


def test_packages_pip_installed_beside_the_handler_are_not_user_code(tmp_path: Path) -> None:
    """``pip install -t src/ requests`` puts third-party code next to app.py: only app.py is ours."""
    src = tmp_path / "src"
    (src / "requests").mkdir(parents=True)
    (src / "requests/__init__.py").write_text("")
    (src / "six.py").write_text("")
    (src / "requests-2.32.3.dist-info").mkdir()
    (src / "requests-2.32.3.dist-info/RECORD").write_text(
        "requests/__init__.py,sha256=abc,10\nrequests-2.32.3.dist-info/RECORD,,\n../../bin/normalizer,,\n"
    )
    (src / "six-1.16.0.egg-info").mkdir()
    (src / "six-1.16.0.egg-info/top_level.txt").write_text("six\n")
    (src / "app.py").write_text("def handler(event, context):\n    pass\n")
    found = discover([tmp_path], tmp_path, [])
    assert found.python == (src / "app.py",)
    assert found.skipped == ()
