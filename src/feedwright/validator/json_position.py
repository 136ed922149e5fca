"""Where a JSON value is: the line and column of the value at a path, found on demand.

The stdlib ``json`` module reads values at C speed but keeps no positions.
Rather than a position-aware parse that every document would go through,
the validator reads values with ``json.loads`` and asks this module only for
the places it reports: a regex-driven scan of the text (``JsonLocator``)
walks to the value at a path such as ``("items", 3, "id")``.  Each object or
array is scanned at most once per document, whatever the number of findings
in it, and only as far as the paths asked for need.

The text must be one ``json.loads`` accepted (the scan trusts its syntax).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

#: One step of a path: an object key or an array index.
Step = str | int
#: A path from the top-level value down to one value.
Path = tuple[Step, ...]

_SPACE = re.compile(r"[ \t\n\r]*")
# A JSON string, the unrolled-loop way: no backtracking, whatever its length.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
# Everything up to the next bracket: runs of other characters and whole strings.
_TO_BRACKET = re.compile(r'(?:[^"\[\]{}]+|"[^"\\]*(?:\\.[^"\\]*)*")*', re.DOTALL)
# A number or a literal (true, false, null): up to the next separator.
_SCALAR = re.compile(r"[^,\]}\s]*")
_LINE_BREAK = re.compile(r"\n")


@dataclass
class _Container:
    """What the scan has learnt of one object or array so far."""

    #: Offset of the first character of each child value, by key or index.
    children: dict[Step, int] = field(default_factory=dict)
    #: Where to go on scanning; -1 once the closing bracket was reached.
    resume: int = 0


class JsonLocator:
    """Positions of values in one JSON text, each container scanned once."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._containers: dict[int, _Container] = {}
        self._breaks: list[int] | None = None

    def offset(self, path: Sequence[Step]) -> int:
        """Offset of the value at ``path``; of its nearest existing ancestor if missing."""
        at = _space(self._text, 0)
        for step in path:
            found = self._child(at, step)
            if found is None:
                break
            at = found
        return at

    def where(self, path: Sequence[Step]) -> tuple[int, int]:
        """1-based line and column (in characters) of the value at ``path``.

        A path that leads nowhere (a key the value lacks) gives the place of
        the deepest value it does reach: the object that misses the key.
        """
        return self.line_col(self.offset(path))

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        if self._breaks is None:  # once per document, and only when asked
            self._breaks = [m.start() for m in _LINE_BREAK.finditer(self._text)]
        line = bisect.bisect_left(self._breaks, offset)
        start = self._breaks[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    # --- the scan ------------------------------------------------------------

    def _child(self, at: int, step: Step) -> int | None:
        opener = self._text[at : at + 1]
        if opener not in ("{", "[") or isinstance(step, int) != (opener == "["):
            return None
        box = self._containers.get(at)
        if box is None:
            box = self._containers[at] = _Container(resume=at + 1)
        if opener == "[":
            while step not in box.children and box.resume >= 0:
                self._next(box, "]", keyed=False)
        else:
            # A key may repeat; json.loads keeps the last, so the scan reads
            # the whole object before it answers.
            while box.resume >= 0:
                self._next(box, "}", keyed=True)
        return box.children.get(step)

    def _next(self, box: _Container, closer: str, *, keyed: bool) -> None:
        """Read one more member or element of ``box`` (or its end)."""
        text = self._text
        pos = _space(text, box.resume)
        if pos >= len(text) or text[pos] == closer:
            box.resume = -1
            return
        key: Step = len(box.children)
        if keyed:
            token = _STRING.match(text, pos)
            if token is None:  # not a text json.loads read: stop, never loop
                box.resume = -1
                return
            key = _key(token.group())
            pos = _space(text, _space(text, token.end()) + 1)  # past the colon
        box.children[key] = pos
        after = _space(text, self._skip(pos))  # at the comma or the closer
        box.resume = after + 1 if after < len(text) and text[after] == "," else -1

    def _skip(self, pos: int) -> int:
        """Offset just past the value that starts at ``pos``."""
        text = self._text
        first = text[pos : pos + 1]
        if first == '"':
            m = _STRING.match(text, pos)
            return m.end() if m else len(text)
        if first not in ("{", "["):
            scalar = _SCALAR.match(text, pos)
            return scalar.end() if scalar else pos
        depth = 0
        while True:
            # Strings and everything else between brackets in one C-level match.
            pos = _to_bracket(text, pos)
            if pos >= len(text) or text[pos] == '"':  # unterminated: not json.loads' text
                return len(text)
            depth += 1 if text[pos] in "[{" else -1
            pos += 1
            if depth == 0:
                return pos


def _space(text: str, pos: int) -> int:
    m = _SPACE.match(text, pos)
    return m.end() if m else pos


def _to_bracket(text: str, pos: int) -> int:
    m = _TO_BRACKET.match(text, pos)
    return m.end() if m else pos


def _key(token: str) -> str:
    inner = token[1:-1]
    if "\\" not in inner:
        return inner
    decoded: str = json.loads(token)
    return decoded


def show_path(path: Sequence[Step]) -> str:
    """``items[3].id``: a path as a person reads it in a message."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", step):
            out += f".{step}" if out else step
        else:
            out += f"[{json.dumps(step, ensure_ascii=False)}]"
    return out or "the top level"


_OUTSIDE_STRINGS = r'"[^"\\]*(?:\\.[^"\\]*)*"|'


def first_outside_strings(text: str, pattern: str) -> int | None:
    """Offset of the first match of ``pattern`` that is not inside a JSON string.

    For the parse layer's rare refusals of a text ``json.loads`` could not
    read to the end (a number too long to convert, ``NaN``); strings are
    matched whole, so text inside them never matches.
    """
    for m in re.finditer(_OUTSIDE_STRINGS + f"({pattern})", text, re.DOTALL):
        if m.group(1) is not None:
            return m.start(1)
    return None


def deepest_point(text: str, limit: int) -> int | None:
    """Offset of the bracket that opens nesting level ``limit + 1``, if any.

    Used when ``json.loads`` gave up on nesting, to say where it goes too deep.
    """
    depth = 0
    pos = 0
    while True:
        pos = _to_bracket(text, pos)
        if pos >= len(text) or text[pos] == '"':
            return None
        if text[pos] in "[{":
            depth += 1
            if depth > limit:
                return pos
        else:
            depth -= 1
        pos += 1
