"""SAM ``Globals`` merge, done the way SAM does it, keeping where every value came from.

Scalars in the resource replace the global; maps (``Environment.Variables``, ``Tags``) are merged
key by key, the resource winning; lists (``Layers``) are the globals followed by the resource's.
Each merged node keeps its own path, so a value from Globals is reported at the Globals line.
"""

from __future__ import annotations

from lambdalint.loaders.tree import Mapping, Node, Sequence, intrinsic_name


def merge_globals(global_properties: Mapping | None, properties: Mapping | None) -> dict[str, Node]:
    merged: dict[str, Node] = dict(global_properties.entries) if global_properties else {}
    for key, value in (properties.entries if properties else {}).items():
        merged[key] = _merge_value(merged[key], value) if key in merged else value
    return merged


def _merge_value(global_value: Node, value: Node) -> Node:
    if _plain_mapping(global_value) and _plain_mapping(value):
        assert isinstance(global_value, Mapping) and isinstance(value, Mapping)
        entries = dict(global_value.entries)
        for key, item in value.entries.items():
            entries[key] = _merge_value(entries[key], item) if key in entries else item
        return Mapping(value.span, value.path, value.key_span, entries)
    if isinstance(global_value, Sequence) and isinstance(value, Sequence):
        return Sequence(value.span, value.path, value.key_span, global_value.items + value.items)
    return value


def _plain_mapping(node: Node) -> bool:
    return isinstance(node, Mapping) and intrinsic_name(node) is None
