"""Where a JSON value is: the line and column of the value at a path, found on demand.

The stdlib ``json`` module reads values at C speed but keeps no positions.
Rather than a position-aware parse that every document would go through,
the validator reads values with ``json.loads`` and asks this module only for
the places it reports: ``JsonLocator`` walks the text to the value at a path
such as ``("items", 3, "id")``, stepping over each value it passes with the
``json`` module's own C scanner (``raw_decode``, ``scanstring``), so a 60 MB
string or a 10,000-item array costs C time, not a Python loop per character.
Each object or array is walked at most once per document, whatever the
number of findings in it, and only as far as the paths asked for need.

The text must be one ``json.loads`` accepted (the walk trusts its syntax).
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import re
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field

#: One step of a path: an object key or an array index.
Step = str | int
#: A path from the top-level value down to one value.
Path = tuple[Step, ...]

_SPACE = re.compile(r"[ \t\n\r]*")
_LINE_BREAK = re.compile(r"\n")
_DECODER = json.JSONDecoder()
#: The json module's C string scanner: (text, offset after the opening quote,
#: strict) -> (the decoded string, offset after the closing quote).
scanstring: Callable[[str, int, bool], tuple[str, int]] = (
    json.decoder.scanstring  # type: ignore[attr-defined]  # typeshed omits it
)


@dataclass
class _Container:
    """What the walk has learnt of one object or array so far."""

    #: Offset of the first character of each child value, by key or index.
    children: dict[Step, int] = field(default_factory=dict)
    #: Where to go on reading; -1 once the closing bracket was reached.
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
        try:
            if keyed:
                key, end = scanstring(text, pos + 1, True)
                pos = _space(text, _space(text, end) + 1)  # past the colon
            end = _DECODER.raw_decode(text, pos)[1]  # C speed, whatever the value holds
        except (ValueError, RecursionError):  # not a text json.loads read: stop, never loop
            box.resume = -1
            return
        box.children[key] = pos
        after = _space(text, end)  # at the comma or the closer
        box.resume = after + 1 if after < len(text) and text[after] == "," else -1


def _space(text: str, pos: int) -> int:
    m = _SPACE.match(text, pos)
    return m.end() if m else pos


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


_BRACKET = re.compile(r"[\[\]{}]")


def _outside_strings(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each stretch of ``text`` between JSON strings.

    For the parse layer's rare refusals of a text ``json.loads`` could not
    read to the end; each string is stepped over by the C scanner.
    """
    pos = 0
    while (quote := text.find('"', pos)) >= 0:
        yield pos, quote
        try:
            pos = scanstring(text, quote + 1, False)[1]
        except ValueError:  # an unterminated string runs to the end
            return
    yield pos, len(text)


def first_outside_strings(text: str, pattern: str) -> int | None:
    """Offset of the first match of ``pattern`` that is not inside a JSON string.

    (A number too long to convert, ``NaN``: what ``json.loads`` refused.)
    """
    wanted = re.compile(pattern)
    for start, end in _outside_strings(text):
        m = wanted.search(text, start, end)
        if m is not None:
            return m.start()
    return None


def deepest_point(text: str, limit: int) -> int | None:
    """Offset of the bracket that opens nesting level ``limit + 1``, if any.

    Used when ``json.loads`` gave up on nesting, to say where it goes too deep.
    """
    depth = 0
    for start, end in _outside_strings(text):
        for m in _BRACKET.finditer(text, start, end):
            if m.group() in "[{":
                depth += 1
                if depth > limit:
                    return m.start()
            else:
                depth -= 1
    return None
