"""Structured entries: YAML, JSON and JSON Lines files, read and written.

The same fields as the model plus what listing pages lack (url or slug, tags,
id, updated, content).  Unknown keys and wrong types are errors naming file
and entry: a misspelt ``tgas:`` must not publish an untagged post.
"""

from __future__ import annotations

import json
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

#: Accepted keys; ``date`` is another name for ``published``, ``author`` for ``authors``.
KEYS = (
    "title", "published", "date", "updated", "summary", "content", "url", "slug", "tags",
    "id", "authors", "author", "reading_time", "word_count", "draft",
)


class _Fields:
    def __init__(self, data: dict[str, Any], where: str) -> None:
        self.data = data
        self.where = where

    def fail(self, key: str, message: str) -> InputError:
        return InputError(f"{key}: {message}", self.where)

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise InputError(f"{key} is required", self.where)
            return None
        if not isinstance(value, str):
            raise self.fail(key, f"expected text, got {type(value).__name__} {value!r}")
        if required and not value.strip():
            raise self.fail(key, "must not be empty")
        return value

    def count(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(key, f"expected a whole number >= 0, got {value!r}")
        return value

    def when(self, key: str) -> date | datetime | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(
                key, f"expected a date (YYYY-MM-DD) or RFC 3339 datetime, got {value!r}"
            )
        try:
            return parse_date_or_datetime(value)
        except ValueError as exc:
            raise self.fail(key, str(exc)) from None


def _author(value: Any, fields: _Fields, key: str) -> Author:
    if isinstance(value, str) and value.strip():
        return Author(value.strip())
    if isinstance(value, dict):
        unknown = set(value) - {"name", "email", "uri"}
        if unknown:
            raise fields.fail(key, f"unknown author key(s) {sorted(unknown)}; use name, email, uri")
        name = value.get("name")
        if not isinstance(name, str) or not name.strip():
            raise fields.fail(key, "an author needs a name")
        for k in ("email", "uri"):
            if value.get(k) is not None and not isinstance(value[k], str):
                raise fields.fail(key, f"author {k} must be text")
        return Author(name.strip(), value.get("email"), value.get("uri"))
    raise fields.fail(key, f"expected a name or {{name, email, uri}}, got {value!r}")


def entry_from_mapping(data: Any, where: str) -> RawEntry:
    """Check one entry mapping and make a RawEntry of it.

    Raises:
        InputError: Unknown key, wrong type, missing title or date.
    """
    if not isinstance(data, dict):
        raise InputError(f"an entry must be a mapping of fields, got {data!r}", where)
    unknown = [k for k in data if k not in KEYS]
    if unknown:
        raise InputError(
            f"unknown key(s) {', '.join(map(repr, unknown))}; known keys: {', '.join(KEYS)}", where
        )
    if "date" in data and "published" in data:
        raise InputError("give either published or date, not both", where)
    if "author" in data and "authors" in data:
        raise InputError("give either author or authors, not both", where)
    f = _Fields(data, where)
    published = f.when("published") if "published" in data else f.when("date")
    if published is None:
        raise InputError("published (or date) is required", where)
    updated = f.when("updated")
    if updated is not None and not isinstance(updated, datetime):
        raise f.fail(
            "updated", "expected an RFC 3339 datetime with offset, e.g. 2026-04-02T10:00:00Z"
        )
    raw_authors = data.get("authors", data.get("author"))
    key = "authors" if "authors" in data else "author"
    if raw_authors is None:
        authors: tuple[Author, ...] = ()
    elif isinstance(raw_authors, list):
        authors = tuple(_author(a, f, key) for a in raw_authors)
    else:
        authors = (_author(raw_authors, f, key),)
    tags = data.get("tags")
    if tags is None:
        tags = []
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise f.fail("tags", f"expected a list of tag names, got {tags!r}")
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        raise f.fail("draft", f"expected true or false, got {draft!r}")
    return RawEntry(
        title=f.text("title", required=True) or "",
        published=published,
        source=where,
        summary=f.text("summary") or "",
        updated=updated,
        slug=f.text("slug"),
        url=f.text("url"),
        id=f.text("id"),
        content=f.text("content"),
        tags=tuple(dict.fromkeys(t.strip() for t in tags)),
        authors=authors,
        reading_time=f.count("reading_time"),
        word_count=f.count("word_count"),
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
    """Entries from JSON Lines: one object per non-blank line."""
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
