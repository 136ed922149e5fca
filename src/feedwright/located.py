"""YAML loading that remembers where each mapping key and list item stood.

Errors must name file and line; PyYAML knows the lines while composing and
forgets them when constructing, so this loader keeps them on the containers.
Timestamps stay strings: dates are parsed in one place (``dates.py``) for
YAML, JSON and config alike, instead of PyYAML's lenient guesses.
"""

from __future__ import annotations

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


class _Loader(yaml.SafeLoader):
    pass


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


def load_yaml(text: str, source: str) -> Any:
    """Parse YAML text; syntax errors become InputError at ``source:line``.

    Args:
        text: The document.
        source: The file name used in error messages.

    Raises:
        InputError: The text is not valid YAML.
    """
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}:{mark.line + 1}" if mark else source
        raise InputError(f"not valid YAML: {exc.problem or exc}", where) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {exc}", source) from None
