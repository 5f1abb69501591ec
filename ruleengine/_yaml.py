"""YAML loading that remembers line numbers, for error messages that point somewhere."""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["LineDict", "LineList", "YamlProblem", "load"]


class YamlProblem(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


class LineDict(dict[str, Any]):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A sequence that knows its own line, each item's line and plain scalars' source.

    ``raw`` keeps the text of plain scalars, so an item YAML reads as a bool or a
    number (``no``, ``100``) can still be used as a phrase.
    """

    line: int
    item_lines: list[int]
    raw: list[str | None]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


# libyaml's parser when PyYAML was built with it (about ten times faster); both
# report the same line marks.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_MAX_NODES = 200_000  # aliases can blow a small file up exponentially


class _Builder(yaml.constructor.SafeConstructor):
    built = 0

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        self.built += 1
        if self.built > _MAX_NODES:
            raise YamlProblem(node.start_mark.line + 1, "document is too large")
        if depth > 50:
            raise YamlProblem(node.start_mark.line + 1, "nesting is too deep")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node, depth)
        return self.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, depth: int) -> LineDict:
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            key = self.build(key_node, depth + 1)
            if not isinstance(key, str | int | float | bool) or key is None:
                raise YamlProblem(line, "mapping keys must be plain text")
            key = str(key) if not isinstance(key, bool) else str(key).lower()
            if key in result:
                raise YamlProblem(line, f"duplicate key {key!r}")
            result[key] = self.build(value_node, depth + 1)
            result.key_lines[key] = line
        return result

    def _sequence(self, node: yaml.SequenceNode, depth: int) -> LineList:
        result = LineList()
        result.line = node.start_mark.line + 1
        result.item_lines = []
        result.raw = []
        for item in node.value:
            result.append(self.build(item, depth + 1))
            result.item_lines.append(item.start_mark.line + 1)
            is_plain = isinstance(item, yaml.ScalarNode) and not item.style  # libyaml says ''
            result.raw.append(item.value if is_plain else None)
        return result


def load(text: str) -> Any:
    """Parse one YAML document into LineDict / LineList / scalars.

    Raises YamlProblem (with a 1-based line) for malformed YAML, several documents,
    duplicate keys or non-scalar keys.
    """
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise YamlProblem(line, f"not valid YAML: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise YamlProblem(0, f"not valid YAML: {error}") from None
    if node is None:
        return None
    try:
        return _Builder().build(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise YamlProblem(line, f"not valid YAML: {error.problem or error}") from None
    except RecursionError:
        raise YamlProblem(0, "not valid YAML: nesting is too deep") from None
