"""A positioned, immutable document tree shared by the YAML and JSON template loaders.

Every node knows its span and its path from the document root, so a rule can report the node it
holds and the engine knows both where it is and what it is called. CloudFormation short-form tags
(``!Ref X``) become the long form (``{"Ref": "X"}``) so that rules see one shape for both.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lambdalint.findings import Span

PathPart = str | int
Path = tuple[PathPart, ...]
ScalarValue = str | int | float | bool | None


@dataclass(frozen=True, slots=True, eq=False)
class Node:
    span: Span
    path: Path
    #: the span of the mapping key this node is the value of (``None`` for list items and the root)
    key_span: Span | None


@dataclass(frozen=True, slots=True, eq=False)
class Scalar(Node):
    value: ScalarValue


@dataclass(frozen=True, slots=True, eq=False)
class Sequence(Node):
    items: tuple[Node, ...]

    def __iter__(self) -> Iterator[Node]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True, slots=True, eq=False)
class Mapping(Node):
    entries: dict[str, Node]

    def get(self, key: str) -> Node | None:
        return self.entries.get(key)

    def mapping(self, key: str) -> Mapping | None:
        """The value under ``key`` when it is a mapping (and not an intrinsic function)."""
        value = self.entries.get(key)
        return value if isinstance(value, Mapping) and intrinsic_name(value) is None else None

    def items(self) -> Iterator[tuple[str, Node]]:
        return iter(self.entries.items())

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def __len__(self) -> int:
        return len(self.entries)


INTRINSIC_FUNCTIONS = frozenset(
    {
        "Ref",
        "Condition",
        "Fn::And",
        "Fn::Base64",
        "Fn::Cidr",
        "Fn::Equals",
        "Fn::FindInMap",
        "Fn::ForEach",
        "Fn::GetAtt",
        "Fn::GetAZs",
        "Fn::If",
        "Fn::ImportValue",
        "Fn::Join",
        "Fn::Length",
        "Fn::Not",
        "Fn::Or",
        "Fn::Select",
        "Fn::Split",
        "Fn::Sub",
        "Fn::ToJsonString",
        "Fn::Transform",
    }
)


def intrinsic_name(node: Node | None) -> str | None:
    """``"Fn::GetAtt"`` for ``{"Fn::GetAtt": ...}`` (either form), else ``None``."""
    if isinstance(node, Mapping) and len(node.entries) == 1:
        (key,) = node.entries
        if key in INTRINSIC_FUNCTIONS:
            return key
    return None


def scalar_value(node: Node | None) -> ScalarValue:
    """The plain value of a scalar node, ``None`` for anything else (including intrinsics)."""
    return node.value if isinstance(node, Scalar) else None


def to_plain(node: Node) -> object:
    """The node as plain Python data (intrinsics stay ``{"Ref": ...}`` dictionaries)."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Sequence):
        return [to_plain(item) for item in node.items]
    assert isinstance(node, Mapping)
    return {key: to_plain(value) for key, value in node.entries.items()}


def find(root: Node, path: Path) -> tuple[Node, bool]:
    """The node at ``path``, or the nearest existing ancestor and ``False`` when it is missing."""
    node = root
    for part in path:
        child: Node | None = None
        if isinstance(node, Mapping) and isinstance(part, str):
            child = node.entries.get(part)
        elif isinstance(node, Sequence) and isinstance(part, int) and 0 <= part < len(node.items):
            child = node.items[part]
        if child is None:
            return node, False
        node = child
    return node, True


def anchor_span(node: Node) -> Span:
    """Where to point at a node: its key when it has one (``MemorySize:`` line), else itself."""
    return node.key_span or node.span


def describe(node: Node, limit: int = 80) -> str:
    """A short rendering for messages: ``!Ref CommonLayer``, ``!Sub arn:aws:...``, ``arn:aws:...``."""
    name = intrinsic_name(node)
    if name is not None and isinstance(node, Mapping):
        argument = node.entries[name]
        inner = scalar_value(argument) if isinstance(argument, Scalar) else to_plain(argument)
        text = f"!{name.removeprefix('Fn::')} {inner}"
    else:
        text = str(to_plain(node))
    return text if len(text) <= limit else text[: limit - 1] + "…"
