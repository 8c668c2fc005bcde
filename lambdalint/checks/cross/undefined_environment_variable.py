"""LL216 undefined-environment-variable: code reads a variable the function's environment lacks.

``os.environ["TABLE_NAME"]`` raises ``KeyError`` when the variable is missing, at import time if
the read is at module scope (the function then fails every cold start). It is reported when no
template function of the code root sets the name (after the Globals merge), Lambda does not set it
either, and the code does not set it itself. Reads anywhere in a module count, module scope
included; not reads under a ``"X" in os.environ`` / ``os.environ.get("X")`` check in the same
function, in a ``try`` that handles ``KeyError``, under ``if __name__ == "__main__":`` or in tests.

Precision first: without a template function for the code root, or when any of its functions has
an environment the template does not spell out (an intrinsic, a container image whose Dockerfile
may set ``ENV``, a wrapper script named by ``AWS_LAMBDA_EXEC_WRAPPER`` that may export more), or
when the code loads variables it does not name (``load_dotenv()``, ``os.environ.update(...)``),
the rule stays silent. With several functions sharing the code root, a name is reported only when
none of them sets it: the others may never import the module that reads it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any

import libcst as cst

from lambdalint.analysis.calls import literal_string
from lambdalint.analysis.program import Invocation
from lambdalint.checks.base import CodeCheck, CodePlace, Place, Report, TemplatePlace, code_check
from lambdalint.checks.code.hardcoded_credentials import is_test_file
from lambdalint.loaders.tree import Mapping, Node, Sequence, intrinsic_name, scalar_value
from lambdalint.model.lambda_environment import RUNTIME_SET
from lambdalint.model.project import SERVERLESS_FUNCTION, Function

ENVIRON = "os.environ"
#: calls that look a variable up and tolerate its absence
LOOKUPS = frozenset({"os.environ.get", "os.getenv"})
#: exceptions whose handler covers a missing variable
HANDLED = frozenset({"KeyError", "LookupError", "Exception", "BaseException"})

#: code that sets a variable by name: ``os.environ["X"] = …``, ``os.environ.setdefault("X", …)``
_WRITE = re.compile(
    r"""environ\s*\[\s*(['"])(\w+)\1\s*\]\s*[-+|]?=(?!=)|(?:environ\.setdefault|putenv)\s*\(\s*(['"])(\w+)\3"""
)
#: code that sets variables we cannot name
_BULK_WRITE = re.compile(r"dotenv|read_env\s*\(|environ\.update\s*\(|environ\s*\|=")

#: a scope: the function (``name`` or ``Class.method``) or ``None`` for module scope
Scope = str | None


@code_check
class UndefinedEnvironmentVariable(CodeCheck):
    rule_id = "LL216"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reads: list[tuple[cst.Subscript, str, Scope]] = []
        #: names checked for presence (``in``, ``.get``) in a scope
        self.checked: set[tuple[Scope, str]] = set()
        #: ``os.environ["X"]`` being assigned or deleted, not read
        self._targets: set[cst.CSTNode] = set()
        #: blocks whose reads do not count: ``if __name__ == "__main__":``, ``try`` handling KeyError
        self._quiet_blocks: set[cst.CSTNode] = set()
        self._quiet = 0

    @functools.cached_property
    def writes(self) -> frozenset[str] | None:
        """The names this module sets itself (``os.environ["X"] = …``), worked out once; ``None``
        when it sets variables it does not name (``load_dotenv()``)."""
        text = self.module.text
        if _BULK_WRITE.search(text):
            return None
        return frozenset(match.group(2) or match.group(4) for match in _WRITE.finditer(text))

    @property
    def _scope(self) -> Scope:
        current = self.facts.current_function
        return current.name if current is not None else None

    # -- what the code reads, checks and writes ----------------------------------------------
    def visit_Subscript(self, node: cst.Subscript) -> None:
        name = self._environ_key(node)
        if name is not None and node not in self._targets and not self._quiet:
            self.reads.append((node, name, self._scope))

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._targets.add(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._targets.add(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        self._targets.add(node.target)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        """``"X" in os.environ`` / ``"X" not in os.environ``."""
        key = literal_string(node.left)
        for target in node.comparisons:
            if (
                key is not None
                and isinstance(target.operator, cst.In | cst.NotIn)
                and self.facts.qualified_name(target.comparator) == ENVIRON
            ):
                self.checked.add((self._scope, key))

    def visit_Call(self, node: cst.Call) -> None:
        if node.args and self.facts.qualified_name(node.func) in LOOKUPS:
            key = literal_string(node.args[0].value)
            if key is not None:
                self.checked.add((self._scope, key))

    def visit_If(self, node: cst.If) -> None:
        if _is_main_guard(node.test):
            self._quiet_blocks.add(node.body)

    def visit_Try(self, node: cst.Try) -> None:
        if any(_handles_missing_key(handler) for handler in node.handlers):
            self._quiet_blocks.add(node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._quiet += node in self._quiet_blocks

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
        self._quiet -= original_node in self._quiet_blocks

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._quiet += node in self._quiet_blocks

    def leave_SimpleStatementSuite(self, original_node: cst.SimpleStatementSuite) -> None:
        self._quiet -= original_node in self._quiet_blocks

    def _environ_key(self, node: cst.Subscript) -> str | None:
        if len(node.slice) != 1 or self.facts.qualified_name(node.value) != ENVIRON:
            return None
        element = node.slice[0].slice
        return literal_string(element.value) if isinstance(element, cst.Index) else None

    # -- the decision ----------------------------------------------------------------------------
    def finish(self, invocation: Invocation) -> Iterator[Report]:
        if not self.reads or is_test_file(self.module.rel):
            return
        functions = invocation.lambda_functions()
        declared = [names for function in functions if (names := variable_names(function)) is not None]
        if not functions or len(declared) < len(functions):
            return
        known = RUNTIME_SET.union(*declared)
        missing: dict[str, list[cst.Subscript]] = {}
        for node, name, scope in self.reads:
            if name not in known and (scope, name) not in self.checked:
                missing.setdefault(name, []).append(node)
        if not missing:
            return
        written = _written_by_code(
            peer
            for module, peer in invocation.peers(self.rule_id).items()
            if isinstance(peer, UndefinedEnvironmentVariable)
            and (module is self.module or not is_test_file(module.rel))
        )
        if written is None:
            return
        for name, (first, *others) in missing.items():
            if name in written:
                continue
            related = [(CodePlace(self.module, node), f"{name} is read here too") for node in others]
            yield Report(
                _message(name, functions),
                CodePlace(self.module, first),
                tuple(related) + _environment_places(functions),
            )


def variable_names(function: Function) -> frozenset[str] | None:
    """The names the function's environment has, or ``None`` when the template does not tell.

    An ``!If`` between environments gives the names of either branch: a name in neither is
    missing whatever the condition.
    """
    if function.code.kind == "image":  # the Dockerfile's ENV lines set more
        return None
    names = _declared(function.get("Environment"), ("Variables",))
    if names is not None and "AWS_LAMBDA_EXEC_WRAPPER" in names:  # the wrapper script may export more
        return None
    return names


def _declared(node: Node | None, keys: tuple[str, ...]) -> frozenset[str] | None:
    """The keys of the mapping at ``keys`` under ``node`` (through ``Fn::If`` branches)."""
    if node is None:
        return frozenset()
    intrinsic = intrinsic_name(node)
    if isinstance(node, Mapping) and intrinsic == "Fn::If":
        arguments = node.entries[intrinsic]
        if not isinstance(arguments, Sequence) or len(arguments) != 3:
            return None
        branches = [names for branch in arguments.items[1:] if (names := _declared(branch, keys)) is not None]
        return frozenset().union(*branches) if len(branches) == 2 else None
    if isinstance(node, Mapping) and intrinsic == "Ref":
        return frozenset() if scalar_value(node.entries[intrinsic]) == "AWS::NoValue" else None
    if not isinstance(node, Mapping) or intrinsic is not None:
        return None
    if not keys:
        return frozenset(node.entries)
    return _declared(node.get(keys[0]), keys[1:])


def _written_by_code(checks: Iterable[UndefinedEnvironmentVariable]) -> frozenset[str] | None:
    """The names the code of the code root sets itself, or ``None`` when it sets ones it does not name."""
    written: set[str] = set()
    for check in checks:
        if check.writes is None:
            return None
        written |= check.writes
    return frozenset(written)


def _message(name: str, functions: tuple[Function, ...]) -> str:
    ids = sorted({function.logical_id for function in functions})
    where = (
        "Environment.Variables (or Globals)"
        if any(f.type == SERVERLESS_FUNCTION for f in functions)
        else ("Environment.Variables")
    )
    if len(ids) == 1:
        who, whose = f"{ids[0]} does not set it", f"the function's {where}"
    else:
        who, whose = f"none of {', '.join(ids)} sets it", f"their {where}"
    return f"{name} is read without a default but {who}: add it to {whose} or use os.environ.get with a default"


def _environment_places(functions: Iterable[Function]) -> tuple[tuple[Place, str], ...]:
    """Where each function's variables are set (or its ``Properties`` when it sets none)."""
    places: list[tuple[Place, str]] = []
    for function in functions:
        node = function.environment_variables() or function.get("Environment")
        label = f"{function.logical_id}'s environment variables"
        if node is not None and node.path[:1] == ("Globals",):
            label += " (from Globals)"
        if node is None:
            node, label = function.properties_node, f"{function.logical_id} sets no environment variables"
        places.append((TemplatePlace(function.template, node), label))
    return tuple(places)


def _is_main_guard(test: cst.BaseExpression) -> bool:
    """``__name__ == "__main__"`` (either way round)."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    target = test.comparisons[0]
    sides = {
        _name(test.left) or literal_string(test.left),
        _name(target.comparator) or literal_string(target.comparator),
    }
    return isinstance(target.operator, cst.Equal) and sides == {"__name__", "__main__"}


def _handles_missing_key(handler: cst.ExceptHandler) -> bool:
    """A bare ``except:`` or one naming ``KeyError`` or a base class of it."""
    if handler.type is None:
        return True
    types = [item.value for item in handler.type.elements] if isinstance(handler.type, cst.Tuple) else [handler.type]
    return any(_name(item) in HANDLED for item in types)


def _name(node: cst.BaseExpression) -> str | None:
    """``KeyError`` for ``KeyError`` and ``builtins.KeyError``."""
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return node.value if isinstance(node, cst.Name) else None
