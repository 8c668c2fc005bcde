"""LL301, LL309, LL310 on zips built on the fly: waiting for rule examples that can hold archives."""

from __future__ import annotations

import os
import stat
import time
import zipfile
from pathlib import Path

from lambdalint.findings import Severity
from lambdalint.model.packages import human
from tests.checks.test_packages import MB, build_zip, line_of, lint, sam
from tests.files import write


# -- LL301 --------------------------------------------------------------------------------------
def test_ll301_a_51_mb_incompressible_package(tmp_path: Path) -> None:
    members: dict[str, bytes | int] = {"numpy/core.so": os.urandom(31 * MB), "pandas/lib.so": os.urandom(20 * MB)}
    build_zip(tmp_path / "dist" / "report.zip", members, zipfile.ZIP_STORED)
    template = sam("dist/report.zip")
    [finding] = lint(tmp_path, template, "LL301")
    size = (tmp_path / "dist" / "report.zip").stat().st_size
    assert finding.severity == Severity.ERROR
    assert finding.location.span is not None and finding.location.span.start_line == line_of(template, "CodeUri")
    assert finding.message == (
        f"{human(size)} zipped ({size:,} bytes), limit 50 MB (52,428,800 bytes) for a direct upload; "
        "largest entries: numpy 31.0 MB, pandas 20.0 MB"
    )
    assert [r.path for r in finding.related] == ["dist/report.zip"]


def test_ll301_silent_for_a_small_zip_and_for_a_directory(tmp_path: Path) -> None:
    build_zip(tmp_path / "dist" / "report.zip", {"data.bin": 60 * MB})  # 60 MB of zeros zip to 60 KB
    assert lint(tmp_path, sam("dist/report.zip"), "LL301") == []
    write(tmp_path, "src/app.py", "def handler(event, context):\n    return 1\n")
    assert lint(tmp_path, sam("src/"), "LL301") == []


# -- LL309 --------------------------------------------------------------------------------------
def test_ll309_names_leaving_the_package(tmp_path: Path) -> None:
    path = tmp_path / "dist" / "report.zip"
    path.parent.mkdir()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("app.py", "x = 1\n")
        archive.writestr(zipfile.ZipInfo("../evil.py"), "import os\n")
        archive.writestr(zipfile.ZipInfo("/etc/passwd"), "root::0:0\n")
        link = zipfile.ZipInfo("lib/config")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "../../home/user/.aws/credentials")
        inside = zipfile.ZipInfo("lib/current")
        inside.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(inside, "../app.py")
    template = sam("dist/report.zip")
    [finding] = lint(tmp_path, template, "LL309")
    assert finding.severity == Severity.ERROR
    assert finding.location.span is not None and finding.location.span.start_line == line_of(template, "CodeUri")
    assert finding.message == (
        "the function code: 3 archive entries would land outside the package when unpacked: ../evil.py, "
        "/etc/passwd, lib/config -> ../../home/user/.aws/credentials"
    )
    assert [r.path for r in finding.related] == [
        "dist/report.zip!/../evil.py",
        "dist/report.zip!//etc/passwd",
        "dist/report.zip!/lib/config",
    ]


def test_ll309_on_a_layer_is_reported_at_its_content_uri(tmp_path: Path) -> None:
    build_zip(tmp_path / "layers" / "shared.zip", {"python/../../opt/python/x.py": b"1"})
    write(tmp_path, "src/app.py", "def handler(event, context):\n    return 1\n")
    template = sam("src/", {"SharedLayer": "layers/shared.zip"})
    [finding] = lint(tmp_path, template, "LL309")
    assert finding.location.span is not None and finding.location.span.start_line == line_of(template, "ContentUri")
    assert finding.message.startswith("layer SharedLayer: 1 archive entry would land outside")


# -- LL310 --------------------------------------------------------------------------------------
def test_ll310_a_zip_bomb_is_reported_and_still_counted(tmp_path: Path) -> None:
    build_zip(tmp_path / "dist" / "report.zip", {"app.py": b"x = 1\n", "data/blob.bin": 200 * MB})
    template = sam("dist/report.zip")
    found = lint(tmp_path, template, "LL310", "LL302")
    bomb = next(f for f in found if f.rule_id == "LL310")
    assert bomb.severity == Severity.WARNING
    assert bomb.message.startswith("the function code: data/blob.bin declares 200.0 MB compressed ")
    assert [r.path for r in bomb.related] == ["dist/report.zip!/data/blob.bin"]
    assert not any(f.rule_id == "LL302" for f in found)  # 200 MB: under the limit, but counted
    build_zip(tmp_path / "dist" / "report.zip", {"data/a.bin": 200 * MB, "data/b.bin": 70 * MB})
    assert {f.rule_id for f in lint(tmp_path, template, "LL310", "LL302")} == {"LL310", "LL302"}


def test_ll310_silent_for_large_members_that_compress_normally(tmp_path: Path) -> None:
    build_zip(tmp_path / "dist" / "report.zip", {"data/blob.bin": 90 * MB})
    assert lint(tmp_path, sam("dist/report.zip"), "LL310") == []


def test_a_300_mb_declared_package_is_checked_quickly(tmp_path: Path) -> None:
    build_zip(tmp_path / "dist" / "report.zip", {"a.bin": 150 * MB, "b.bin": 150 * MB})
    started = time.perf_counter()
    found = lint(tmp_path, sam("dist/report.zip"), "LL301", "LL302", "LL309", "LL310")
    assert time.perf_counter() - started < 1.0
    assert {f.rule_id for f in found} == {"LL302", "LL310"}
