"""Structured entries: YAML, JSON and JSON Lines files, read and written.

The same fields as the model plus what listing pages lack (url or slug, tags,
id, updated, content).  Unknown keys and wrong types are errors naming file
and entry: a misspelt ``tgas:`` must not publish an untagged post.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from feedwright.dates import parse_date_or_datetime
from feedwright.errors import InputError
from feedwright.located import load_yaml
from feedwright.model import Author
from feedwright.readers.raw import RawEntry
from feedwright.readers.raw import frozen_builder

#: Accepted keys; ``date`` is another name for ``published``, ``author`` for ``authors``.
KEYS = (
    "title", "published", "date", "updated", "summary", "content", "url", "slug", "tags",
    "id", "authors", "author", "reading_time", "word_count", "draft",
)


#: The same keys as a set, for the per-entry membership test.
_KNOWN = frozenset(KEYS)
_new_raw_entry = frozen_builder(RawEntry)


def _fail(key: str, message: str, where: str) -> InputError:
    return InputError(f"{key}: {message}", where)


def _text(data: dict[str, Any], key: str, where: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise _fail(key, f"expected text, got {type(value).__name__} {value!r}", where)


def _count(data: dict[str, Any], key: str, where: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(key, f"expected a whole number >= 0, got {value!r}", where)
    return value


def _when(data: dict[str, Any], key: str, where: str) -> date | datetime | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail(
            key, f"expected a date (YYYY-MM-DD) or RFC 3339 datetime, got {value!r}", where
        )
    try:
        return parse_date_or_datetime(value)
    except ValueError as exc:
        raise _fail(key, str(exc), where) from None


def _author(value: Any, key: str, where: str) -> Author:
    if isinstance(value, str):
        name = value.strip()
        if name:
            return Author(name)
    elif isinstance(value, dict):
        unknown = set(value) - {"name", "email", "uri"}
        if unknown:
            raise _fail(
                key, f"unknown author key(s) {sorted(unknown)}; use name, email, uri", where
            )
        given = value.get("name")
        if not isinstance(given, str) or not given.strip():
            raise _fail(key, "an author needs a name", where)
        for k in ("email", "uri"):
            if value.get(k) is not None and not isinstance(value[k], str):
                raise _fail(key, f"author {k} must be text", where)
        return Author(given.strip(), value.get("email"), value.get("uri"))
    raise _fail(key, f"expected a name or {{name, email, uri}}, got {value!r}", where)


def _tag_names(value: Any, where: str) -> tuple[str, ...]:
    """Stripped tag names in order, each once; one name may stand for the list."""
    if value is None:
        return ()
    tags = [value] if isinstance(value, str) else value
    if not isinstance(tags, list):
        raise _fail("tags", f"expected a list of tag names, got {tags!r}", where)
    names = []
    for tag in tags:
        name = tag.strip() if isinstance(tag, str) else ""
        if not name:
            raise _fail("tags", f"expected a list of tag names, got {tags!r}", where)
        names.append(name)
    return tuple(dict.fromkeys(names))


def entry_from_mapping(data: Any, where: str) -> RawEntry:
    """Check one entry mapping and make a RawEntry of it.

    Checks run in a fixed order, so an entry with several problems always
    reports the same one first.

    Raises:
        InputError: Unknown key, wrong type, missing title or date.
    """
    if not isinstance(data, dict):
        raise InputError(f"an entry must be a mapping of fields, got {data!r}", where)
    if not _KNOWN.issuperset(data):
        unknown = [k for k in data if k not in _KNOWN]
        raise InputError(
            f"unknown key(s) {', '.join(map(repr, unknown))}; known keys: {', '.join(KEYS)}", where
        )
    if "date" in data and "published" in data:
        raise InputError("give either published or date, not both", where)
    if "author" in data and "authors" in data:
        raise InputError("give either author or authors, not both", where)
    published = _when(data, "published" if "published" in data else "date", where)
    if published is None:
        raise InputError("published (or date) is required", where)
    updated = _when(data, "updated", where)
    if updated is not None and not isinstance(updated, datetime):
        raise _fail(
            "updated", "expected an RFC 3339 datetime with offset, e.g. 2026-04-02T10:00:00Z",
            where,
        )
    key = "authors" if "authors" in data else "author"
    raw_authors = data.get(key)
    if raw_authors is None:
        authors: tuple[Author, ...] = ()
    elif isinstance(raw_authors, list):
        authors = tuple([_author(a, key, where) for a in raw_authors])
    else:
        authors = (_author(raw_authors, key, where),)
    tags = _tag_names(data.get("tags"), where)
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        raise _fail("draft", f"expected true or false, got {draft!r}", where)
    title = data.get("title")
    if title is None:
        raise InputError("title is required", where)
    if not isinstance(title, str):
        raise _fail("title", f"expected text, got {type(title).__name__} {title!r}", where)
    if not title.strip():
        raise _fail("title", "must not be empty", where)
    return _new_raw_entry(
        title=title,
        published=published,
        source=where,
        summary=_text(data, "summary", where) or "",
        updated=updated,
        slug=_text(data, "slug", where),
        url=_text(data, "url", where),
        id=_text(data, "id", where),
        content=_text(data, "content", where),
        tags=tags,
        authors=authors,
        reading_time=_count(data, "reading_time", where),
        word_count=_count(data, "word_count", where),
        draft=draft,
    )


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc.reason} at byte {exc.start}", str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(path)) from None


def _entries_list(data: Any, file: str) -> list[Any]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise InputError("expected a list of entries at the top level", file)
    return data


def read_yaml(path: Path) -> list[RawEntry]:
    """Entries from a YAML file; each entry's source is its line."""
    file = str(path)
    items = _entries_list(load_yaml(_read_text(path), file), file)
    lines = getattr(items, "item_lines", [0] * len(items))
    return [
        entry_from_mapping(item, f"{file}:{line}" if line else f"{file}: entry {n}")
        for n, (item, line) in enumerate(zip(items, lines, strict=True), start=1)
    ]


