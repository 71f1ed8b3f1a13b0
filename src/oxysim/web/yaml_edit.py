"""Edit one field of a YAML file's text and keep the rest as it was written.

The page's form controls change a field (``population.size``) or add to a list (``events``);
the file's comments, order and style stay. The text is composed with the safe loader into
nodes that know where they were written, and only the span of the changed value is replaced
(or one entry inserted): no round trip through a YAML dumper.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode


class EditError(ValueError):
    """The edit cannot be made; ``field`` names the path at fault (``line``: where, if known)."""

    def __init__(self, field: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.line = line


def flow(value: Any) -> str:
    """``value`` written as one line of flow-style YAML."""
    text = yaml.safe_dump(value, default_flow_style=True, width=10**6, sort_keys=False)
    return text.removesuffix("\n...\n").strip()


def read_value(text: str) -> Any:
    """A value written as YAML (one item, say ``{kind: tsst}``), read with the safe loader."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise EditError("value_yaml", f"not YAML: {error}") from None


def set_field(text: str, path: str, value: Any) -> str:
    """``text`` with the field at the dotted ``path`` set to ``value`` (made if missing)."""
    node, keys = _walk(text, path)
    if not keys:
        return _replace(text, node, flow(value))
    nested: Any = value
    for key in reversed(keys[1:]):
        nested = {key: nested}
    return _insert_key(text, _mapping(node, path), keys[0], nested)


def append_item(text: str, path: str, value: Any) -> str:
    """``text`` with ``value`` at the end of the list at the dotted ``path`` (made if none)."""
    node, keys = _walk(text, path)
    if keys:
        return set_field(text, path, [value])
    if not isinstance(node, SequenceNode):
        raise EditError(path, "is not a list")
    if node.flow_style or not node.value:
        closing = node.end_mark.index - 1
        if not node.value:
            return _replace(text, node, flow([value]))
        return text[:closing] + f", {flow(value)}" + text[closing:]
    return _after(text, node.value[-1], " " * node.start_mark.column + f"- {flow(value)}")


def _walk(text: str, path: str) -> tuple[Node, list[str]]:
    """The deepest node on ``path`` that exists, and the keys of the path below it."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        line = None if error.problem_mark is None else error.problem_mark.line + 1
        raise EditError("text", f"not YAML yet: {error.problem}", line) from None
    except yaml.YAMLError as error:
        raise EditError("text", f"not YAML yet: {error}") from None
    if root is None:
        raise EditError("text", "the file is empty")
    node: Node = root
    keys = path.split(".")
    for index, key in enumerate(keys):
        found = _child(_mapping(node, ".".join(keys[:index]) or "the file"), key)
        if found is None:
            return node, keys[index:]
        node = found
    return node, []


def _mapping(node: Node, where: str) -> MappingNode:
    if not isinstance(node, MappingNode):
        raise EditError(where, "is not a mapping of fields")
    return node


def _child(node: MappingNode, key: str) -> Node | None:
    return next((value for name, value in node.value if name.value == key), None)


def _replace(text: str, node: Node, written: str) -> str:
    return text[: node.start_mark.index] + written + text[node.end_mark.index :]


def _insert_key(text: str, node: MappingNode, key: str, value: Any) -> str:
    """Add ``key: value`` at the end of a mapping."""
    entry = f"{key}: {flow(value)}"
    if node.flow_style or not node.value:
        if not node.value:
            return _replace(text, node, "{" + entry + "}")
        closing = node.end_mark.index - 1
        return text[:closing] + f", {entry}" + text[closing:]
    return _after(text, node.value[-1][1], " " * node.value[0][0].start_mark.column + entry)


def _after(text: str, last: Node, line: str) -> str:
    """``text`` with ``line`` on a line of its own after the one where ``last`` ends."""
    end = text.find("\n", last.end_mark.index - 1)
    end = len(text) if end < 0 else end
    return text[:end] + "\n" + line + text[end:]
