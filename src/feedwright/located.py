"""YAML loading that remembers where each mapping key and list item stood.

Errors must name file and line; PyYAML knows the lines while composing and
forgets them when constructing, so this loader keeps them on the containers.
Timestamps stay strings: dates are parsed in one place (``dates.py``) for
YAML, JSON and config alike, instead of PyYAML's lenient guesses.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from feedwright.errors import InputError


class LocatedDict(dict[Any, Any]):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class LocatedList(list[Any]):
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


#: How much aliases may add to a document, in values plus characters, beyond
#: what is written out: generous for ``<<: *defaults`` and the like, far below a
#: "billion laughs" document whose few lines expand to 10**9 values.
ALIAS_EXPANSION_LIMIT = 1_000_000

#: How deep mappings and lists may nest: far beyond any real config or entry,
#: well below the depth where Python's recursion limit would fail deep inside
#: PyYAML (or later, inside our own code) with no file or line to show.
MAX_DEPTH = 100


class _Loader(yaml.SafeLoader):
    """SafeLoader that bounds nesting while composing and alias expansion after."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases: list[tuple[yaml.Mark, yaml.Node]] = []

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            node = super().compose_node(parent, index)
            if node is not None:
                self._aliases.append((mark, node))
            return node
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None,
                    f"nested more than {MAX_DEPTH} mappings or lists deep; flatten it", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_document(self) -> yaml.Node | None:
        node = super().compose_document()
        if node is not None and self._aliases:
            _check_expansion(node, self._aliases)
        self._aliases = []
        return node

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # Python's int-string limit: a number thousands of digits long
            raise yaml.constructor.ConstructorError(
                None, None,
                f"a number {len(node.value):,} characters long; quote it if it is text",
                node.start_mark,
            ) from None


def _check_expansion(root: yaml.Node, aliases: list[tuple[yaml.Mark, yaml.Node]]) -> None:
    """Refuse a document whose aliases repeat more than ALIAS_EXPANSION_LIMIT.

    PyYAML builds an aliased value once and shares it, so loading is quick;
    the cost comes later, from anything that walks the values (checks,
    rendering), which would see every repetition.  Sizes are computed once per
    node (memo), so even a billion-laughs document is measured in a few steps.
    An alias to a mapping or list that contains it is refused too.
    """
    sizes: dict[int, int] = {}  # a node's value with every alias expanded
    own: dict[int, int] = {}  # what the node itself adds: 1, plus a scalar's characters
    open_nodes: set[int] = set()

    def size(node: yaml.Node, mark: yaml.Mark) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise yaml.composer.ComposerError(
                None, None, "an alias inside the value it refers to (an endless value)", mark)
        open_nodes.add(key)
        if isinstance(node, yaml.ScalarNode):
            own[key] = total = 1 + len(node.value)
        elif isinstance(node, yaml.SequenceNode):
            own[key] = 1
            total = 1 + sum(size(child, child.start_mark) for child in node.value)
        else:
            own[key] = 1
            total = 1 + sum(size(k, k.start_mark) + size(v, v.start_mark) for k, v in node.value)
        open_nodes.discard(key)
        sizes[key] = total
        return total

    expanded = size(root, root.start_mark)
    written = sum(own.values())  # every distinct node once: what the text spells out
    if expanded - written > ALIAS_EXPANSION_LIMIT:
        mark = max(aliases, key=lambda pair: sizes.get(id(pair[1]), 0))[0]
        raise yaml.composer.ComposerError(
            None, None,
            f"aliases expand this document to {expanded:,} values and characters, more than "
            f"{ALIAS_EXPANSION_LIMIT:,} beyond what is written (a \"billion laughs\" "
            "document?); write the values out, or use fewer nested aliases",
            mark,
        )


# No implicit timestamps: "2026-03-31" stays a string until dates.py reads it.
# No YAML 1.1 sexagesimal numbers either: an unquoted 23:59:59 is a time of day,
# not the integer 86399 (first matching resolver wins, so this one goes first).
_SEXAGESIMAL = ("tag:yaml.org,2002:str",
                re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$"))
_Loader.yaml_implicit_resolvers = {
    first: ([_SEXAGESIMAL] if first is not None and first in "-+0123456789" else [])
    + [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LocatedDict:
    loader.flatten_mapping(node)
    out = LocatedDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "found an unhashable key", key_node.start_mark
            ) from None
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LocatedList:
    out = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def load_yaml(text: str, source: str) -> Any:
    """Parse YAML text; syntax errors become InputError at ``source:line``.

    Args:
        text: The document.
        source: The file name used in error messages.

    Raises:
        InputError: The text is not valid YAML, nests deeper than MAX_DEPTH,
            or expands through aliases beyond ALIAS_EXPANSION_LIMIT.
    """
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except RecursionError:  # a safety net: MAX_DEPTH should stop it first
        raise InputError(f"nested too deep to read (more than {MAX_DEPTH} levels); flatten it",
                         source) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}:{mark.line + 1}" if mark else source
        raise InputError(f"not valid YAML: {exc.problem or exc}", where) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", source) from None


def json_error(exc: ValueError | RecursionError, file: str, line: int = 0) -> InputError:
    """The InputError for a JSON text ``json.loads`` refused, at ``file:line``.

    Besides syntax errors (``JSONDecodeError``, which knows its line), the
    decoder fails on nesting deep enough to exhaust Python's recursion
    (``RecursionError``) and on an integer longer than Python's int-string
    limit (a plain ``ValueError``); both would otherwise surface as an
    internal error.  ``line`` is where the text starts (JSON Lines: its line).
    """
    if isinstance(exc, json.JSONDecodeError):
        at = line + exc.lineno - 1 if line else exc.lineno
        return InputError(f"not valid JSON: {exc.msg}", f"{file}:{at}")
    where = f"{file}:{line}" if line else file
    if isinstance(exc, RecursionError):
        return InputError("nested too deep to read; keep mappings and lists under "
                          f"{MAX_DEPTH} levels", where)
    return InputError("a number too long to read (over 4,300 digits); quote it if it is text",
                      where)
