"""JSON Feed helpers for rule modules: the version, items, their dates, values in messages.

Rules read the plain values ``json.loads`` made; anything may have any type
(the schema layer reports wrong types), so every helper checks before it uses.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from feedwright.validator.document import JsonDocument
from feedwright.validator.json_position import Path
from feedwright.validator.rules._dates import parse_rfc3339

#: The format name every JSON Feed rule registers for.
JSONFEED = ("jsonfeed1",)
VERSION_1 = "https://jsonfeed.org/version/1"
VERSION_1_1 = "https://jsonfeed.org/version/1.1"
#: The version URLs the specifications define, and the version each names.
VERSIONS = {VERSION_1: "1.0", VERSION_1_1: "1.1"}
#: Item dates, in the order readers prefer them for sorting.
DATE_KEYS = ("date_published", "date_modified")


def version(doc: JsonDocument) -> str | None:
    """``"1.0"`` or ``"1.1"``; None when the ``version`` URL is no known one."""
    value = doc.feed.get("version")
    return VERSIONS.get(value) if isinstance(value, str) else None


def items(doc: JsonDocument) -> list[tuple[int, dict[str, Any]]]:
    """(index, item) for every item that is an object, found once per document."""
    found: list[tuple[int, dict[str, Any]]] = doc.memo("json.items", lambda: _items(doc))
    return found


def _items(doc: JsonDocument) -> list[tuple[int, dict[str, Any]]]:
    value = doc.feed.get("items")
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def date_of(value: object) -> datetime | None:
    """The instant an RFC 3339 date string names, when it is one."""
    return parse_rfc3339(value).value if isinstance(value, str) else None


def dated_items(doc: JsonDocument) -> list[tuple[Path, datetime]]:
    """(item's path, its sort date) for every item with a readable date.

    The sort date is ``date_published``, else ``date_modified`` (as Atom's
    ``published``, else ``updated``).
    """
    out: list[tuple[Path, datetime]] = []
    for i, item in items(doc):
        for key in DATE_KEYS:
            when = date_of(item.get(key))
            if when is not None:
                out.append((("items", i), when))
                break
    return out


def all_dates(doc: JsonDocument) -> list[tuple[Path, str, datetime]]:
    """Every readable item date: its path, as written, and its instant; found once."""
    found: list[tuple[Path, str, datetime]] = doc.memo("json.all_dates", lambda: [
        (("items", i, key), item[key], when)
        for i, item in items(doc)
        for key in DATE_KEYS
        if (when := date_of(item.get(key))) is not None
    ])
    return found


def show(value: object, limit: int = 80) -> str:
    """A value as JSON, cut to ``limit`` characters: messages never carry a 60 MB string."""
    if isinstance(value, str) and len(value) > limit:
        value = value[:limit]  # no copy of a huge string just to cut it
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return clip(text, limit)


def clip(text: str, limit: int = 160) -> str:
    """``text`` cut to ``limit`` characters, printable whatever it holds.

    JSON strings may hold lone surrogates (``"\\ud800"``), which no UTF-8
    output can carry, and line separators, which would break a report's
    one-issue-per-line text: both are written as escapes.
    """
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.translate(_LINE_BREAKS)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


#: Characters that end a line for str.splitlines and for some terminals.
_LINE_BREAKS = {c: f"\\u{c:04x}" for c in (0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029)}
