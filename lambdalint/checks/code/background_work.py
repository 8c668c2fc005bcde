"""LL120–LL124: background work a handler leaves running when it returns, and multiprocessing
objects Lambda cannot create.

Lambda freezes the execution environment as soon as the handler returns: a thread, task, pool
job or child process still running stops mid-work, and resumes (or not) during some later
invocation. LL120–LL123 follow the work each invocation starts to the function's exits
(:mod:`lambdalint.checks.code._exit_paths`); LL124 finds the multiprocessing objects that need
``/dev/shm``, which Lambda does not have.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import libcst as cst

from lambdalint.analysis.program import Invocation
from lambdalint.checks.base import CodeCheck, CodePlace, Report, code_check
from lambdalint.checks.code._exit_paths import CHILDREN, VOCABULARY, Kind, Unfinished, Work, passes, unfinished

_FROZEN = "Lambda freezes the environment as soon as the handler returns, and {} with it, mid-work"
_CHILD = _FROZEN.format("the child") + ", or leaves it a zombie once it exits"
_POOL = _FROZEN.format("the pool's threads") + ", and the job's errors are never seen"

THREAD = Kind(
    "thread started",
    "joined",
    _FROZEN.format("the thread"),
    "join it (thread.join()) before returning",
    methods=frozenset({"join", "cancel"}),
    needs_start=True,
)
TASK = Kind(
    "asyncio task created",
    "awaited",
    "the event loop stops with the task pending when the handler returns (asyncio.run cancels it), "
    "and its work is lost",
    "await it (await task, or await asyncio.gather(*tasks)) before returning",
    methods=frozenset({"cancel"}),
    awaited=True,
)
FUTURE = Kind(
    "job submitted to a thread pool",
    "waited for",
    _POOL,
    "wait for it (future.result(), concurrent.futures.wait(futures)) before returning, or submit it inside a "
    "`with ThreadPoolExecutor() as executor:` block",
    methods=frozenset({"result", "exception", "cancel", "shutdown"}),
    awaited=True,
    waited=True,
)
MAPPED = Kind(
    "executor.map jobs submitted",
    "consumed",
    _POOL,
    "consume the results (list(executor.map(...))) or shut the executor down with wait before returning",
    methods=frozenset({"shutdown"}),
    iterated=True,
)
POPEN = Kind(
    "subprocess started",
    "waited for",
    _CHILD,
    "wait for it (proc.wait() or proc.communicate()) before returning, or use subprocess.run",
    methods=frozenset({"wait", "communicate"}),
)
PROCESS = Kind(
    "multiprocessing.Process started",
    "joined",
    _CHILD,
    "join it (process.join()) before returning",
    methods=frozenset({"join"}),
    needs_start=True,
)
FORK = Kind(
    "child forked", "waited for", _CHILD, "wait for it in the parent (os.waitpid(pid, 0)) before returning", waited=True
)

THREAD_CLASSES = frozenset({"threading.Thread", "threading.Timer"})
PROCESS_CLASSES = frozenset(
    {"multiprocessing.Process", "multiprocessing.get_context().Process", "multiprocessing.context.Process"}
)
TASK_FACTORIES = frozenset({"asyncio.create_task", "asyncio.ensure_future"})
#: an event loop, as a qualified call: ``loop.create_task`` after ``loop = asyncio.get_event_loop()``
EVENT_LOOPS = frozenset({"asyncio.get_event_loop()", "asyncio.get_running_loop()", "asyncio.new_event_loop()"})
THREAD_POOLS = frozenset({"concurrent.futures.ThreadPoolExecutor()", "concurrent.futures.thread.ThreadPoolExecutor()"})


class _BackgroundWork(CodeCheck):
    """Collects the calls that start this rule's kind of work; reports those some path leaves running."""

    #: base classes whose subclasses, defined in the module, start this rule's work, and its kind
    bases: ClassVar[frozenset[str]] = frozenset()
    subclass_kind: ClassVar[Kind | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.works: dict[cst.Call, Work] = {}
        #: the qualified names of the calls the exit-path analysis asks about
        self.calls: dict[cst.Call, str] = {}
        self.functions: dict[str, None] = {}  # functions starting work, in order
        self.subclasses: set[str] = set()
        #: calls to a plain name, which may be a subclass defined further down
        self._plain: list[tuple[cst.Call, str, str]] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if self.bases and self.facts.current_function is None:
            names = {self.facts.qualified_name(base.value) for base in node.bases}
            if names & (self.bases | self.subclasses):
                self.subclasses.add(node.name.value)

    def visit_Call(self, node: cst.Call) -> None:
        site = self.facts.call_site(node)
        if site is None:
            return
        name = self.facts.qualified_name(node.func) or ""
        if name in VOCABULARY:
            self.calls[node] = name
        if site.lazily_guarded:
            return
        work = self.work(node, name)
        if work is not None:
            self.works[node] = work
            self.functions[site.function] = None
        elif self.bases and name.isidentifier():
            self._plain.append((node, name, site.function))

    def work(self, node: cst.Call, name: str) -> Work | None:
        """The work the call starts, if it is this rule's kind."""
        raise NotImplementedError

    def finish(self, invocation: Invocation) -> Iterator[Report]:
        for node, name, function in self._plain:
            if name in self.subclasses and self.subclass_kind is not None:
                self.works[node] = Work(node, self.subclass_kind)
                self.functions[function] = None
        for function in self.functions:
            if not invocation.runs_per_invocation(function):
                continue
            related = invocation.related(function)
            handler = any(entry.name == function for entry in invocation.handlers)
            for item in unfinished(self.facts.functions[function].node, self.works, self.calls, handler):
                returns = tuple(
                    (CodePlace(self.module, node), "returns here with it still running") for node in item.returns
                )
                yield Report(self.message(item), CodePlace(self.module, item.work.node), related + returns)

    def message(self, item: Unfinished) -> str:
        kind = item.work.kind
        if not item.finished_somewhere:
            return f"{kind.noun} on every invocation and never {kind.finished}: {kind.why}; {kind.fix}"
        lines = [str(self.module.span(node).start_line) for node in item.returns]
        if len(lines) == 1:
            where = f"the return on line {lines[0]} leaves it running"
        elif lines:
            where = f"the returns on lines {', '.join(lines)} leave it running"
        else:
            where = "a path that skips it reaches the end of the function"
        return (
            f"{kind.noun} on every invocation is not {kind.finished} on every path: {where}. "
            f"{kind.why[0].upper()}{kind.why[1:]}; {kind.fix}, on every path (a finally block does it)"
        )


@code_check
class ThreadNotJoined(_BackgroundWork):
    rule_id = "LL120"
    bases = THREAD_CLASSES
    subclass_kind = THREAD

    def work(self, node: cst.Call, name: str) -> Work | None:
        return Work(node, THREAD) if name in THREAD_CLASSES else None

    def message(self, item: Unfinished) -> str:
        text = super().message(item)
        if passes(item.work.node, "daemon", "True"):
            text += " (daemon=True does not help: Lambda does not wait for any thread, it freezes them all)"
        return text


@code_check
class TaskNotAwaited(_BackgroundWork):
    rule_id = "LL121"

    def work(self, node: cst.Call, name: str) -> Work | None:
        owner, _, method = name.rpartition(".")
        if name in TASK_FACTORIES or (method in ("create_task", "run_in_executor") and owner in EVENT_LOOPS):
            return Work(node, TASK)
        return None


@code_check
class ExecutorNotDrained(_BackgroundWork):
    rule_id = "LL122"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: the executors of the enclosing ``with`` blocks, which wait for their jobs on the way out
        self._drained: list[set[str]] = []

    def visit_With(self, node: cst.With) -> None:
        names = set()
        for item in node.items:
            if self.facts.qualified_name(item.item) in THREAD_POOLS:  # ThreadPoolExecutor(...), or a name bound to one
                if isinstance(item.item, cst.Name):
                    names.add(item.item.value)
                if item.asname is not None and isinstance(item.asname.name, cst.Name):
                    names.add(item.asname.name.value)
        self._drained.append(names)

    def leave_With(self, original_node: cst.With) -> None:
        self._drained.pop()

    def work(self, node: cst.Call, name: str) -> Work | None:
        owner, _, method = name.rpartition(".")
        if method not in ("submit", "map") or owner not in THREAD_POOLS:
            return None
        func = node.func
        receiver = func.value.value if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) else None
        if receiver is not None and any(receiver in names for names in self._drained):
            return None
        return Work(node, FUTURE if method == "submit" else MAPPED, receiver)


