"""Front matter: the YAML, TOML or JSON block atop a Markdown file, split off with its lines.

Libraries that split front matter hand back the block alone, and every line
number after that is off by where the block began.  So the split is done
here, and each block is parsed *at its place in the file*: the parser is fed
the block preceded by as many empty lines as stood before it (YAML, TOML) or
the whole text from the block's first character (JSON), so the line of every
error, and of every key, is the line in the Markdown file itself.

The keys the reader asks for come back lower-cased (``Title`` and ``Date``
occur in real sites; Hugo reads keys case-insensitively) with the line of
each; every other key is left out unseen: site generators carry many keys of
their own (theme, layout, weight, images…), none of them a mistake.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from feedwright.errors import InputError
from feedwright.errors import quoted
from feedwright.located import LocatedDict
from feedwright.located import json_error
from feedwright.located import load_yaml

#: Opening fence → (the language, the lines that close it). Jekyll ends YAML with ``...`` too.
_FENCES = {"---": ("YAML", ("---", "...")), "+++": ("TOML", ("+++",))}

#: tomllib's place in its messages: "(at line 3, column 7)" or "(at end of document)".
_TOML_AT = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$")

#: A TOML line that sets a top-level key (bare, or quoted) or opens a table.
_TOML_KEY = re.compile(r"""^[ \t]*(?:([A-Za-z0-9_-]+)|"([^"\\]*)"|'([^']*)')[ \t]*[.=]""")
_TOML_TABLE = re.compile(r"^[ \t]*\[")


@dataclass(frozen=True)
class FrontMatter:
    """A Markdown file split in two."""

    #: The known keys given, lower-cased, with ``key_lines`` holding file lines.
    data: LocatedDict
    #: The line of the front matter's opening (where the entry is known by).
    line: int
    #: The Markdown text after the front matter.
    body: str


def split_front_matter(text: str, file: str, known: Collection[str]) -> FrontMatter:
    """Split text (newlines already ``\\n``) into its front matter and its body.

    Front matter must come first (blank lines and a byte-order mark may
    precede it): ``---`` YAML ``---``, ``+++`` TOML ``+++``, or a JSON
    object starting with ``{``.

    Args:
        text: The file's text.
        file: The file's name, for errors.
        known: The lower-case keys to keep.

    Raises:
        InputError: No front matter, an unclosed fence, a block that does not
            parse, or one that is not a mapping; at ``file:line``.
    """
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    first = lines[start].rstrip() if start < len(lines) else ""
    where = f"{file}:{start + 1}"
    if first.lstrip().startswith("{"):
        brace = sum(len(line) + 1 for line in lines[:start]) + lines[start].index("{")
        return _json(text, brace, start + 1, file, known)
    if first not in _FENCES:
        raise InputError(
            "no front matter: a Markdown file must start with front matter holding at least "
            "its title and date: YAML between '---' lines, TOML between '+++' lines, or a "
            "JSON object", where)
    language, closers = _FENCES[first]
    end = next((i for i in range(start + 1, len(lines)) if lines[i].rstrip() in closers), None)
    if end is None:
        raise InputError(
            f"the {language} front matter opened here with {quoted(first)} is never closed: add a "
            f"line {quoted(closers[0])} after its last line, before the post's text", where)
    block = "\n" * (start + 1) + "\n".join(lines[start + 1 : end]) + "\n"
    body = "\n".join(lines[end + 1 :])
    if language == "YAML":
        data = load_yaml(block, file)
        if data is None:
            data = LocatedDict()
        key_lines = getattr(data, "key_lines", {})
    else:
        data = _toml(block, file, end + 1)
        key_lines = _toml_key_lines(lines, start + 1, end)
    return FrontMatter(_lowered(data, key_lines, where, language, known), start + 1, body)


def _toml(block: str, file: str, closing_line: int) -> dict[str, Any]:
    try:
        return tomllib.loads(block)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = _TOML_AT.search(message)
        line = int(at[1]) if at and at[1] else closing_line
        what = message[: at.start()] if at else message
        if at and not at[1]:
            what += " at the end of the front matter"
        raise InputError(f"not valid TOML: {what}", f"{file}:{line}") from None


def _toml_key_lines(lines: list[str], first: int, end: int) -> dict[str, int]:
    """The file line of each top-level key of a TOML block (lines[first:end]).

    tomllib gives values, not places.  Top-level keys are the ones set before
    the first ``[table]`` header; lines inside multi-line strings are skipped.
    A key this misses makes its errors point at the front matter's first line.
    """
    found: dict[str, int] = {}
    in_string: str | None = None
    for index in range(first, end):
        line = lines[index]
        if in_string is None:
            if _TOML_TABLE.match(line):
                break
            key = _TOML_KEY.match(line)
            if key:
                found.setdefault(next(k for k in key.groups() if k is not None), index + 1)
        for quotes in ('"""', "'''"):
            if in_string in (None, quotes) and line.count(quotes) % 2:
                in_string = None if in_string else quotes
    return found


def _json(text: str, offset: int, line: int, file: str, known: Collection[str]) -> FrontMatter:
    try:
        data, end = json.JSONDecoder().raw_decode(text, offset)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", f"{file}:{exc.lineno}") from None
    except (ValueError, RecursionError) as exc:
        raise json_error(exc, file, line) from None
    key_lines = _json_key_lines(text, offset, end, line)
    body = text[end:]
    rest_of_line, newline, after = body.partition("\n")
    if newline and not rest_of_line.strip():
        body = after
    return FrontMatter(_lowered(data, key_lines, f"{file}:{line}", "JSON", known), line, body)


def _json_key_lines(text: str, start: int, end: int, line: int) -> dict[str, int]:
    """The file line of each top-level key of the JSON object text[start:end] (valid JSON).

    A string at depth 1 followed by ``:`` is a key; JSON strings hold no raw
    newline, so counting ``\\n`` outside them counts lines.
    """
    found: dict[str, int] = {}
    depth = 0
    i = start
    while i < end:
        char = text[i]
        if char == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if depth == 1 and text[j + 1 : end].lstrip().startswith(":"):
                found.setdefault(json.loads(text[i : j + 1]), line)
            i = j + 1
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        elif char == "\n":
            line += 1
        i += 1
    return found


def _kind(value: Any) -> str:
    """The value's type as the file wrote it: ``list``, not the loader's ``LocatedList``."""
    return next(c for c in type(value).__mro__ if c.__module__ == "builtins").__name__


def _lowered(
    data: Any, key_lines: dict[Any, int], where: str, language: str, known: Collection[str]
) -> LocatedDict:
    """The known keys of the mapping, lower-cased, each with its line."""
    if not isinstance(data, dict):
        raise InputError(f"the {language} front matter must be a mapping of keys to values, "
                         f"got {_kind(data)}", where)
    out = LocatedDict()
    out.line = int(where.rpartition(":")[2])
    out.key_lines = {}
    spelt: dict[str, str] = {}
    for key, value in data.items():
        low = key.lower() if isinstance(key, str) else None
        if low not in known:
            continue
        line = key_lines.get(key)
        if low in spelt:
            place = f"{where.rpartition(':')[0]}:{line}" if line else where
            raise InputError(f"{low}: given twice, as {quoted(spelt[low])} and {quoted(key)} "
                             "(keys are read without regard to case); keep one", place)
        assert low is not None
        spelt[low] = key
        out[low] = value
        if line:
            out.key_lines[low] = line
    return out