def read_json(path: Path) -> list[RawEntry]:
    """Entries from a JSON file (a list); each entry's source is its position."""
    file = str(path)
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", f"{file}:{exc.lineno}") from None
    items = _entries_list(data, file)
    return [entry_from_mapping(item, f"{file}: entry {n}") for n, item in enumerate(items, 1)]


def read_jsonl(path: Path) -> list[RawEntry]:
    """Entries from JSON Lines: one object per non-blank line.

    ``_read_jsonl_whole`` defines the result and words every error; a regular
    file is first read as a stream of lines (no copy of the whole text, no
    ``splitlines`` pass), and anything that stream does not take in stride --
    an error of any kind, or a line ``splitlines`` could cut differently --
    sends the file to ``_read_jsonl_whole``, so what it reports is unchanged.
    """
    if os.path.isfile(path):  # not a pipe, read only once; False on any OSError
        try:
            return _read_jsonl_stream(path)
        except Exception:  # the reading below decides, and raises what it finds first
            pass
    return _read_jsonl_whole(path)


def _read_jsonl_whole(path: Path) -> list[RawEntry]:
    file = str(path)
    out = []
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", f"{file}:{number}") from None
        out.append(entry_from_mapping(item, f"{file}:{number}"))
    return out


class _NotPlain(Exception):
    """A line the streaming reader leaves to ``_read_jsonl_whole``."""


_DECODER = json.JSONDecoder()


def _read_jsonl_stream(path: Path) -> list[RawEntry]:
    """``_read_jsonl_whole``'s entries when every line is plain, else an exception.

    A plain line is ``{...}`` with spaces or tabs around, or only spaces and
    tabs (skipped).  Reading line by line (newline=None, as ``read_text``
    does) splits where ``splitlines`` does, except at U+0085, U+2028 and
    U+2029 (refused here) and at \\v, \\f and \\x1c-\\x1e, which can stand
    neither in a strict JSON value nor in a plain line's margins.  A value
    that parses within its line parses the same as that line alone would.
    """
    file = str(path)
    decode = _DECODER.raw_decode
    out = []
    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.isascii() and ("\x85" in line or "\u2028" in line or "\u2029" in line):
                raise _NotPlain(number)
            # JSON whitespace before the value; "\r" never gets here (universal newlines)
            start = 0 if line.startswith("{") else len(line) - len(line.lstrip(" \t"))
            if line.startswith("{", start):
                item, end = decode(line, start)
                if line[end:].strip(" \t") not in ("\n", ""):
                    raise _NotPlain(number)
                out.append(entry_from_mapping(item, f"{file}:{number}"))
            elif line.strip(" \t\n"):
                raise _NotPlain(number)
    return out


def entry_to_mapping(entry: RawEntry) -> dict[str, Any]:
    """The structured form of an entry, omitting empty fields (for ``import``)."""
    out: dict[str, Any] = {"title": entry.title, "published": entry.published.isoformat()}
    if entry.updated:
        out["updated"] = entry.updated.isoformat()
    for key in ("slug", "url", "id", "summary", "content"):
        value = getattr(entry, key)
        if value:
            out[key] = value
    if entry.tags:
        out["tags"] = list(entry.tags)
    if entry.authors:
        out["authors"] = [
            a.name if a.email is None and a.uri is None
            else {k: v for k, v in (("name", a.name), ("email", a.email), ("uri", a.uri)) if v}
            for a in entry.authors
        ]
    for key in ("reading_time", "word_count"):
        value = getattr(entry, key)
        if value is not None:
            out[key] = value
    if entry.draft:
        out["draft"] = True
    return out


def dump_yaml(entries: list[RawEntry]) -> str:
    """A YAML entries file an author can edit by hand; reads back to the same entries."""
    return yaml.safe_dump(
        [entry_to_mapping(e) for e in entries],
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )


READERS: dict[str, Callable[[Path], list[RawEntry]]] = {
    ".yaml": read_yaml,
    ".yml": read_yaml,
    ".json": read_json,
    ".jsonl": read_jsonl,
}
