"""LL303, LL304, LL307: messages, related members and severities the rule examples cannot show."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest

from lambdalint.findings import Severity
from tests.checks.test_packages import build_zip, line_of, lint, sam
from tests.files import write

HANDLER = "def handler(event, context):\n    return 1\n"


def zip_with_modes(path: Path, members: dict[str, int]) -> None:
    """A zip whose members carry the given Unix modes (names ending in / are folders)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, mode in members.items():
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            kind = stat.S_IFDIR if name.endswith("/") else stat.S_IFREG
            info.external_attr = (kind | mode) << 16
            archive.writestr(info, b"" if name.endswith("/") else b"x = 1\n")


# -- LL303 --------------------------------------------------------------------------------------
def test_ll303_files_0600_and_folders_0700_in_a_zip(tmp_path: Path) -> None:
    zip_with_modes(
        tmp_path / "dist" / "app.zip",
        {"app.py": 0o600, "lib/": 0o700, "lib/util.py": 0o644, "conf/": 0o755, "conf/a.json": 0o640},
    )
    template = sam("dist/app.zip")
    [finding] = lint(tmp_path, template, "LL303")
    assert finding.severity == Severity.ERROR
    assert finding.location.span is not None and finding.location.span.start_line == line_of(template, "CodeUri")
    assert finding.message == (
        "the function code: 2 files not readable by everyone (0444) and 1 folder not open to everyone (0755); "
        "Lambda runs the code as another user, which cannot read them (Permission denied on import): "
        "app.py (0600), lib/ (0700), conf/a.json (0640)"
    )
    assert [(r.path, r.label) for r in finding.related] == [
        ("dist/app.zip!/app.py", "mode 0600"),
        ("dist/app.zip!/lib/", "mode 0700"),
        ("dist/app.zip!/conf/a.json", "mode 0640"),
    ]


@pytest.mark.skipif(os.name != "posix", reason="Unix modes")
def test_ll303_a_source_folder_keeps_its_modes_on_disk(tmp_path: Path) -> None:
    write(tmp_path, "src/app.py", HANDLER)
    write(tmp_path, "src/secret/keys.py", "KEY = 1\n")
    os.chmod(tmp_path / "src" / "app.py", 0o600)
    os.chmod(tmp_path / "src" / "secret", 0o700)
    try:
        [finding] = lint(tmp_path, sam("src/"), "LL303")
    finally:
        os.chmod(tmp_path / "src" / "secret", 0o755)
    assert "app.py (0600), secret/ (0700)" in finding.message
    assert [r.path for r in finding.related] == ["src/app.py", "src/secret/"]


def test_ll303_silent_without_recorded_modes(tmp_path: Path) -> None:
    path = tmp_path / "dist" / "app.zip"
    path.parent.mkdir()
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("app.py")
        info.create_system = 0  # made on Windows: only DOS attributes, no Unix mode
        info.external_attr = 0x20
        archive.writestr(info, HANDLER)
    assert lint(tmp_path, sam("dist/app.zip"), "LL303") == []


def test_ll303_lists_five_members_then_counts(tmp_path: Path) -> None:
    zip_with_modes(tmp_path / "dist" / "app.zip", {f"m{index}.py": 0o600 for index in range(8)})
    [finding] = lint(tmp_path, sam("dist/app.zip"), "LL303")
    assert finding.message.endswith("m4.py (0600) and 3 more")
    assert len(finding.related) == 5


# -- LL304 --------------------------------------------------------------------------------------
def test_ll304_modules_at_the_root_of_a_layer(tmp_path: Path) -> None:
    build_zip(tmp_path / "layers" / "common.zip", {"common/__init__.py": b"", "common/db.py": b"", "util.py": b""})
    write(tmp_path, "src/app.py", HANDLER)
    template = sam("src/", {"CommonLayer": "layers/common.zip"})
    [finding] = lint(tmp_path, template, "LL304")
    assert finding.severity == Severity.ERROR
    assert finding.location.span is not None and finding.location.span.start_line == line_of(template, "ContentUri")
    assert finding.message == (
        "layer CommonLayer: its Python modules are not under python/ or python/lib/python3.x/site-packages/, "
        "so Lambda (which unpacks layers to /opt) cannot import them: common/, util.py; "
        "move them into a python/ folder at the layer's root"
    )
    assert [r.path for r in finding.related] == ["layers/common.zip!/common/__init__.py", "layers/common.zip!/util.py"]


