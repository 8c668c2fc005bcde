"""Benchmark ``check --jobs``: a monorepo linted in one process and in two.

Run: ``python benchmarks/monorepo.py``. Each figure is the wall time of a fresh ``python`` process
(median of a few), as a user meets it. It prints:

1. what starting the workers costs: a run split in two on a tiny monorepo against a plain run;
2. where splitting starts to pay: two services of growing size, split against not split (this is
   what ``lambdalint.parallel.MIN_PYTHON_FILES`` is chosen from);
3. the CLI on a monorepo of 8 services × 40 functions: ``--jobs 1`` against ``--jobs 2``, and
   whether both wrote the same report byte for byte.

Asserts nothing: timings belong here, not in tests that would flake on a busy machine.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from engine import make_project

from lambdalint.parallel import MIN_PYTHON_FILES

#: lints the current directory in a fresh interpreter, split into its parts (JOBS > 1) whatever its size
SPLIT_RUN = """\
from pathlib import Path
from lambdalint import parallel
from lambdalint.config import load_config
{prelude}
parallel.MIN_PYTHON_FILES = 0
parallel.run_in_parallel([Path.cwd()], load_config(None), root=Path.cwd(), jobs={jobs})
"""
#: a process that runs a thread (an editor's server does) cannot fork its workers: a fork server starts them
WITH_A_THREAD = "import threading; threading.Thread(target=threading.Event().wait, daemon=True).start()"

TOOLING = """\
import subprocess


def deploy(stack):
    return subprocess.run(["sam", "deploy", "--stack-name", stack], check=True)
"""


def make_monorepo(root: Path, services: int, functions: int, lines: int) -> None:
    """``services`` SAM projects side by side, and deployment scripts outside them."""
    (root / ".git").mkdir(parents=True)
    for service in range(services):
        make_project(root / f"services/s{service}", functions, lines)
    (root / "scripts").mkdir()
    (root / "scripts/deploy.py").write_text(TOOLING)


def wall_time(command: list[str], root: Path, repeat: int) -> float:
    """Median seconds of ``command`` run in ``root`` (where the configuration's folder is)
    ``repeat`` times; exit 1 (findings) counts as success."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        completed = subprocess.run(command, cwd=root, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if completed.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed:\n{completed.stderr}")
    return statistics.median(times)


def split_run(root: Path, jobs: int, repeat: int, prelude: str = "") -> float:
    return wall_time([sys.executable, "-c", SPLIT_RUN.format(jobs=jobs, prelude=prelude)], root, repeat)


def startup_cost(repeat: int = 7) -> None:
    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        make_monorepo(root, services=2, functions=1, lines=0)
        one = split_run(root, 1, repeat)
        forked, served = split_run(root, 2, repeat), split_run(root, 2, repeat, WITH_A_THREAD)
    print(f"tiny monorepo (2 services, 1 function each), median of {repeat}: one process {one * 1000:.0f} ms")
    print(f"  split in two, workers forked: {forked * 1000:.0f} ms (+{(forked - one) * 1000:.0f} ms)")
    print(f"  split in two, workers from a fork server: {served * 1000:.0f} ms (+{(served - one) * 1000:.0f} ms)")


def break_even(repeat: int = 3) -> None:
    print("two services of N functions (a module of ~80 lines each), median of", repeat)
    for functions in (5, 10, 25, 50, 100):
        with tempfile.TemporaryDirectory() as name:
            root = Path(name)
            make_monorepo(root, services=2, functions=functions, lines=80)
            one, two = split_run(root, 1, repeat), split_run(root, 2, repeat)
        print(f"  {2 * functions + 1:4} Python files: one process {one:5.2f} s, split {two:5.2f} s ({one / two:.2f}×)")
    print(f"  (runs with fewer than {MIN_PYTHON_FILES} Python files are not split)")


def cli(services: int = 8, functions: int = 40, repeat: int = 3) -> None:
    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        make_monorepo(root, services, functions, lines=80)
        reports = {}
        times = {}
        for jobs in (1, 2):
            report = root.parent / f"{root.name}-jobs{jobs}.json"
            command = [sys.executable, "-m", "lambdalint", "check", "--format", "json", "--output", str(report)]
            times[jobs] = wall_time([*command, "--jobs", str(jobs)], root, repeat)
            reports[jobs] = report.read_bytes()
            report.unlink()
    same = "identical" if reports[1] == reports[2] else "DIFFERENT"
    print(
        f"{services} services × {functions} functions ({services * functions + 1} Python files), median of {repeat}: "
        f"--jobs 1 {times[1]:.2f} s, "
        f"--jobs 2 {times[2]:.2f} s, speed-up {times[1] / times[2]:.2f}×; reports {same}"
    )


if __name__ == "__main__":
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (other work on the machine skews the figures)")
    startup_cost()
    break_even()
    cli()
