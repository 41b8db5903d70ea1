"""YAML loading that remembers where each value came from, so errors can name the line.

A kit comes from outside the station, so loading is bounded (issue #12): before anything is built, a
pass over the parser's events refuses nesting deeper than :data:`MAX_DEPTH` and documents whose
aliases would expand to more than :data:`MAX_VALUES` values ("billion laughs"); while building, a
value Python cannot make (a 5,000-digit number, the 45th of the 13th month, a list used as a key)
becomes a YAML error at its line instead of a traceback. Every such error is a ``yaml.YAMLError``
with a ``problem_mark``, which :func:`scoring.kit.parse_kit` reports as ``file, line N: ...``.
"""
from __future__ import annotations

import yaml
from yaml.constructor import ConstructorError

MAX_DEPTH = 50             # the default kit nests 6 deep
MAX_VALUES = 100_000       # values after aliases are expanded; the default kit has about 560


class LineDict(dict):
    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0


class BoundsError(yaml.MarkedYAMLError):
    """A document too deep or too large once its aliases are expanded."""


class _Loader(yaml.SafeLoader):
    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError, TypeError) as exc:   # int("9"*5000), date(2026, 13, 45) ...
            raise ConstructorError(None, None, f"cannot read this value: {str(exc)[:120]}",
                                   node.start_mark) from exc


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (list, dict, set)):
            raise ConstructorError(None, None, "a key must be text or a number, not a list or mapping",
                                   key_node.start_mark)
        if key in result:
            raise ConstructorError(
                None, None, f"duplicate key {str(key)[:80]!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def check_bounds(text: str, max_depth: int = MAX_DEPTH, max_values: int = MAX_VALUES) -> None:
    """Walk the parser's events (no recursion, nothing built): refuse deep nesting and alias bombs."""
    sizes: list[int] = [0]          # values inside each open collection, the document at the bottom
    anchors_open: list[str | None] = [None]
    anchors: dict[str, int] = {}
    total = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(sizes) > max_depth:
                raise BoundsError("while reading the kit", None,
                                  f"nested more than {max_depth} levels deep", event.start_mark)
            sizes.append(1)
            anchors_open.append(event.anchor)
            total += 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            size, anchor = sizes.pop(), anchors_open.pop()
            sizes[-1] += size
            if anchor:
                anchors[anchor] = size
        elif isinstance(event, yaml.ScalarEvent):
            sizes[-1] += 1
            total += 1
            if event.anchor:
                anchors[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            grow = anchors.get(event.anchor, 1)       # an anchor still open is recursive: the
            sizes[-1] += grow                         # constructor refuses that itself
            total += grow
        if total > max_values:
            raise BoundsError("while reading the kit", None,
                              f"aliases (*name) expand the document to more than {max_values:,} values",
                              event.start_mark)


def load(text: str):
    """Parse YAML; mappings come back as :class:`LineDict`, sequences as :class:`LineList`."""
    check_bounds(text)
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