def test_ll304_one_folder_too_deep(tmp_path: Path) -> None:
    build_zip(tmp_path / "layers" / "deps.zip", {"build/layer/python/requests/__init__.py": b""})
    write(tmp_path, "src/app.py", HANDLER)
    [finding] = lint(tmp_path, sam("src/", {"DepsLayer": "layers/deps.zip"}), "LL304")
    assert finding.message.endswith(
        "build/; the zip has one folder too many: zip the contents of build/layer/ so that python/ is at its root"
    )


def test_ll304_site_packages_of_another_version(tmp_path: Path) -> None:
    build_zip(
        tmp_path / "layers" / "pandas.zip",
        {"python/lib/python3.11/site-packages/pandas/__init__.py": b"", "python/helpers.py": b""},
    )
    write(tmp_path, "src/app.py", HANDLER)
    template = sam("src/", {"PandasLayer": "layers/pandas.zip"})
    [finding] = lint(tmp_path, template, "LL304")
    assert finding.message == (
        "layer PandasLayer: its packages are installed in python/lib/python3.11/site-packages/, which the "
        "python3.12 runtime does not put on sys.path (it reads python/ and python/lib/python3.12/site-packages/); "
        "rebuild the layer for python3.12 or install into python/"
    )
    related = [(r.path, r.span.start_line if r.span else None) for r in finding.related]
    assert related == [
        ("layers/pandas.zip!/python/lib/python3.11/site-packages/", None),
        ("template.yaml", line_of(template, "Runtime")),
    ]


def test_ll304_the_code_package_is_not_a_layer(tmp_path: Path) -> None:
    build_zip(tmp_path / "dist" / "app.zip", {"app.py": HANDLER.encode(), "lib/util.py": b""})
    assert lint(tmp_path, sam("dist/app.zip"), "LL304") == []


# -- LL307 --------------------------------------------------------------------------------------
def test_ll307_one_note_with_the_largest_offenders(tmp_path: Path) -> None:
    build_zip(
        tmp_path / "dist" / "app.zip",
        {
            "app.py": HANDLER.encode(),
            "pandas/tests/test_frame.py": 3 * 1024 * 1024,
            "pandas/tests/test_series.py": 1024 * 1024,
            ".git/objects/pack/a.pack": 512 * 1024,
            "__pycache__/app.cpython-311.pyc": 2048,
            "__pycache__/app.cpython-312.pyc": 2048,
            "pandas-2.2.2.dist-info/RECORD": b"pandas/__init__.py,,\n",
        },
    )
    template = sam("dist/app.zip")
    [finding] = lint(tmp_path, template, "LL307")
    assert finding.severity == Severity.NOTE
    assert finding.location.span is not None and finding.location.span.start_line == line_of(template, "CodeUri")
    assert finding.message == (
        "the function code: 4.5 MB of files the function never uses (tests, caches, VCS data, bytecode of another "
        "Python version): pandas/tests/ 4.0 MB (2 files), .git/ 512.0 KB (1 file), *.cpython-311.pyc 2.0 KB (1 file)"
    )
    assert [r.path for r in finding.related] == [
        "dist/app.zip!/pandas/tests/",
        "dist/app.zip!/.git/",
        "dist/app.zip!/__pycache__/app.cpython-311.pyc",
    ]


def test_ll307_a_built_folder_keeps_its_caches(tmp_path: Path) -> None:
    write(tmp_path, "src/app.py", HANDLER)
    write(tmp_path, ".aws-sam/build/ReportFunction/app.py", HANDLER)
    write(tmp_path, ".aws-sam/build/ReportFunction/__pycache__/app.cpython-39.pyc", "cache")
    [finding] = lint(tmp_path, sam("src/"), "LL307")
    assert "*.cpython-39.pyc 5 bytes (1 file)" in finding.message


def test_ll307_bytecode_is_judged_only_with_a_known_runtime(tmp_path: Path) -> None:
    build_zip(tmp_path / "dist" / "app.zip", {"app.py": HANDLER.encode(), "__pycache__/app.cpython-311.pyc": 100})
    template = sam("dist/app.zip").replace("Runtime: python3.12", "Runtime: !Ref PythonRuntime")
    assert lint(tmp_path, template, "LL307") == []
