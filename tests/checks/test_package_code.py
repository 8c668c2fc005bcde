"""LL305, LL306, LL308: messages, related members and severities on zips built on the fly."""

from __future__ import annotations

import time
from pathlib import Path

from lambdalint.findings import Severity
from lambdalint.model.packages import read_small_members, read_zip
from tests.checks.test_packages import MB, build_zip, line_of, lint, sam
from tests.files import write

WHEEL = b"Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp312-cp312-macosx_11_0_arm64\n"


def arm64(template: str) -> str:
    return template.replace("Runtime: python3.12\n", "Runtime: python3.12\n      Architectures: [arm64]\n")


# -- LL305 --------------------------------------------------------------------------------------
def test_ll305_x86_64_extensions_in_an_arm64_function_make_one_finding(tmp_path: Path) -> None:
    build_zip(
        tmp_path / "dist" / "report.zip",
        {
            "app.py": b"import numpy\n",
            "numpy/core/_multiarray_umath.cpython-312-x86_64-linux-gnu.so": b"\x7fELF",
            "numpy/linalg/_umath_linalg.cpython-312-x86_64-linux-gnu.so": b"\x7fELF",
        },
    )
    template = arm64(sam("dist/report.zip"))
    [finding] = lint(tmp_path, template, "LL305")
    assert finding.severity == Severity.ERROR
    assert finding.location.span is not None and finding.location.span.start_line == line_of(template, "CodeUri")
    assert finding.message == (
        "the function code: numpy (2 native files) was built for CPython 3.12 on Linux x86_64; "
        "ReportFunction needs CPython 3.12 on Linux arm64 (glibc 2.34)"
    )
    assert [r.path for r in finding.related] == [
        "dist/report.zip!/numpy/core/_multiarray_umath.cpython-312-x86_64-linux-gnu.so"
    ]


def test_ll305_reads_the_wheel_tags_when_names_do_not_say(tmp_path: Path) -> None:
    build_zip(
        tmp_path / "layers" / "crypto.zip",
        {
            "python/cryptography/hazmat/bindings/_rust.abi3.so": b"\xcf\xfa\xed\xfe",
            "python/cryptography-43.0.1.dist-info/WHEEL": WHEEL,
        },
    )
    write(tmp_path, "src/app.py", "def handler(event, context):\n    return 1\n")
    template = sam("src/", {"CryptoLayer": "layers/crypto.zip"})
    [finding] = lint(tmp_path, template, "LL305")
    assert finding.location.span is not None and finding.location.span.start_line == line_of(template, "ContentUri")
    assert finding.message == (
        "layer CryptoLayer: cryptography was built for CPython 3.12 on macOS (macosx_11_0_arm64) "
        "(Tag: cp312-cp312-macosx_11_0_arm64); ReportFunction needs CPython 3.12 on Linux x86_64 (glibc 2.34)"
    )
    assert [r.path for r in finding.related] == ["layers/crypto.zip!/python/cryptography-43.0.1.dist-info/WHEEL"]


def test_ll305_windows_and_free_threaded_builds(tmp_path: Path) -> None:
    build_zip(
        tmp_path / "dist" / "report.zip",
        {"fast/_speed.cp312-win_amd64.pyd": b"MZ", "slow/_core.cpython-312t-x86_64-linux-gnu.so": b"\x7fELF"},
    )
    [finding] = lint(tmp_path, sam("dist/report.zip"), "LL305")
    assert finding.message.split(";")[0] == (
        "the function code: fast was built for Windows (a .pyd extension), "
        "slow was built for CPython 3.12 free-threaded on Linux x86_64"
    )
    assert [r.path for r in finding.related] == [
        "dist/report.zip!/fast/_speed.cp312-win_amd64.pyd",
        "dist/report.zip!/slow/_core.cpython-312t-x86_64-linux-gnu.so",
    ]


def test_ll305_a_large_wheel_file_is_not_read(tmp_path: Path) -> None:
    path = build_zip(
        tmp_path / "dist" / "report.zip",
        {"lib/_x.abi3.so": b"\x7fELF", "lib-1.0.dist-info/WHEEL": WHEEL + b"#" * (70 * 1024)},
    )
    package = read_zip(path)
    assert package is not None
    names = ["lib-1.0.dist-info/WHEEL", "lib/_x.abi3.so", "missing"]
    assert read_small_members(package, names, 64 * 1024) == {"lib/_x.abi3.so": b"\x7fELF"}
    assert lint(tmp_path, sam("dist/report.zip"), "LL305") == []


