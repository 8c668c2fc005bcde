"""Time the package rules on a package that declares 300 MB: they must read the central directory only.

Builds, in a temporary folder, a SAM project whose CodeUri zip holds 300 MB of zero-filled members
(about 300 KB on disk) next to 2,000 small modules, then runs the LL3xx rules on it several times
and prints the wall times (the zip listing cache cleared before each run) and the peak memory
Python allocated during one run.

    .venv/bin/python benchmarks/packages.py
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

from lambdalint.config import load_config
from lambdalint.engine import run
from lambdalint.model import packages
from lambdalint.model.packages import read_zip

MB = 1024 * 1024
RULES = ["LL301", "LL302", "LL309", "LL310"]
TEMPLATE = """Transform: AWS::Serverless-2016-10-31
Resources:
  ReportFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: dist/report.zip
      Handler: app.handler
      Runtime: python3.12
"""


def build(root: Path) -> Path:
    path = root / "dist" / "report.zip"
    path.parent.mkdir(parents=True)
    chunk = b"\0" * MB
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return 1\n")
        for index in range(2000):
            archive.writestr(f"vendor/pkg{index % 40}/module{index}.py", f"VALUE = {index}\n")
        for name in ("data/a.bin", "data/b.bin", "data/c.bin"):
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as member:
                for _ in range(100):
                    member.write(chunk)
    (root / "template.yaml").write_text(TEMPLATE, encoding="utf-8")
    return path


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        path = build(root)
        config = load_config(None).merged_with(select=RULES)
        timings = []
        for _ in range(5):
            packages._read_zip.cache_clear()  # time the listing itself, not the per-file cache
            started = time.perf_counter()
            result = run([root], config, root=root)
            timings.append(time.perf_counter() - started)
        packages._read_zip.cache_clear()
        tracemalloc.start()
        run([root], config, root=root)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        package = read_zip(path)
        assert package is not None
        size = path.stat().st_size
        print(f"package: {size:,} bytes on disk, {package.unzipped:,} bytes declared, {package.count} entries")
        print(f"findings: {sorted(f.rule_id for f in result.reported)}")
        first, best = timings[0] * 1000, min(timings) * 1000
        print(f"whole run (discovery, model, LL301/302/309/310): first {first:.0f} ms, best {best:.0f} ms")
        print(f"peak Python memory during a run: {peak / MB:.1f} MB")


if __name__ == "__main__":
    main()
