"""Structured entries: YAML, JSON and JSON Lines files, read and written.

The same fields as the model plus what listing pages lack (url or slug, tags,
id, updated, content).  Unknown keys and wrong types are errors naming file
and entry: a misspelt ``tgas:`` must not publish an untagged post.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Callable
from datetime import date
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from feedwright.dates import parse_date_or_datetime
from feedwright.errors import InputError
from feedwright.errors import quoted
from feedwright.located import json_error
from feedwright.located import load_yaml
from feedwright.mapping import Fields
from feedwright.mapping import parse_author
from feedwright.model import Author
from feedwright.model import slugify
from feedwright.readers.raw import RawEntry
from feedwright.readers.raw import frozen_builder
from feedwright.readers.raw import read_text

#: Accepted keys; ``date`` is another name for ``published``, ``author`` for ``authors``.
KEYS = (
    "title", "published", "date", "updated", "summary", "content", "url", "slug", "tags",
    "id", "guid", "authors", "author", "reading_time", "word_count", "draft",
)


#: The same keys as a set, for the per-entry membership test.
_KNOWN = frozenset(KEYS)
_new_raw_entry = frozen_builder(RawEntry)


def _when(fields: Fields, key: str) -> date | datetime | None:
    value = fields.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise fields.fail(
            key, f"expected a date (YYYY-MM-DD) or RFC 3339 datetime, got {quoted(value)}"
        )
    try:
        return parse_date_or_datetime(value)
    except ValueError as exc:
        raise fields.fail(key, str(exc)) from None


def _authors(fields: Fields, key: str) -> tuple[Author, ...]:
    """One author or a list of them; each a name or ``{name, email, uri}``."""
    value = fields.get(key)
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple([parse_author(fields, key, a) for a in value])
    return (parse_author(fields, key, value),)


def _tag_names(fields: Fields) -> tuple[str, ...]:
    """Stripped tag names in order, each once; one name may stand for the list.

    A string with a comma in it (``tags: cooking, bread``) is refused, not
    read as one tag ``cooking-bread``: the author meant a list, and YAML
    needs brackets to say so.  (Jekyll's space-separated string is Jekyll's
    own convention, for Jekyll's files only.)
    """
    value = fields.get("tags")
    if value is None:
        return ()
    if isinstance(value, str) and "," in value:
        listed = ", ".join(n.strip() for n in value.split(",") if n.strip())
        example = listed if len(listed) <= 80 else "a, b"
        raise fields.fail(
            "tags", f"expected a list, e.g. [{example}]; {quoted(value)} is one string, so one tag"
        )
    tags = [value] if isinstance(value, str) else value
    if not isinstance(tags, list):
        raise fields.fail("tags", f"expected a list of tag names, got {quoted(tags)}")
    names = []
    for tag in tags:
        name = tag.strip() if isinstance(tag, str) else ""
        if not name:
            raise fields.fail("tags", f"expected a list of tag names, got {quoted(tags)}")
        names.append(name)
    return tuple(dict.fromkeys(names))


def entry_from_mapping(data: Any, where: str, file: str | None = None) -> RawEntry:
    """Check one entry mapping and make a RawEntry of it.

    The checking is ``mapping.Fields``'s, the config's own, so an entry and
    config.yaml word the same mistake the same way.  Checks run in a fixed
    order, so an entry with several problems always reports the same one
    first.  An error about one field points at that field's own line when
    the mapping knows its lines (YAML, read with ``file`` given), else at
    the entry (``where``, as its source does).

    Raises:
        InputError: Not a mapping, unknown key, wrong type, missing title or date.
    """
    fields = Fields(data, _KNOWN, where=where, what="an entry", file=file)
    if "date" in data and "published" in data:
        raise InputError("give either published or date, not both", fields.at("date"))
    if "author" in data and "authors" in data:
        raise InputError("give either author or authors, not both", fields.at("author"))
    published_key = "published" if "published" in data else "date"
    published = _when(fields, published_key)
    if published is None:
        raise InputError("published (or date) is required", where)
    updated = _when(fields, "updated")
    if updated is not None and not isinstance(updated, datetime):
        raise fields.fail(
            "updated", f"{quoted(data['updated'])} has no time of day; expected an RFC 3339 "
            f"datetime with offset, e.g. {updated.isoformat()}T10:00:00Z"
        )
    # A date-only published gets its time from the site (resolve checks that case)
    if updated is not None and isinstance(published, datetime) and updated < published:
        raise fields.fail(
            "updated", f"{quoted(data['updated'])} is before {published_key} "
            f"({quoted(data[published_key])}); an entry cannot change before it exists"
        )
    authors = _authors(fields, "authors" if "authors" in data else "author")
    tags = _tag_names(fields)
    draft = fields.flag("draft")
    title = fields.text("title")
    if title is None:
        raise InputError("title is required", where)
    if not title.strip():
        raise fields.fail("title", "must not be empty")
    return _new_raw_entry(
        title=title,
        published=published,
        source=where,
        summary=fields.text("summary") or "",
        updated=updated,
        slug=fields.text("slug"),
        url=fields.text("url"),
        id=fields.text("id"),
        guid=fields.text("guid"),
        content=fields.text("content"),
        tags=tags,
        authors=authors,
        reading_time=fields.count("reading_time"),
        word_count=fields.count("word_count"),
        draft=draft,
        expires=None,
        checked=False,
    )


def _plain_entry(data: dict[str, Any], where: str) -> RawEntry | None:
    """``entry_from_mapping(data, where)`` for an entry with nothing wrong, else None.

    The entries of a large JSON Lines file are mostly alike and mostly
    right; this makes the same RawEntry without ``Fields``' call per key,
    and declines (None) anything it does not take in stride: an unknown key,
    a wrong type, a date that does not parse, an empty title or tag, an
    author written as a mapping.  ``entry_from_mapping`` then decides, and
    words the first problem as it always has.  It does not look for
    characters XML cannot carry: give it only texts known free of them
    (``_line_entry``), and the entry is marked ``checked``.
    """
    if not data.keys() <= _KNOWN:
        return None
    get = data.get
    if "date" in data:
        if "published" in data:
            return None
        when = get("date")
    else:
        when = get("published")
    if type(when) is not str:
        return None
    try:
        published = parse_date_or_datetime(when)
        updated = get("updated")
        if updated is not None:
            if type(updated) is not str:
                return None
            updated = parse_date_or_datetime(updated)
            if not isinstance(updated, datetime):
                return None
            if isinstance(published, datetime) and updated < published:
                return None
    except ValueError:
        return None
    if "author" in data:
        if "authors" in data:
            return None
        written = get("author")
    else:
        written = get("authors")
    authors = _plain_authors(written)
    tags = _plain_tags(get("tags"))
    if authors is None or tags is None:
        return None
    draft = get("draft")
    if draft is None:
        draft = False
    elif type(draft) is not bool:
        return None
    title = get("title")
    if type(title) is not str or not title.strip():
        return None
    summary, slug, url, id_, guid, content = (
        get("summary"), get("slug"), get("url"), get("id"), get("guid"), get("content"))
    reading_time, word_count = get("reading_time"), get("word_count")
    # Texts are text or not given; counts whole numbers >= 0 (a bool is no int here).
    if ({type(summary), type(slug), type(url), type(id_), type(guid), type(content)}
            <= _TEXT_TYPES
            and {type(reading_time), type(word_count)} <= _COUNT_TYPES
            and (reading_time is None or reading_time >= 0)
            and (word_count is None or word_count >= 0)):
        return _new_raw_entry(
            title=title, published=published, source=where, summary=summary or "",
            updated=updated, slug=slug, url=url, id=id_, guid=guid, content=content,
            tags=tags, authors=authors, reading_time=reading_time, word_count=word_count,
            draft=draft, expires=None, checked=True,
        )
    return None


_TEXT_TYPES = frozenset({str, type(None)})
_COUNT_TYPES = frozenset({int, type(None)})


#: One Author per name, shared by the entries of a file (Authors are frozen).
_AUTHORS: dict[str, Author] = {}


def _plain_authors(value: Any) -> tuple[Author, ...] | None:
    """``_authors`` for names (a name or a list of them), else None."""
    if value is None:
        return ()
    names = [value] if type(value) is str else value
    if type(names) is not list:
        return None
    out = []
    for name in names:
        if type(name) is not str or not (name := name.strip()):
            return None
        author = _AUTHORS.get(name)
        if author is None:
            if len(_AUTHORS) > 10_000:
                _AUTHORS.clear()
            author = _AUTHORS[name] = Author(name)
        out.append(author)
    return tuple(out)


def _plain_tags(value: Any) -> tuple[str, ...] | None:
    """``_tag_names`` when it finds nothing wrong, else None."""
    if value is None:
        return ()
    if type(value) is str:
        if "," in value:
            return None
        value = [value]
    elif type(value) is not list:
        return None
    names = []
    for tag in value:
        if type(tag) is not str or not (name := tag.strip()):
            return None
        names.append(name)
    return tuple(dict.fromkeys(names))


#: A backslash escape that can make a character XML cannot carry: ``\b``
#: (U+0008), ``\f`` (U+000C) and any ``\uXXXX``.  (Strict JSON refuses
#: raw control characters, so escapes are their only way in.)
_RISKY_ESCAPE = re.compile(r"\\[bfu]")


def _line_entry(item: Any, where: str, line: str) -> RawEntry:
    """The entry a JSON Lines line holds (``item``, decoded from ``line``).

    When no string the line decodes to can hold a character XML cannot
    carry -- no risky escape, and no raw U+FFFE or U+FFFF -- and the entry
    has nothing wrong, it is made by ``_plain_entry``; anything else goes
    through ``entry_from_mapping``, which checks every text and words the
    errors.  Both JSON Lines readers make their entries here, so they make
    the same ones.
    """
    if (type(item) is dict and _RISKY_ESCAPE.search(line) is None
            and (line.isascii() or ("\ufffe" not in line and "\uffff" not in line))):
        plain = _plain_entry(item, where)
        if plain is not None:
            return plain
    return entry_from_mapping(item, where)


def _entries_list(data: Any, file: str) -> list[Any]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise InputError("expected a list of entries at the top level", file)
    return data


def read_yaml(path: Path) -> list[RawEntry]:
    """Entries from a YAML file; each entry's source is its line."""
    file = str(path)
    items = _entries_list(load_yaml(read_text(path), file), file)
    lines = getattr(items, "item_lines", [0] * len(items))
    return [
        entry_from_mapping(item, f"{file}:{line}" if line else f"{file}: entry {n}", file)
        for n, (item, line) in enumerate(zip(items, lines, strict=True), start=1)
    ]


def read_json(path: Path) -> list[RawEntry]:
    """Entries from a JSON file (a list); each entry's source is its position."""
    file = str(path)
    try:
        data = json.loads(read_text(path))
    except (ValueError, RecursionError) as exc:
        raise json_error(exc, file) from None
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
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", f"{file}:{number}") from None
        except (ValueError, RecursionError) as exc:
            raise json_error(exc, file, number) from None
        out.append(_line_entry(item, f"{file}:{number}", line))
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
                out.append(_line_entry(item, f"{file}:{number}", line))
            elif line.strip(" \t\n"):
                raise _NotPlain(number)
    return out


def entry_to_mapping(entry: RawEntry) -> dict[str, Any]:
    """The structured form of an entry, omitting empty fields (for ``import``)."""
    out: dict[str, Any] = {"title": entry.title, "published": entry.published.isoformat()}
    if entry.updated:
        out["updated"] = entry.updated.isoformat()
    for key in ("slug", "url", "id", "guid", "summary", "content"):
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


def pin_slugs(entries: list[RawEntry]) -> list[RawEntry]:
    """Each entry with the slug its URL is made of now written out (for ``import``).

    Without it the URL, the RSS guid and the Atom id of an imported entry
    hang on its title (``readers/__init__.py`` ``_url`` slugifies it), so
    fixing a typo in the title by hand would publish the post again under
    a new URL and new ids.  Entries with a slug or URL of their own, and
    titles that make no slug (the build says what to do with those), are
    left as they are.
    """
    out = []
    for entry in entries:
        slug = slugify(entry.title) if entry.slug is None and entry.url is None else ""
        out.append(dataclasses.replace(entry, slug=slug) if slug else entry)
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
