"""LL301, LL302, LL309, LL310 on real zips built on the fly (rule examples are text only).

Large members are zero-filled and deflated, so a 200 MB member costs a few hundred KB on disk;
only the 51 MB incompressible package is really that large.
"""

from __future__ import annotations

import os
import stat
import time
import zipfile
from pathlib import Path

import pytest

from lambdalint.config import config_from_mapping
from lambdalint.engine import run
from lambdalint.findings import Finding
from lambdalint.model.packages import escapes, human, link_escapes, read_directory, read_zip, top_level
from tests.files import lint_files, write

MB = 1024 * 1024
CHUNK = b"\0" * MB


def build_zip(path: Path, members: dict[str, bytes | int], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A zip whose int members are that many zero bytes, streamed (never held in memory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.compress_type = compression
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            if isinstance(content, bytes):
                archive.writestr(info, content)
                continue
            with archive.open(info, "w", force_zip64=True) as member:
                for offset in range(0, content, MB):
                    member.write(CHUNK[: min(MB, content - offset)])
    return path


def sam(code_uri: str, layers: dict[str, str] | None = None, extra_layers: tuple[str, ...] = ()) -> str:
    text = "Transform: AWS::Serverless-2016-10-31\nResources:\n"
    for name, uri in (layers or {}).items():
        text += f"  {name}:\n    Type: AWS::Serverless::LayerVersion\n    Properties:\n      ContentUri: {uri}\n"
    text += (
        "  ReportFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        f"      CodeUri: {code_uri}\n      Handler: app.handler\n      Runtime: python3.12\n"
    )
    items = [f"!Ref {name}" for name in layers or {}] + list(extra_layers)
    if items:
        text += "      Layers:\n" + "".join(f"        - {item}\n" for item in items)
    return text


def lint(root: Path, template: str, *rules: str) -> list[Finding]:
    return lint_files(root, {"template.yaml": template}, *rules)


def line_of(template: str, text: str) -> int:
    return next(number for number, line in enumerate(template.splitlines(), 1) if text in line)


# -- the model ----------------------------------------------------------------------------------
def test_a_zip_is_listed_from_its_central_directory(tmp_path: Path) -> None:
    path = build_zip(tmp_path / "pkg.zip", {"app.py": b"print(1)\n", "numpy/core.so": 3 * MB})
    with zipfile.ZipFile(path, "a") as archive:
        link = zipfile.ZipInfo("numpy/link")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "../../etc/passwd")
    package = read_zip(path)
    assert package is not None
    assert [entry.name for entry in package.entries] == ["app.py", "numpy/core.so", "numpy/link"]
    assert package.unzipped == 9 + 3 * MB + len("../../etc/passwd")
    assert package.zipped == path.stat().st_size
    app, so, symlink = package.entries
    assert app.mode is not None and stat.S_IMODE(app.mode) == 0o644 and not app.is_symlink
    assert so.compressed is not None and so.compressed < 10_000
    assert symlink.is_symlink and symlink.target == "../../etc/passwd" and link_escapes(symlink)


def test_a_directory_is_listed_without_following_links_or_build_leftovers(tmp_path: Path) -> None:
    write(tmp_path, "src/app.py", "x = 1\n")
    write(tmp_path, "src/lib/util.py", "y = 2\n")
    write(tmp_path, "src/__pycache__/app.cpython-312.pyc", "cache")
    os.symlink("/etc", tmp_path / "src" / "etc")
    package = read_directory(tmp_path / "src")
    names = [entry.name for entry in package.entries]
    assert names == ["app.py", "etc", "lib/", "lib/util.py"]
    assert package.zipped is None and package.unzipped == 12 + len("/etc")  # a link weighs its target
    assert package.entries[1].is_symlink and package.entries[1].target == "/etc"


@pytest.mark.parametrize(
    ("name", "unsafe"),
    [
        ("../evil.py", True),
        ("/etc/passwd", True),
        ("C:\\Windows\\x.dll", True),
        ("a/../../b", True),
        ("a\\..\\b", True),
        ("app.py", False),
        ("pkg/..data/x", False),
        ("python/lib/x.py", False),
    ],
)
def test_escaping_names(name: str, unsafe: bool) -> None:
    assert escapes(name) is unsafe


def test_sizes_and_folders_are_named_as_users_see_them() -> None:
    assert [human(n) for n in (512, 2048, 52_428_800, 53_477_376)] == ["512 bytes", "2.0 KB", "50.0 MB", "51.0 MB"]
    assert top_level("python/lib/python3.12/site-packages/numpy/core.so") == "numpy"
    assert top_level("python/pandas/__init__.py") == "pandas"
    assert top_level("app.py") == "app.py"


# -- LL302 --------------------------------------------------------------------------------------
def three_big_layers(root: Path) -> dict[str, str]:
    """Three layer zips of ~90 MB each unzipped (a few hundred KB on disk)."""
    layers = {}
    for name, folder in (("NumpyLayer", "numpy"), ("PandasLayer", "pandas"), ("ScipyLayer", "scipy")):
        build_zip(
            root / "layers" / f"{folder}.zip", {f"python/{folder}/_core.so": 90 * MB, f"python/{folder}/a.py": b"1"}
        )
        layers[name] = f"layers/{folder}.zip"
    write(root, "src/app.py", "def handler(event, context):\n    return 1\n")
    return layers


def test_ll302_layers_cross_250_mb_unzipped_while_every_zip_is_small(tmp_path: Path) -> None:
    layers = three_big_layers(tmp_path)
    assert all((tmp_path / uri).stat().st_size < MB for uri in layers.values())
    template = sam("src/", layers)
    [finding] = lint(tmp_path, template, "LL302")
    total = 3 * (90 * MB + 1) + len("def handler(event, context):\n    return 1\n")
    assert finding.message.startswith(f"{human(total)} unzipped ({total:,} bytes) with layers, limit 250 MB")
    assert "largest contributors: layer NumpyLayer 90.0 MB (numpy 90.0 MB)" in finding.message
    assert finding.location.span is not None and finding.location.span.start_line == line_of(template, "CodeUri")
    assert [r.span.start_line for r in finding.related if r.span] == [
        line_of(template, f"ContentUri: {uri}") for uri in layers.values()
    ]


def test_ll302_counts_unknown_layers_only_in_words(tmp_path: Path) -> None:
    layers = three_big_layers(tmp_path)
    arn = "arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python312-x86_64:7"
    [finding] = lint(tmp_path, sam("src/", layers, (arn,)), "LL302")
    assert finding.message.endswith("; not counted: 1 layer(s) of unknown size")


def test_ll302_silent_when_only_unknown_layers_could_push_it_over(tmp_path: Path) -> None:
    layers = three_big_layers(tmp_path)
    del layers["ScipyLayer"]
    arn = "arn:aws:lambda:us-east-1:123456789012:layer:scipy:3"
    assert lint(tmp_path, sam("src/", layers, (arn,)), "LL302") == []


def test_ll302_a_layer_size_declared_in_configuration(tmp_path: Path) -> None:
    layers = three_big_layers(tmp_path)
    del layers["ScipyLayer"]
    arn = "arn:aws:lambda:us-east-1:123456789012:layer:scipy:3"
    template = sam("src/", layers, (arn,))
    write(tmp_path, "template.yaml", template)
    config = config_from_mapping({"layer-sizes": {"scipy": 95 * MB}}, base=tmp_path)
    [finding] = run([tmp_path], config.merged_with(select=["LL302"]), root=tmp_path).reported
    assert "layer scipy 95.0 MB (declared)" in finding.message
    assert line_of(template, arn) in [r.span.start_line for r in finding.related if r.span]


def test_ll302_reads_the_sam_build_directory_instead_of_the_sources(tmp_path: Path) -> None:
    write(tmp_path, "src/app.py", "def handler(event, context):\n    return 1\n")
    big = tmp_path / ".aws-sam" / "build" / "ReportFunction" / "torch" / "lib.so"
    big.parent.mkdir(parents=True)
    with big.open("wb") as handle:
        handle.truncate(260 * MB)  # sparse: no disk space used
    write(tmp_path, ".aws-sam/build/ReportFunction/app.py", "def handler(event, context):\n    return 1\n")
    [finding] = lint(tmp_path, sam("src/"), "LL302")
    assert "the function code 260.0 MB (torch 260.0 MB" in finding.message


def test_a_300_mb_declared_package_is_checked_quickly(tmp_path: Path) -> None:
    build_zip(tmp_path / "dist" / "report.zip", {"a.bin": 150 * MB, "b.bin": 150 * MB})
    started = time.perf_counter()
    found = lint(tmp_path, sam("dist/report.zip"), "LL302")
    assert time.perf_counter() - started < 1.0
    assert [f.rule_id for f in found] == ["LL302"]
