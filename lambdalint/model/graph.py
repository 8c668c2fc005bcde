"""The template's resource graph: what a value evaluates to, and which resources it refers to.

Intrinsics are evaluated as far as the template alone allows: ``Ref`` and ``Fn::GetAtt`` of a
resource become a :class:`ResourceRef`; ``Ref`` of a parameter takes its default; ``Fn::Sub``,
``Fn::Join``, ``Fn::Select``, ``Fn::FindInMap`` and ``Fn::Base64`` compute their result from known
parts; ``Fn::If`` is known only when both branches agree (the condition is decided at deploy
time). Anything else — pseudo parameters such as ``AWS::Region``, ``Fn::ImportValue``, a
parameter without a default — is an explicit :class:`Unknown` with the reason, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

from lambdalint.findings import Span
from lambdalint.loaders.tree import Mapping, Node, Scalar, Sequence, intrinsic_name, scalar_value
from lambdalint.model.project import Template


@dataclass(frozen=True)
class ResourceRef:
    """A resource of this template: its ``Ref`` (no attribute) or one of its attributes."""

    logical_id: str
    attribute: str | None = None


@dataclass(frozen=True)
class Unknown:
    """A value the template does not fix; ``references`` are the resources it still mentions."""

    reason: str
    references: frozenset[str] = field(default_factory=frozenset)


class NoValue:
    """``!Ref AWS::NoValue``: the property is left out."""


NO_VALUE = NoValue()

Value = Union[str, int, float, bool, None, list["Value"], dict[str, "Value"], ResourceRef, Unknown, NoValue]  # noqa: UP007 (a recursive alias)

_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")
#: pseudo parameters whose value depends on where the stack is deployed
_PSEUDO = frozenset(
    {
        "AWS::AccountId",
        "AWS::Region",
        "AWS::StackName",
        "AWS::StackId",
        "AWS::Partition",
        "AWS::URLSuffix",
        "AWS::NotificationARNs",
    }
)


class TemplateGraph:
    """Evaluates a template's values and follows references between its resources."""

    def __init__(self, template: Template) -> None:
        self.template = template
        root = template.root
        self.resources: dict[str, Mapping] = {
            logical_id: resource
            for logical_id, resource in (root.mapping("Resources") or _EMPTY).items()
            if isinstance(resource, Mapping)
        }
        self.parameters = root.mapping("Parameters") or _EMPTY
        self.mappings = root.mapping("Mappings") or _EMPTY

    # -- resources ---------------------------------------------------------------------------
    def type_of(self, logical_id: str) -> str | None:
        resource = self.resources.get(logical_id)
        kind = scalar_value(resource.get("Type")) if resource else None
        return kind if isinstance(kind, str) else None

    def properties(self, logical_id: str) -> Mapping:
        resource = self.resources.get(logical_id)
        return (resource.mapping("Properties") if resource else None) or _EMPTY

    def of_type(self, *kinds: str) -> list[str]:
        """Logical ids of the resources of these types, in template order."""
        return [logical_id for logical_id in self.resources if self.type_of(logical_id) in kinds]

    def references(self, node: Node | None) -> set[str]:
        """Every resource a value mentions through ``Ref``, ``Fn::GetAtt`` or ``Fn::Sub``."""
        found: set[str] = set()
        pending = [node] if node is not None else []
        while pending:
            current = pending.pop()
            name = intrinsic_name(current)
            if isinstance(current, Mapping) and name in ("Ref", "Fn::GetAtt"):
                target = self._target(current)
                if target in self.resources:
                    found.add(target)
            elif isinstance(current, Mapping) and name == "Fn::Sub":
                found |= self._sub_references(current)
            if isinstance(current, Mapping):
                pending.extend(current.entries.values())
            elif isinstance(current, Sequence):
                pending.extend(current.items)
        return found

    # -- values ------------------------------------------------------------------------------
    def evaluate(self, node: Node | None) -> Value:
        """The value a node stands for once deployed, as far as the template tells."""
        if node is None:
            return None
        if isinstance(node, Scalar):
            return node.value
        if isinstance(node, Sequence):
            items = [self.evaluate(item) for item in node.items]
            return [item for item in items if not isinstance(item, NoValue)]
        assert isinstance(node, Mapping)
        name = intrinsic_name(node)
        if name is None:
            entries = {key: self.evaluate(value) for key, value in node.entries.items()}
            return {key: value for key, value in entries.items() if not isinstance(value, NoValue)}
        return self._intrinsic(name, node.entries[name], node)

    def known_text(self, node: Node | None) -> str:
        """A string value with the parts the template does not fix left out.

        Sizes measured on it are lower bounds: ``!Sub "arn:aws:s3:::${Uploads}/*"`` reads
        ``arn:aws:s3:::/*`` when the bucket's name is only decided at deploy time.
        """
        value = self.evaluate(node)
        if isinstance(value, bool):
            return "true" if value else "false"  # as CloudFormation passes it on
        if isinstance(value, (str, int, float)):
            return str(value)
        name = intrinsic_name(node)
        argument = node.entries[name] if isinstance(node, Mapping) and name else None
        if name == "Fn::Sub" and argument is not None:
            text, variables = _sub_parts(argument)
            if text is None:
                return ""

            def known(match: re.Match[str]) -> str:
                value = self._sub_value(match.group(1).strip(), variables)
                return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""

            return _SUB_VARIABLE.sub(known, text).replace("${!", "${")
        if name == "Fn::Join" and isinstance(argument, Sequence) and len(argument.items) == 2:
            delimiter, items = scalar_value(argument.items[0]), argument.items[1]
            if isinstance(delimiter, str) and isinstance(items, Sequence):
                return delimiter.join(self.known_text(item) for item in items.items)
        return ""

    def _intrinsic(self, name: str, argument: Node, node: Mapping) -> Value:
        if name == "Ref":
            return self._ref(scalar_value(argument))
        if name == "Fn::GetAtt":
            target = self._target(node)
            if target in self.resources:
                parts = self.evaluate(argument)
                attribute = parts[1] if isinstance(parts, list) and len(parts) > 1 else None
                return ResourceRef(target, attribute if isinstance(attribute, str) else None)
            return Unknown(f"Fn::GetAtt of {target!r}, which is not a resource of this template")
        if name == "Fn::Sub":
            return self._sub(argument, node)
        if name == "Fn::Join":
            return self._join(argument)
        if name == "Fn::If":
            return self._if(argument)
        if name == "Fn::Select":
            return self._select(argument)
        if name == "Fn::FindInMap":
            return self._find_in_map(argument)
        if name == "Fn::Base64":
            return self.evaluate(argument)
        if name == "Fn::ImportValue":
            return Unknown("a value imported from another stack (Fn::ImportValue)")
        return Unknown(f"{name} is evaluated at deploy time", frozenset(self.references(node)))

    def _ref(self, target: object) -> Value:
        if not isinstance(target, str):
            return Unknown("a Ref without a name")
        if target == "AWS::NoValue":
            return NO_VALUE
        if target in self.resources:
            return ResourceRef(target)
        parameter = self.parameters.mapping(target)
        if parameter is not None:
            if "Default" in parameter:
                return self.evaluate(parameter.get("Default"))
            return Unknown(f"parameter {target} has no default")
        if target in _PSEUDO:
            return Unknown(f"{target} depends on where the stack is deployed")
        return Unknown(f"Ref to {target!r}, which this template does not define")

    def _sub(self, argument: Node, node: Mapping) -> Value:
        text, variables = _sub_parts(argument)
        if text is None:
            return Unknown("Fn::Sub of a value that is not a string")
        pieces: list[str] = []
        position = 0
        for match in _SUB_VARIABLE.finditer(text):
            pieces.append(text[position : match.start()])
            position = match.end()
            name = match.group(1).strip()
            value = self._sub_value(name, variables)
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                return Unknown(f"Fn::Sub with ${{{name}}}", frozenset(self.references(node)))
            pieces.append(str(value))
        pieces.append(text[position:])
        return "".join(pieces).replace("${!", "${")

    def _sub_value(self, name: str, variables: Mapping) -> Value:
        return self.evaluate(variables.get(name)) if name in variables else self._sub_variable(name)

    def _sub_variable(self, name: str) -> Value:
        resource, _, attribute = name.partition(".")
        if attribute and resource in self.resources:
            return ResourceRef(resource, attribute)
        return self._ref(name)

    def _sub_references(self, node: Mapping) -> set[str]:
        text, _ = _sub_parts(node.entries["Fn::Sub"])
        if text is None:
            return set()
        names = {match.group(1).strip().partition(".")[0] for match in _SUB_VARIABLE.finditer(text)}
        return {name for name in names if name in self.resources}

    def _join(self, argument: Node) -> Value:
        parts = self.evaluate(argument)
        if not (isinstance(parts, list) and len(parts) == 2 and isinstance(parts[0], str)):
            return Unknown("Fn::Join of values that are not known", frozenset(self.references(argument)))
        delimiter, items = parts
        if not isinstance(delimiter, str) or not isinstance(items, list):
            return Unknown("Fn::Join of values that are not known", frozenset(self.references(argument)))
        if not all(isinstance(item, (str, int, float)) for item in items):
            return Unknown("Fn::Join of values that are not known", frozenset(self.references(argument)))
        return delimiter.join(str(item) for item in items)

    def _if(self, argument: Node) -> Value:
        if not (isinstance(argument, Sequence) and len(argument.items) == 3):
            return Unknown("a malformed Fn::If")
        first, second = self.evaluate(argument.items[1]), self.evaluate(argument.items[2])
        if first == second:
            return first
        return Unknown(
            "Fn::If whose branches differ (the condition is decided at deploy time)",
            frozenset(self.references(argument)),
        )

    def _select(self, argument: Node) -> Value:
        parts = self.evaluate(argument)
        if isinstance(parts, list) and len(parts) == 2:
            index, items = parts
            if isinstance(index, str) and index.isdigit():
                index = int(index)
            if isinstance(index, int) and isinstance(items, list) and 0 <= index < len(items):
                return items[index]
        return Unknown("Fn::Select of values that are not known")

    def _find_in_map(self, argument: Node) -> Value:
        keys = self.evaluate(argument)
        if isinstance(keys, list) and len(keys) == 3:
            level: Node | None = self.mappings
            for key in keys:
                level = level.get(key) if isinstance(level, Mapping) and isinstance(key, str) else None
            if level is not None:
                return self.evaluate(level)
        return Unknown("Fn::FindInMap with keys decided at deploy time")

    def _target(self, node: Mapping) -> str | None:
        """The logical id a ``Ref`` or ``Fn::GetAtt`` names."""
        name = intrinsic_name(node)
        argument = node.entries[name] if name else None
        if name == "Ref":
            value = scalar_value(argument)
            return value if isinstance(value, str) else None
        if isinstance(argument, Sequence) and argument.items:
            value = scalar_value(argument.items[0])
            return value if isinstance(value, str) else None
        value = scalar_value(argument)
        return value.partition(".")[0] if isinstance(value, str) else None


def _sub_parts(argument: Node) -> tuple[str | None, Mapping]:
    """A ``Fn::Sub``'s text (``None`` when it is not a string) and its variables mapping."""
    text_node, variables = argument, _EMPTY
    if isinstance(argument, Sequence) and argument.items:
        text_node = argument.items[0]
        if len(argument.items) > 1 and isinstance(argument.items[1], Mapping):
            variables = argument.items[1]
    text = scalar_value(text_node)
    return (text if isinstance(text, str) else None), variables


#: what a missing section reads as
_EMPTY = Mapping(Span(0, 0, 0, 0), (), None, {})