@code_check
class ProcessNotWaited(_BackgroundWork):
    rule_id = "LL123"
    bases = PROCESS_CLASSES
    subclass_kind = PROCESS

    def work(self, node: cst.Call, name: str) -> Work | None:
        if name == "subprocess.Popen":
            return Work(node, POPEN)
        if name == "os.fork":
            return Work(node, FORK, CHILDREN)
        return Work(node, PROCESS) if name in PROCESS_CLASSES else None


# -- LL124 -------------------------------------------------------------------------------------

#: multiprocessing objects built on POSIX semaphores or shared memory, by attribute
SHM_OBJECTS = frozenset(
    {
        *("Pool", "Queue", "SimpleQueue", "JoinableQueue", "Manager"),
        *("Lock", "RLock", "Semaphore", "BoundedSemaphore", "Event", "Condition", "Barrier", "Value", "Array"),
    }
)
#: where those attributes are reached: the module, or a context from ``get_context(...)``
SHM_OWNERS = frozenset({"multiprocessing", "multiprocessing.get_context()", "multiprocessing.context.get_context()"})
#: the same objects by their full names, and the pools whose threads still need a semaphore
SHM_CLASSES = frozenset(
    {
        "multiprocessing.pool.Pool",
        "multiprocessing.managers.SyncManager",
        "multiprocessing.shared_memory.SharedMemory",
        "multiprocessing.shared_memory.ShareableList",
        "multiprocessing.queues.Queue",
        "multiprocessing.queues.SimpleQueue",
        "multiprocessing.queues.JoinableQueue",
    }
)
THREAD_BACKED_POOLS = frozenset({"multiprocessing.pool.ThreadPool", "multiprocessing.dummy.Pool"})
PROCESS_POOLS = frozenset({"concurrent.futures.ProcessPoolExecutor", "concurrent.futures.process.ProcessPoolExecutor"})