def test_ll305_checks_a_large_package_quickly(tmp_path: Path) -> None:
    members: dict[str, bytes | int] = {f"pkg{i % 50}/mod{i}.py": b"x = 1\n" for i in range(5_000)}
    members.update({f"pkg{i}/_ext.abi3.so": b"\x7fELF" for i in range(50)})
    members.update({f"pkg{i}-1.0.dist-info/WHEEL": b"Tag: cp39-abi3-manylinux2014_x86_64\n" for i in range(50)})
    build_zip(tmp_path / "dist" / "report.zip", members)
    started = time.perf_counter()
    [finding] = lint(tmp_path, arm64(sam("dist/report.zip")), "LL305")
    assert finding.message.endswith(
        "and 45 more distributions; ReportFunction needs CPython 3.12 on Linux arm64 (glibc 2.34)"
    )
    assert time.perf_counter() - started < 5  # 50 WHEEL reads, each re-opening a 5,000-entry zip


# -- LL306 --------------------------------------------------------------------------------------
def test_ll306_names_each_sdk_with_its_size(tmp_path: Path) -> None:
    build_zip(
        tmp_path / "dist" / "report.zip",
        {
            "app.py": b"x = 1\n",
            "boto3-1.34.0.dist-info/METADATA": b"Name: boto3\n",
            "boto3/__init__.py": 100 * 1024,
            "botocore/data/endpoints.json": 2 * MB,
        },
    )
    template = sam("dist/report.zip")
    [finding] = lint(tmp_path, template, "LL306")
    assert finding.severity == Severity.NOTE
    assert finding.location.span is not None and finding.location.span.start_line == line_of(template, "CodeUri")
    assert finding.message == (
        "the function code bundles boto3 (100.0 KB) and botocore (2.0 MB), 2.1 MB in all, "
        "which python3.12 already provides"
    )
    assert [r.path for r in finding.related] == ["dist/report.zip!/boto3/", "dist/report.zip!/botocore/"]


def test_ll306_in_a_layer(tmp_path: Path) -> None:
    build_zip(tmp_path / "layers" / "deps.zip", {"python/lib/python3.12/site-packages/botocore/__init__.py": b""})
    write(tmp_path, "src/app.py", "def handler(event, context):\n    return 1\n")
    template = sam("src/", {"DepsLayer": "layers/deps.zip"})
    [finding] = lint(tmp_path, template, "LL306")
    assert finding.location.span is not None and finding.location.span.start_line == line_of(template, "ContentUri")
    assert finding.message == "layer DepsLayer bundles botocore (0 bytes), which python3.12 already provides"
    assert [r.path for r in finding.related] == ["layers/deps.zip!/python/lib/python3.12/site-packages/botocore/"]


# -- LL308 --------------------------------------------------------------------------------------
def test_ll308_points_at_the_module_one_folder_down(tmp_path: Path) -> None:
    build_zip(tmp_path / "dist" / "report.zip", {"src/app.py": b"def handler(e, c):\n    return 1\n"})
    template = sam("dist/report.zip")
    [finding] = lint(tmp_path, template, "LL308")
    assert finding.severity == Severity.ERROR
    assert finding.location.span is not None and finding.location.span.start_line == line_of(template, "CodeUri")
    assert finding.message == (
        "the package has no app.py (nor app/__init__.py) for Handler app.handler; it holds src/app.py: "
        "build the package from inside its folder"
    )
    assert [r.path for r in finding.related] == ["dist/report.zip", "template.yaml", "dist/report.zip!/src/app.py"]


def test_ll308_silent_for_a_source_folder_and_a_single_file(tmp_path: Path) -> None:
    write(tmp_path, "src/other.py", "x = 1\n")
    write(tmp_path, "one/app.py", "def handler(event, context):\n    return 1\n")
    assert lint(tmp_path, sam("src/"), "LL308") == []
    assert lint(tmp_path, sam("one/app.py"), "LL308") == []
