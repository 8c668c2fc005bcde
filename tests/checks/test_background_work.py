"""LL120–LL124: what the rule files' examples cannot say — exact messages, related locations,
severities, the cap on listed returns, one finding per process pool, and the path analysis's
less common statements."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdalint.checks.code._exit_paths import RETURNS_KEPT
from lambdalint.config import load_config
from lambdalint.engine import run
from lambdalint.findings import Finding, Severity
from tests.files import write

RULES = ("LL120", "LL121", "LL122", "LL123", "LL124")


def lint(tmp_path: Path, code: str, rules: tuple[str, ...] = RULES) -> list[Finding]:
    write(tmp_path, "app.py", code)
    result = run([tmp_path], load_config(None).merged_with(select=list(rules)), root=tmp_path)
    return sorted(result.reported, key=lambda finding: (finding.location.span.start_line, finding.rule_id))


def related(finding: Finding) -> list[tuple[int, str | None]]:
    return [(location.span.start_line, location.label) for location in finding.related if location.span]


def test_a_thread_never_joined(tmp_path: Path) -> None:
    [finding] = lint(
        tmp_path,
        "import threading\n"
        "\n"
        "def handler(event, context):\n"
        "    threading.Thread(target=print, daemon=True).start()\n"
        "    return {'ok': True}\n",
    )
    assert (finding.rule_id, finding.severity, finding.location.span.start_line) == ("LL120", Severity.ERROR, 4)
    assert finding.message == (
        "thread started on every invocation and never joined: Lambda freezes the environment as soon as the "
        "handler returns, and the thread with it, mid-work; join it (thread.join()) before returning "
        "(daemon=True does not help: Lambda does not wait for any thread, it freezes them all)"
    )
    assert related(finding) == [
        (3, "the handler, which runs this on every invocation"),
        (5, "returns here with it still running"),
    ]


def test_early_returns_are_named_and_related(tmp_path: Path) -> None:
    [finding] = lint(
        tmp_path,
        "import subprocess\n"
        "\n"
        "def convert(event):\n"
        "    proc = subprocess.Popen(['convert', event['key']])\n"
        "    if event.get('dry'):\n"
        "        return None\n"
        "    elif event.get('skip'):\n"
        "        return 'skipped'\n"
        "    proc.wait()\n"
        "    return proc.returncode\n"
        "\n"
        "def handler(event, context):\n"
        "    return convert(event)\n",
    )
    assert (finding.rule_id, finding.location.span.start_line) == ("LL123", 4)
    assert finding.message == (
        "subprocess started on every invocation is not waited for on every path: the returns on lines 6, 8 leave "
        "it running. Lambda freezes the environment as soon as the handler returns, and the child with it, "
        "mid-work, or leaves it a zombie once it exits; wait for it (proc.wait() or proc.communicate()) before "
        "returning, or use subprocess.run, on every path (a finally block does it)"
    )
    assert related(finding) == [
        (12, "the handler, which runs this on every invocation"),
        (3, "reached per invocation: convert"),
        (6, "returns here with it still running"),
        (8, "returns here with it still running"),
    ]


def test_only_the_first_returns_are_listed(tmp_path: Path) -> None:
    guards = "".join(f"    if event.get('k{n}'):\n        return {n}\n" for n in range(6))
    code = (
        "import asyncio\n"
        "\n"
        "async def main(event):\n"
        "    task = asyncio.create_task(asyncio.sleep(1))\n" + guards + "    await task\n"
        "\n"
        "def handler(event, context):\n"
        "    return asyncio.run(main(event))\n"
    )
    [finding] = lint(tmp_path, code)
    returns = [line for line, label in related(finding) if label == "returns here with it still running"]
    assert returns == [6, 8, 10][:RETURNS_KEPT]
    assert "the returns on lines 6, 8, 10 leave it running" in finding.message


def test_a_process_pool_is_reported_once_under_ll124(tmp_path: Path) -> None:
    findings = lint(
        tmp_path,
        "from concurrent.futures import ProcessPoolExecutor\n"
        "\n"
        "def handler(event, context):\n"
        "    pool = ProcessPoolExecutor()\n"
        "    pool.submit(sum, event['numbers'])\n"
        "    return {'ok': True}\n",
    )
    assert [(f.rule_id, f.location.span.start_line) for f in findings] == [("LL124", 4)]
    assert findings[0].message == (
        "ProcessPoolExecutor uses a multiprocessing queue and locks, and Lambda has no /dev/shm, so it fails with "
        "OSError: [Errno 38] Function not implemented; use multiprocessing.Process with a Pipe per worker, or "
        "ThreadPoolExecutor for I/O-bound work"
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "from multiprocessing.pool import ThreadPool\nPOOL = ThreadPool(4)\n",
            "multiprocessing.pool.ThreadPool creates a multiprocessing queue even for threads, and Lambda has no "
            "/dev/shm, so it fails with OSError: [Errno 38] Function not implemented; use "
            "concurrent.futures.ThreadPoolExecutor",
        ),
        (
            "import multiprocessing as mp\nQUEUE = mp.get_context('fork').SimpleQueue()\n",
            "multiprocessing.SimpleQueue needs POSIX semaphores or shared memory, and Lambda has no /dev/shm, so it "
            "fails with OSError: [Errno 38] Function not implemented; pass data through multiprocessing.Pipe between "
            "processes, or use threads with queue.Queue / threading primitives",
        ),
        (
            "from multiprocessing import Manager\nSHARED = Manager()\n",
            "multiprocessing.Manager needs POSIX semaphores, and Lambda has no /dev/shm, so it fails with OSError: "
            "[Errno 38] Function not implemented; use multiprocessing.Process with a Pipe per worker, or "
            "concurrent.futures.ThreadPoolExecutor for I/O-bound work",
        ),
    ],
    ids=["thread-pool", "context-queue", "manager"],
)
def test_ll124_messages_at_import(tmp_path: Path, code: str, message: str) -> None:
    [finding] = lint(tmp_path, code + "\ndef handler(event, context):\n    return None\n")
    assert (finding.rule_id, finding.severity, finding.location.span.start_line, finding.message) == (
        "LL124",
        Severity.ERROR,
        2,
        message,
    )
    assert finding.related == ()


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (  # a match statement: every case must finish the work
            "import threading\n"
            "def handler(event, context):\n"
            "    t = threading.Thread(target=print)\n"
            "    t.start()\n"
            "    match event['mode']:\n"
            "        case 'wait':\n"
            "            t.join()\n"
            "        case _:\n"
            "            pass\n",
            [("LL120", 3)],
        ),
        (  # try / except / else: the else branch joins, the handler re-raises
            "import threading\n"
            "def handler(event, context):\n"
            "    t = threading.Thread(target=print)\n"
            "    t.start()\n"
            "    try:\n"
            "        value = int(event['n'])\n"
            "    except ValueError:\n"
            "        t.join()\n"
            "        raise\n"
            "    else:\n"
            "        t.join()\n"
            "    return value\n",
            [],
        ),
        (  # future.exception() waits too; future.add_done_callback does not
            "from concurrent.futures import ThreadPoolExecutor\n"
            "POOL = ThreadPoolExecutor()\n"
            "def handler(event, context):\n"
            "    checked = POOL.submit(print, 1)\n"
            "    error = checked.exception()\n"
            "    unchecked = POOL.submit(print, 2)\n"
            "    unchecked.add_done_callback(print)\n"
            "    return {'error': str(error)}\n",
            [("LL122", 6)],
        ),
        (  # os.wait() reaps any child; a while loop polling a Popen waits for it
            "import os, subprocess\n"
            "def handler(event, context):\n"
            "    child = os.fork()\n"
            "    if not child:\n"
            "        os._exit(0)\n"
            "    os.wait()\n"
            "    proc = subprocess.Popen(['sleep', '1'])\n"
            "    while proc.poll() is None:\n"
            "        pass\n"
            "    return proc.returncode\n",
            [],
        ),
        (  # work stored on an object or a module-level registry is left to whoever holds it
            "import asyncio, threading\n"
            "RUNNING = []\n"
            "class Job:\n"
            "    def start(self):\n"
            "        worker = threading.Thread(target=print)\n"
            "        worker.start()\n"
            "        self.worker = worker\n"
            "async def main():\n"
            "    RUNNING.append(asyncio.create_task(asyncio.sleep(1)))\n"
            "    Job().start()\n"
            "def handler(event, context):\n"
            "    asyncio.run(main())\n",
            [],
        ),
        (  # logging a thread keeps nothing: it is still not joined
            "import logging, threading\n"
            "logger = logging.getLogger()\n"
            "def handler(event, context):\n"
            "    t = threading.Thread(target=print)\n"
            "    t.start()\n"
            "    logger.info('started %s', t)\n",
            [("LL120", 4)],
        ),
    ],
    ids=["match", "try-else", "future-exception", "wait-any-and-poll", "escapes", "logged"],
)
def test_paths(tmp_path: Path, code: str, expected: list[tuple[str, int]]) -> None:
    assert [(f.rule_id, f.location.span.start_line) for f in lint(tmp_path, code)] == expected
