"""Template loader: YAML or JSON text into the positioned tree of :mod:`lambdalint.loaders.tree`.

YAML goes through PyYAML's ``compose`` (the C loader when libyaml is present), which keeps every
node's marks and leaves CloudFormation tags alone; we build our own tree from the composed graph.
That is where duplicate keys are caught and where alias expansion is bounded (a "billion laughs"
document composes into a small graph but would expand without limit).
JSON is checked by :mod:`json` (so its errors read as JSON errors) and then composed the same way,
its plain scalars decoded as JSON, so both formats share one model with positions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from itertools import accumulate

import yaml
from yaml.constructor import SafeConstructor

from lambdalint.findings import Span
from lambdalint.loaders.tree import INTRINSIC_FUNCTIONS, Mapping, Node, Path, Scalar, ScalarValue, Sequence

#: a template expands to at most this many nodes (CloudFormation caps templates at 1 MB)
MAX_NODES = 300_000
#: libyaml's composer recurses in C and overflows the stack far below Python's limits
MAX_NESTING = 5_000
_BRACKETS = re.compile(r"[^\[\]{}]+")

_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_CONSTRUCTOR = SafeConstructor()
_YAML_TAGS = "tag:yaml.org,2002:"
_TYPED_SCALARS = {_YAML_TAGS + name for name in ("int", "float", "bool", "null")}


class TemplateLoadError(Exception):
    """The text is not a well-formed YAML/JSON document; ``span`` is where the problem is."""

    def __init__(self, message: str, span: Span | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.span = span


def load_template_text(text: str, *, is_json: bool) -> Node:
    """Parse template text into a positioned tree, raising :class:`TemplateLoadError`."""
    if is_json:
        try:
            json.loads(text)
        except json.JSONDecodeError as error:
            raise TemplateLoadError(
                f"invalid JSON: {error.msg}", Span(error.lineno, error.colno, error.lineno, error.colno + 1)
            ) from None
        except RecursionError:
            raise TemplateLoadError("invalid JSON: nested too deeply") from None
        # Tabs are JSON whitespace but not YAML indentation; a space has the same width.
        text = text.replace("\t", " ")
    if _nesting_bound(text) > MAX_NESTING:
        raise TemplateLoadError(f"the document is nested more than {MAX_NESTING:,} levels deep")
    try:
        composed = yaml.compose(text, Loader=_Composer)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        span = Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2) if mark else None
        problem = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise TemplateLoadError(f"invalid {'JSON' if is_json else 'YAML'}: {problem}", span) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        character = f"#x{ord(error.character):04x}" if isinstance(error.character, str) else repr(error.character)
        raise TemplateLoadError(
            f"invalid {'JSON' if is_json else 'YAML'}: unacceptable character {character}: {error.reason}",
            Span(line, column, line, column + 1),
        ) from None
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        raise TemplateLoadError(f"invalid {'JSON' if is_json else 'YAML'}: {error}") from None
    if composed is None:
        raise TemplateLoadError("the document is empty")
    decode = _decode_json_scalar if is_json else _decode_yaml_scalar
    try:
        return _TreeBuilder(decode).build(composed, (), None)
    except RecursionError:
        raise TemplateLoadError("the document is nested too deeply") from None


def _nesting_bound(text: str) -> int:
    """An upper bound of the document's nesting: open brackets plus the deepest indentation."""
    brackets = _BRACKETS.sub("", text)
    flow = max(accumulate(1 if char in "[{" else -1 for char in brackets), default=0)
    block = max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0)
    return flow + block


def _span(node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _decode_yaml_scalar(node: yaml.ScalarNode) -> ScalarValue:
    if node.tag in _TYPED_SCALARS:
        try:
            return _SCALAR_CONSTRUCTOR.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError):
            return node.value
    return node.value


def _decode_json_scalar(node: yaml.ScalarNode) -> ScalarValue:
    if not node.style:  # plain: a JSON number, true, false or null
        try:
            return json.loads(node.value)
        except ValueError:
            return node.value
    return node.value


class _TreeBuilder:
    """Turns a composed YAML graph into our tree, counting nodes to stop alias bombs."""

    def __init__(self, decode: Callable[[yaml.ScalarNode], ScalarValue]) -> None:
        self.decode = decode
        self.count = 0

    def build(self, node: yaml.Node, path: Path, key_span: Span | None) -> Node:
        self.count += 1
        if self.count > MAX_NODES:
            raise TemplateLoadError(
                f"the document expands to more than {MAX_NODES:,} nodes (aliases nested too deeply?)"
            )
        if node.tag.startswith("!"):
            return self._short_form(node, path, key_span)
        span = _span(node)
        if isinstance(node, yaml.MappingNode):
            return Mapping(span, path, key_span, self._entries(node, path))
        if isinstance(node, yaml.SequenceNode):
            items = tuple(self.build(item, path + (index,), None) for index, item in enumerate(node.value))
            return Sequence(span, path, key_span, items)
        return Scalar(span, path, key_span, self.decode(node))

    def _entries(self, node: yaml.MappingNode, path: Path) -> dict[str, Node]:
        entries: dict[str, Node] = {}
        merged: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _YAML_TAGS + "merge":
                merged.update(self._merge_source(value_node, path))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise TemplateLoadError("a mapping key is not a scalar", _span(key_node))
            key = str(key_node.value)
            if key in entries:
                first = entries[key].key_span
                where = f" (first defined on line {first.start_line})" if first else ""
                raise TemplateLoadError(f"duplicate key {key!r}{where}", _span(key_node))
            entries[key] = self.build(value_node, path + (key,), _span(key_node))
        return {**merged, **entries}

    def _merge_source(self, node: yaml.Node, path: Path) -> dict[str, Node]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        merged: dict[str, Node] = {}
        for source in reversed(sources):
            built = self.build(source, path, None)
            if not isinstance(built, Mapping):
                raise TemplateLoadError("a '<<' merge key needs a mapping", _span(source))
            merged.update(built.entries)
        return merged

    def _short_form(self, node: yaml.Node, path: Path, key_span: Span | None) -> Node:
        """``!Sub x`` → ``{"Fn::Sub": x}``; ``!GetAtt A.B`` → ``{"Fn::GetAtt": ["A", "B"]}``."""
        tag = node.tag[1:]
        name = tag if tag in ("Ref", "Condition") else f"Fn::{tag}"

        if name not in INTRINSIC_FUNCTIONS:
            raise TemplateLoadError(f"unknown tag {node.tag!r}", _span(node))
        span = _span(node)
        inner_path = path + (name,)
        if name == "Fn::GetAtt" and isinstance(node, yaml.ScalarNode):
            resource, _, attribute = str(node.value).partition(".")
            parts = (Scalar(span, inner_path + (0,), None, resource), Scalar(span, inner_path + (1,), None, attribute))
            argument: Node = Sequence(span, inner_path, span, parts)
        else:
            untagged = _untagged(node)
            argument = self.build(untagged, inner_path, span)
        return Mapping(span, path, key_span, {name: argument})


def _untagged(node: yaml.Node) -> yaml.Node:
    """The same node with its CloudFormation tag replaced by the default one for its kind."""
    if isinstance(node, yaml.MappingNode):
        return yaml.MappingNode(_YAML_TAGS + "map", node.value, node.start_mark, node.end_mark)
    if isinstance(node, yaml.SequenceNode):
        return yaml.SequenceNode(_YAML_TAGS + "seq", node.value, node.start_mark, node.end_mark)
    return yaml.ScalarNode(_YAML_TAGS + "str", node.value, node.start_mark, node.end_mark, node.style)
