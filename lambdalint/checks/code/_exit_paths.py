"""Whether work a function starts (a thread, a task, a future, a process) is finished on every path
before the function returns.

Shared by the background-work rules (LL120–LL123). Two linear passes over one function:

1. its statements are read once, in order, into a small tree of steps (branches, loops, ``try``),
   noting what each statement starts, finishes and hands away, and which names stand for the work:
   the name it is bound to, the local containers it is put in (``threads.append(t)``), the loop
   variables that run over those (``for t in threads``), the executor it was submitted to;
2. the steps are run with the unfinished work as a bit mask. A branch finishes work only when both
   sides do; a loop body is taken to run; a ``finally`` that finishes work covers every ``return``
   of its ``try``; an ``except`` handler starts with the work unfinished at the end of its ``try``; a
   ``return`` reached with work unfinished is an early exit, and so is the end of the function.

Limits, chosen for precision: names are followed regardless of order (``t.join()`` finishes
whatever ``t`` was ever bound to); a ``raise`` is not a return; a test on the work itself
(``if t is not None: t.join()``, ``if pid == 0: ...``) is taken as a guard, so such a branch does
not need to finish it; a loop that polls the work (``while proc.poll() is None``) waits for it.
Work that is handed away — returned, yielded, stored on an object or a module-level container,
declared ``global``, passed to another function — is left alone: someone else may finish it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst

from lambdalint.loaders.cst_walk import walk

#: calls that wait for the work named in their arguments
WAIT_CALLS = frozenset(
    {"concurrent.futures.wait", "concurrent.futures.as_completed", "os.waitpid", "os.wait4", "os.waitid"}
)
#: calls that wait for any child process (they finish the work whose owner is :data:`CHILDREN`)
WAIT_ANY_CHILD = frozenset({"os.wait", "os.wait3"})
#: the owner of forked children
CHILDREN = "<children>"
#: calls whose result stands for the work in their arguments (gathered, copied, sorted)
COMBINATORS = frozenset(
    {
        *("asyncio.gather", "asyncio.wait", "asyncio.wait_for", "asyncio.shield", "asyncio.as_completed"),
        *("list", "tuple", "set", "frozenset", "sorted", "reversed", "iter", "zip", "enumerate", "filter"),
    }
)
#: calls that run through an iterator to its end (the results of ``executor.map``)
CONSUMERS = frozenset({"list", "tuple", "set", "frozenset", "sorted", "sum", "any", "all", "min", "max", "dict"})
#: calls that look at their arguments without keeping them
HARMLESS = frozenset({"len", "print", "repr", "str", "id", "type", "bool", "hash", "isinstance"})
#: calls after which the function does not go on
EXITS = frozenset({"os._exit", "os.abort", "sys.exit"})
#: how many of the returns that leave a piece of work running are noted (the first ones)
RETURNS_KEPT = 3
#: every qualified call name the analysis asks about: rules record these while they visit
VOCABULARY = WAIT_CALLS | WAIT_ANY_CHILD | COMBINATORS | CONSUMERS | HARMLESS | EXITS
#: methods that put their argument in a container (a local one keeps it in the function)
_ADD_METHODS = frozenset({"append", "add", "extend", "insert", "appendleft", "update", "setdefault"})
_LOG_METHODS = frozenset({"debug", "info", "warning", "error", "exception", "critical", "log"})


@dataclass(frozen=True)
class Kind:
    """A kind of background work: what finishes it, and how a finding words it."""

    #: what it is, as a finding says it: "thread started", "asyncio task created"
    noun: str
    #: how it is finished: "joined", "awaited", "waited for"
    finished: str
    #: what goes wrong when it is left running
    why: str
    #: what to do: "join it (thread.join())"
    fix: str
    #: methods of the work (or of its owner) that finish it: ``join``, ``wait``, ``result``, ``shutdown``
    methods: frozenset[str] = frozenset()
    #: ``await task``, ``await asyncio.gather(*tasks)``, ``loop.run_until_complete(task)``
    awaited: bool = False
    #: a :data:`WAIT_CALLS` call naming it, or a :data:`WAIT_ANY_CHILD` call for an owner :data:`CHILDREN`
    waited: bool = False
    #: running through it (``for result in results``, ``list(results)``): ``executor.map``
    iterated: bool = False
    #: threads and processes do nothing until ``.start()``: one not started here is left alone
    needs_start: bool = False

    def ways(self) -> Iterator[str]:
        """The events (as :class:`_Effects` names them) that finish this kind of work."""
        yield from (f"method:{method}" for method in self.methods)
        yield from (
            way for way, on in (("await", self.awaited), ("wait", self.waited), ("iterate", self.iterated)) if on
        )


@dataclass(frozen=True)
class Work:
    """A call that starts work."""

    node: cst.Call
    kind: Kind
    #: another name whose use finishes it: the executor it was submitted to (``shutdown()``), :data:`CHILDREN`
    owner: str | None = None


@dataclass(frozen=True)
class Unfinished:
    """Work that some path leaves running when the function returns."""

    work: Work
    #: the first returns (up to :data:`RETURNS_KEPT`) reached while it runs; empty when only the end of
    #: the function is
    returns: tuple[cst.Return, ...]
    #: finished on some path (``False``: never finished at all)
    finished_somewhere: bool


def unfinished(
    function: cst.FunctionDef,
    works: Mapping[cst.Call, Work],
    calls: Mapping[cst.Call, str],
    handler: bool = False,
) -> list[Unfinished]:
    """The work started in ``function`` and the functions nested in it that some path leaves running.

    ``works`` are the calls that start work; ``calls`` the qualified names of the calls in
    :data:`VOCABULARY`. What a ``handler`` returns goes to the Lambda runtime, which finishes
    nothing: returning work there does not hand it away.
    """
    found: list[Unfinished] = []
    pending = [(function, handler)]
    while pending:
        node, returns_to_runtime = pending.pop()
        scope = _Scope(works, calls, returns_to_runtime)
        found.extend(scope.unfinished(node))
        pending.extend((nested, False) for nested in scope.nested)
    return found


# -- pass 1: statements into steps -------------------------------------------------------------


@dataclass(eq=False)
class _Effects:
    """What one statement (or one compound statement's header) does to work, by name."""

    creates: int = 0
    #: (how, name): ``("method:join", "t")``, ``("await", "tasks")``, ``("wait", "pid")``
    finishes: list[tuple[str, str]] = field(default_factory=list)


@dataclass(eq=False)
class _Unit:
    effects: _Effects
    node: cst.CSTNode
    #: "return" or "raise" when the function does not go on after it
    ends: str | None = None


@dataclass(eq=False)
class _Branch:
    test: _Unit
    #: names the test looks at: a branch on the work itself guards it
    tested: set[str]
    body: list[_Step]
    orelse: list[_Step] | None


@dataclass(eq=False)
class _Loop:
    head: _Unit
    body: list[_Step]
    orelse: list[_Step]
    #: names a ``while`` test polls: the loop ends when that work has
    polled: set[str]


@dataclass(eq=False)
class _Try:
    body: list[_Step]
    handlers: list[list[_Step]]
    orelse: list[_Step]
    finalbody: list[_Step]


@dataclass(eq=False)
class _Match:
    subject: _Unit
    cases: list[list[_Step]]


_Step = _Unit | _Branch | _Loop | _Try | _Match


class _Scope:
    """One function body: its steps, the names that stand for its work, and what escapes."""

    def __init__(self, works: Mapping[cst.Call, Work], calls: Mapping[cst.Call, str], handler: bool) -> None:
        self.works = works
        self.calls = calls
        self.handler = handler
        self.bound: list[Work] = []
        self.nested: list[cst.FunctionDef] = []
        self.locals: set[str] = set()
        self.shared: set[str] = set()  # ``global`` / ``nonlocal``
        self.escaping: set[str] = set()
        self.starting: set[str] = set()
        self.escaped = 0
        self.started = 0
        self._parent: dict[str, str] = {}
        self._bits: dict[str, int] = {}

    # names: a union-find, each set with the work it stands for
    def _find(self, name: str) -> str:
        root = name
        while self._parent.get(root, root) != root:
            root = self._parent[root]
        while name != root:
            self._parent[name], name = root, self._parent[name]
        return root

    def unite(self, names: Iterable[str]) -> None:
        roots = {self._find(name) for name in names}
        if len(roots) > 1:
            first, *others = roots
            for other in others:
                self._parent[other] = first
                self._bits[first] = self._bits.get(first, 0) | self._bits.pop(other, 0)

    def _give(self, name: str, bits: int) -> None:
        root = self._find(name)
        self._bits[root] = self._bits.get(root, 0) | bits

    def mask(self, names: Iterable[str]) -> int:
        bits = 0
        for name in names:
            bits |= self._bits.get(self._find(name), 0)
        return bits

    # statements
    def steps(self, statements: Sequence[cst.BaseStatement | cst.BaseSmallStatement]) -> list[_Step]:
        steps: list[_Step] = []
        for statement in statements:
            if isinstance(statement, cst.SimpleStatementLine):
                steps.extend(self._small(small) for small in statement.body)
            elif isinstance(statement, cst.BaseSmallStatement):
                steps.append(self._small(statement))
            else:
                steps.extend(self._compound(statement))
        return steps

    def _suite(self, suite: cst.BaseSuite) -> list[_Step]:
        return self.steps(suite.body)

    def _compound(self, node: cst.BaseStatement) -> list[_Step]:
        if isinstance(node, cst.If):
            orelse = node.orelse
            other = self._suite(orelse.body) if isinstance(orelse, cst.Else) else None
            if isinstance(orelse, cst.If):
                other = self._compound(orelse)  # elif
            return [_Branch(self._unit(node.test), _mentioned(node.test), self._suite(node.body), other)]
        if isinstance(node, cst.For):
            head = self._unit(node.iter)
            self.unite({*_mentioned(node.target), *_mentioned(node.iter)})
            if isinstance(node.iter, cst.Name):
                head.effects.finishes.append(("iterate", node.iter.value))
            return [_Loop(head, self._suite(node.body), self._else(node.orelse), set())]
        if isinstance(node, cst.While):
            head = self._unit(node.test)
            return [_Loop(head, self._suite(node.body), self._else(node.orelse), _mentioned(node.test))]
        if isinstance(node, cst.Try | cst.TryStar):
            handlers = [self._suite(handler.body) for handler in node.handlers]
            finalbody = self._else(node.finalbody)
            return [_Try(self._suite(node.body), handlers, self._else(node.orelse), finalbody)]
        if isinstance(node, cst.With):
            return [*(self._unit(item.item) for item in node.items), *self._suite(node.body)]
        if isinstance(node, cst.Match):
            return [_Match(self._unit(node.subject), [self._suite(case.body) for case in node.cases])]
        if isinstance(node, cst.FunctionDef):
            self.nested.append(node)
        return []  # a class body, or a function of its own

    def _else(self, node: cst.Else | cst.Finally | None) -> list[_Step]:
        return [] if node is None else self._suite(node.body)

    def _unit(self, node: cst.CSTNode, ends: str | None = None) -> _Unit:
        effects = _Effects()
        walk(node, [_Collector(self, effects)])
        return _Unit(effects, node, ends)

    def _small(self, node: cst.BaseSmallStatement) -> _Unit:
        ends = None
        if isinstance(node, cst.Return):
            ends = "return"
            if node.value is not None and not self.handler:
                self.escaping |= self.sources(node.value)
        elif isinstance(node, cst.Raise):
            ends = "raise"
        elif isinstance(node, cst.Global | cst.Nonlocal):
            self.shared.update(item.name.value for item in node.names)
        elif isinstance(node, cst.Assign):
            for target in node.targets:
                self._assign(target.target, node.value)
        elif isinstance(node, cst.AnnAssign | cst.AugAssign) and node.value is not None:
            self._assign(node.target, node.value)
        elif isinstance(node, cst.Expr) and isinstance(node.value, cst.Call) and self.calls.get(node.value) in EXITS:
            ends = "raise"
        unit = self._unit(node, ends)
        unit.effects.creates = self._bind(node)
        return unit

    def _assign(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        sources = self.sources(value)
        if isinstance(target, cst.Name):
            if target.value in self.shared:
                self.escaping |= sources
            else:
                self.locals.add(target.value)
                self.unite({target.value, *sources})
        elif isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                self._assign(element.value, value)
        elif (
            isinstance(target, cst.Subscript)
            and isinstance(target.value, cst.Name)
            and target.value.value in self.locals
        ):
            keys = {n for e in target.slice if isinstance(e.slice, cst.Index) for n in _held(e.slice.value)}
            self.unite({target.value.value, *keys, *sources})  # futures[future] = url
        elif not isinstance(target, cst.StarredElement):
            self.escaping |= sources  # an attribute, or a container of someone else's

    def sources(self, value: cst.BaseExpression) -> set[str]:
        """The names an assigned value stands for: ``[t1, t2]``, ``list(tasks)``, ``[t for t in threads]``."""
        if isinstance(value, cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp):
            targets: set[str] = set()
            iterated: set[str] = set()
            clause: cst.CompFor | None = value.for_in
            while clause is not None:
                targets |= _mentioned(clause.target)
                iterated |= _mentioned(clause.iter)
                clause = clause.inner_for_in
            elements = [value.key, value.value] if isinstance(value, cst.DictComp) else [value.elt]
            yields_work = any(_held(element) & targets for element in elements)
            return iterated if yields_work else set()
        if isinstance(value, cst.Call) and self.calls.get(value) in COMBINATORS:
            return {name for argument in value.args for name in self.sources(argument.value)}
        return _held(value)

    def _bind(self, node: cst.BaseSmallStatement) -> int:
        """Register the work a statement starts, under the name it is bound to; its bits."""
        target: str | None = None
        candidates: list[cst.BaseExpression] = []
        if isinstance(node, cst.Assign | cst.AnnAssign) and node.value is not None:
            targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            if len(targets) != 1 or not isinstance(targets[0], cst.Name):
                return 0
            target = targets[0].value
            candidates = _elements(node.value)
        elif isinstance(node, cst.Expr):
            value = node.value
            container = _added_to(value)
            if container is not None and isinstance(value, cst.Call):
                target = container
                candidates = [argument.value for argument in value.args]
            else:
                candidates = _elements(value)
        bits = 0
        for candidate in candidates:
            created = self._created(candidate)
            if created is None:
                continue
            work, started = created
            bit = 1 << len(self.bound)
            self.bound.append(work)
            bits |= bit
            self.started |= bit if started else 0
            if work.owner is not None:
                self._give(work.owner, bit)
            if target is None:
                continue
            if target in self.shared or (isinstance(node, cst.Expr) and target not in self.locals):
                self.escaped |= bit
            else:
                self._give(target, bit)
        return bits

    def _created(self, expression: cst.BaseExpression) -> tuple[Work, bool] | None:
        """The work an expression starts, and whether it is started there (``Thread(...).start()``)."""
        if not isinstance(expression, cst.Call):
            return None
        work = self.works.get(expression)
        if work is not None:
            return work, False
        func = expression.func
        if isinstance(func, cst.Attribute) and func.attr.value == "start" and isinstance(func.value, cst.Call):
            work = self.works.get(func.value)
            return None if work is None else (work, True)
        return None

    def call(self, node: cst.Call, effects: _Effects) -> None:
        """What a call does to work: finishes it, keeps it in a local container, or takes it away."""
        name = self.calls.get(node)
        func = node.func
        method = func.attr.value if isinstance(func, cst.Attribute) else None
        receiver = func.value.value if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) else None
        arguments = [argument.value for argument in node.args]
        if name in WAIT_CALLS:
            effects.finishes += [("wait", n) for argument in arguments for n in _mentioned(argument)]
        elif name in WAIT_ANY_CHILD:
            effects.finishes.append(("wait", CHILDREN))
        elif name in CONSUMERS:
            effects.finishes += [("iterate", a.value) for a in arguments if isinstance(a, cst.Name)]
        elif name in COMBINATORS or name in HARMLESS:
            pass
        elif method == "run_until_complete":
            effects.finishes += [("await", n) for argument in arguments for n in _mentioned(argument)]
        elif receiver is not None and method == "start":
            self.starting.add(receiver)
        elif receiver is not None and method in _ADD_METHODS and receiver in self.locals:
            self.unite({receiver, *(n for argument in arguments for n in self.sources(argument))})
        else:
            if receiver is not None and not (method == "shutdown" and passes(node, "wait", "False", 0)):
                effects.finishes.append((f"method:{method}", receiver))
            if method not in _LOG_METHODS:  # logger.info("started %s", thread) keeps nothing
                self.escaping.update(n for argument in arguments for n in self.sources(argument))

    # pass 2
    def unfinished(self, function: cst.FunctionDef) -> list[Unfinished]:
        steps = self._suite(function.body)
        if not self.bound:
            return []
        self.escaped |= self.mask(self.escaping)
        self.started |= self.mask(self.starting)
        run = _Run(self)
        end = run.steps(steps, 0, 0) or 0
        found = []
        for index, work in enumerate(self.bound):
            bit = 1 << index
            returns = run.returns.get(index, [])
            if self.escaped & bit or (work.kind.needs_start and not self.started & bit):
                continue
            if returns or end & bit:
                found.append(Unfinished(work, tuple(returns), bool(run.finished & bit)))
        return found


class _Collector(cst.BatchableCSTVisitor):
    """The calls, awaits and comprehensions of one statement (not of the lambdas in it)."""

    def __init__(self, scope: _Scope, effects: _Effects) -> None:
        super().__init__()
        self.scope = scope
        self.effects = effects
        self.lambdas = 0

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.lambdas += 1

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.lambdas -= 1

    def visit_Call(self, node: cst.Call) -> None:
        if not self.lambdas:
            self.scope.call(node, self.effects)

    def visit_Await(self, node: cst.Await) -> None:
        if not self.lambdas:
            self.effects.finishes += [("await", name) for name in _mentioned(node.expression)]

    def visit_Yield(self, node: cst.Yield) -> None:
        if isinstance(node.value, cst.BaseExpression) and not self.lambdas:
            self.scope.escaping |= self.scope.sources(node.value)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        if self.lambdas:
            return
        self.scope.unite({*_mentioned(node.target), *_mentioned(node.iter)})
        if isinstance(node.iter, cst.Name):
            self.effects.finishes.append(("iterate", node.iter.value))


# -- pass 2: running the steps -----------------------------------------------------------------


class _Run:
    """Runs the steps with the unfinished work as a bit mask, noting the returns it reaches."""

    def __init__(self, scope: _Scope) -> None:
        self.scope = scope
        self.accepts: dict[str, int] = {}
        for index, work in enumerate(scope.bound):
            for way in work.kind.ways():
                self.accepts[way] = self.accepts.get(way, 0) | 1 << index
        self.returns: dict[int, list[cst.Return]] = {}
        #: the work with :data:`RETURNS_KEPT` returns noted already
        self._noted = 0
        #: the work finished somewhere
        self.finished = 0
        self._within: dict[object, int] = {}

    def _finishes(self, effects: _Effects) -> int:
        bits = 0
        for how, name in effects.finishes:
            bits |= self.scope.mask((name,)) & self.accepts.get(how, 0)
        self.finished |= bits
        return bits

    def steps(self, steps: list[_Step], state: int, covered: int) -> int | None:
        """The work unfinished after ``steps`` (``None``: they never fall through); ``covered`` work
        is finished on the way out anyway (a ``finally``) or guarded by a test on it."""
        current = state
        for step in steps:
            after = self._step(step, current, covered)
            if after is None:
                return None
            current = after
        return current

    def _step(self, step: _Step, state: int, covered: int) -> int | None:
        if isinstance(step, _Unit):
            state = (state | step.effects.creates) & ~self._finishes(step.effects)
            if step.ends == "return" and isinstance(step.node, cst.Return):
                for index in _indices(state & ~covered & ~self._noted):
                    returns = self.returns.setdefault(index, [])
                    returns.append(step.node)
                    if len(returns) == RETURNS_KEPT:
                        self._noted |= 1 << index
            return None if step.ends else state
        if isinstance(step, _Branch):
            state = state & ~self._finishes(step.test.effects)
            tested = self.scope.mask(step.tested)
            body = self.steps(step.body, state, covered | tested)
            other = state if step.orelse is None else self.steps(step.orelse, state, covered | tested)
            if body is None or other is None:
                return other if body is None else body
            return ((body | other) & ~tested) | (body & other & tested)
        if isinstance(step, _Loop):
            state = state & ~self._finishes(step.head.effects)
            body = self.steps(step.body, state, covered)
            state = (state if body is None else body) & ~self.scope.mask(step.polled)
            self.finished |= self.scope.mask(step.polled)
            return self.steps(step.orelse, state, covered)
        if isinstance(step, _Try):
            inner = covered | self._finished_within(step.finalbody)
            body = self.steps(step.body, state, inner)
            after = None if body is None else self.steps(step.orelse, body, inner)
            start = state if body is None else body  # what an exception late in the body leaves
            for handler in step.handlers:
                after = _either(after, self.steps(handler, start, inner))
            ended = self.steps(step.finalbody, start if after is None else after, covered)
            return None if after is None else ended
        state = state & ~self._finishes(step.subject.effects)
        result: int | None = None
        for case in step.cases:
            result = _either(result, self.steps(case, state, covered))
        return result

    def _finished_within(self, steps: list[_Step]) -> int:
        """The work some statement of ``steps`` finishes, wherever it stands in them."""
        bits = 0
        for step in steps:
            if step not in self._within:
                self._within[step] = self._finished_by(step)
            bits |= self._within[step]
        return bits

    def _finished_by(self, step: _Step) -> int:
        if isinstance(step, _Unit):
            return self._finishes(step.effects)
        if isinstance(step, _Branch):
            return self._finishes(step.test.effects) | self._finished_within([*step.body, *(step.orelse or ())])
        if isinstance(step, _Loop):
            return self._finishes(step.head.effects) | self._finished_within([*step.body, *step.orelse])
        if isinstance(step, _Try):
            blocks = [step.body, *step.handlers, step.orelse, step.finalbody]
            return self._finished_within([inner for block in blocks for inner in block])
        return self._finishes(step.subject.effects) | self._finished_within([s for case in step.cases for s in case])


def _either(first: int | None, second: int | None) -> int | None:
    """The work unfinished after either of two paths (``None``: a path that never falls through)."""
    if first is None or second is None:
        return second if first is None else first
    return first | second


def _indices(bits: int) -> Iterator[int]:
    while bits:
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low


# -- expressions -------------------------------------------------------------------------------


def _added_to(value: cst.BaseExpression) -> str | None:
    """The container a call puts its arguments in: ``threads`` for ``threads.append(...)``."""
    func = value.func if isinstance(value, cst.Call) else None
    if isinstance(func, cst.Attribute) and func.attr.value in _ADD_METHODS and isinstance(func.value, cst.Name):
        return func.value.value
    return None


def _elements(value: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The value itself, or what a display or comprehension is made of."""
    if isinstance(value, cst.List | cst.Tuple | cst.Set):
        return [element.value for element in value.elements]
    if isinstance(value, cst.ListComp | cst.SetComp | cst.GeneratorExp):
        return [value.elt]
    if isinstance(value, cst.DictComp):
        return [value.key, value.value]
    return [value]


def _held(expression: cst.BaseExpression) -> set[str]:
    """The names an expression hands on as they are: ``t``, ``[t1, t2]``, ``{"task": t}``, ``*tasks``."""
    if isinstance(expression, cst.Name):
        return {expression.value}
    if isinstance(expression, cst.List | cst.Tuple | cst.Set):
        return {name for element in expression.elements for name in _held(element.value)}
    if isinstance(expression, cst.Dict):
        names: set[str] = set()
        for element in expression.elements:
            names |= _held(element.value)
            if isinstance(element, cst.DictElement):
                names |= _held(element.key)
        return names
    if isinstance(expression, cst.IfExp):
        return _held(expression.body) | _held(expression.orelse)
    return set()


def _mentioned(node: cst.CSTNode) -> set[str]:
    """The names an expression reads, but not the functions it calls, attributes, or keywords."""
    visitor = _Mentions()
    walk(node, [visitor])
    return visitor.found


class _Mentions(cst.BatchableCSTVisitor):
    """Names met on the way down, once their parent has said whether they are read."""

    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()
        self.skipped: set[cst.Name] = set()
        self.lambdas = 0

    def visit_Name(self, node: cst.Name) -> None:
        if node not in self.skipped and not self.lambdas:
            self.found.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.skipped.add(node.attr)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.skipped.add(node.keyword)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name):
            self.skipped.add(node.func)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.lambdas += 1

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.lambdas -= 1


def passes(call: cst.Call, keyword: str, literal: str, position: int | None = None) -> bool:
    """Whether ``call`` passes the ``literal`` (``True``, ``False``) as ``keyword``, or at ``position``."""
    for index, argument in enumerate(call.args):
        name = argument.keyword.value if argument.keyword else (keyword if index == position else None)
        if name == keyword and isinstance(argument.value, cst.Name) and argument.value.value == literal:
            return True
    return False