@code_check
class MultiprocessingShm(CodeCheck):
    rule_id = "LL124"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: (call, what it builds, the function it is in or None at module scope)
        self.sites: list[tuple[cst.Call, str, str | None]] = []
        #: what module scope calls (outside ``if __name__ == "__main__":``): it runs at import
        self.called_at_import: set[str] = set()
        self._main_guards: list[cst.If] = []

    def visit_If(self, node: cst.If) -> None:
        if self.facts.current_function is None and _is_main_guard(node.test):
            self._main_guards.append(node)

    def leave_If(self, original_node: cst.If) -> None:
        if self._main_guards and self._main_guards[-1] is original_node:
            self._main_guards.pop()

    def visit_Call(self, node: cst.Call) -> None:
        if self._main_guards:
            return
        name = self.facts.qualified_name(node.func) or ""
        site = self.facts.call_site(node)
        if site is None:
            self.called_at_import.add(name.replace("()", ""))
        if _needs_shm(name, node):
            self.sites.append((node, name, None if site is None else site.function))

    def finish(self, invocation: Invocation) -> Iterator[Report]:
        at_import = self._run_at_import()
        for node, name, function in self.sites:
            if function is None or function in at_import:
                yield Report(_shm_message(name), CodePlace(self.module, node))
            elif invocation.runs_per_invocation(function):
                yield Report(_shm_message(name), CodePlace(self.module, node), invocation.related(function))

    def _run_at_import(self) -> set[str]:
        """The module's functions that module scope calls, directly or through each other."""
        functions = self.facts.functions
        reached: set[str] = set()
        pending = list(self.called_at_import)
        while pending:
            name = pending.pop()
            key = name if name in functions else f"{name}.__init__"
            if key in functions and key not in reached and not functions[key].cached:
                reached.add(key)
                pending.extend(call.replace("()", "") for call in functions[key].calls)
        return reached


def _needs_shm(name: str, node: cst.Call) -> bool:
    owner, _, attribute = name.rpartition(".")
    if not (
        name in SHM_CLASSES | THREAD_BACKED_POOLS | PROCESS_POOLS or (owner in SHM_OWNERS and attribute in SHM_OBJECTS)
    ):
        return False
    if attribute in ("Value", "Array"):  # lock=False gives a raw shared value, without a semaphore
        return not passes(node, "lock", "False")
    return True


def _shm_message(name: str) -> str:
    owner, _, attribute = name.rpartition(".")
    shown = f"multiprocessing.{attribute}" if owner in SHM_OWNERS else name
    cause = "Lambda has no /dev/shm, so it fails with OSError: [Errno 38] Function not implemented"
    if name in PROCESS_POOLS:
        return (
            f"ProcessPoolExecutor uses a multiprocessing queue and locks, and {cause}; use "
            "multiprocessing.Process with a Pipe per worker, or ThreadPoolExecutor for I/O-bound work"
        )
    if name in THREAD_BACKED_POOLS:
        return (
            f"{name} creates a multiprocessing queue even for threads, and {cause}; use "
            "concurrent.futures.ThreadPoolExecutor"
        )
    if attribute in ("Pool", "Manager", "SyncManager"):
        return (
            f"{shown} needs POSIX semaphores, and {cause}; use multiprocessing.Process with "
            "a Pipe per worker, or concurrent.futures.ThreadPoolExecutor for I/O-bound work"
        )
    return (
        f"{shown} needs POSIX semaphores or shared memory, and {cause}; pass data through "
        "multiprocessing.Pipe between processes, or use threads with queue.Queue / threading primitives"
    )


def _is_main_guard(test: cst.BaseExpression) -> bool:
    """``if __name__ == "__main__":``: code for local runs, never run on Lambda."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    sides = [test.left, test.comparisons[0].comparator]
    return any(isinstance(s, cst.Name) and s.value == "__name__" for s in sides) and any(
        isinstance(s, cst.SimpleString) and s.evaluated_value == "__main__" for s in sides
    )
