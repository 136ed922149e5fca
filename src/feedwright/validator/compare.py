"""Compare two snapshots of one feed: what readers will make of the change.

Readers key each item on its id (RSS ``<guid>``, Atom ``<id>``, JSON Feed
``id``) and fall back to its link when it has none; an id that changes
between two fetches makes every reader show the post again as new, and
lose its read and starred state (miniflux/v2#2358, NetNewsWire#3835,
feedbin/support#198).  An id that moves to another post is the opposite
fault: readers take the new post for the one they already have and never
show it.

This module judges bytes and knows no model, like the rest of the
validator: it reads any producer's RSS, Atom or JSON Feed through the
validator's safe parse (no network, no entities, the size cap), pulls out
each item's id, link, title and dates, and pairs the items of the two
snapshots.  ``feedwright diff`` prints what it finds; the build's id guard
(``idguard``) runs it over each feed it is about to rewrite.

Every finding (a ``Change``) has a stable code and a severity:

- ``error``: readers will show a post twice or hide one (``id-changed``,
  ``link-and-id-changed``: a post found by its title and date under a new
  link and id, ``id-reissued``); ``diff`` exits 1, the build refuses.
- ``warning``: worth a look, readers cope (``duplicate-id``,
  ``item-removed`` from within the feed).
- ``info``: the normal life of a feed (``item-added``, ``item-redated``,
  ``item-fell-off``: pushed off the end by newer items).
"""

from __future__ import annotations

import email.utils
import json
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from typing import Literal

from lxml import etree

from feedwright.errors import InputError
from feedwright.fetch import DEFAULT_TIMEOUT
from feedwright.fetch import read_source
from feedwright.validator.json_position import JsonLocator
from feedwright.validator.parse import ATOM03_NS
from feedwright.validator.parse import ATOM_NS
from feedwright.validator.parse import DEFAULT_MAX_BYTES
from feedwright.validator.parse import RDF_NS
from feedwright.validator.parse import RSS090_NS
from feedwright.validator.parse import RSS1_NS
from feedwright.validator.parse import parse
from feedwright.validator.report import counted

Level = Literal["error", "warning", "info"]

#: Every code a comparison reports, with its severity and what readers do;
#: README ("Comparing two snapshots") lists them.
CODES: dict[str, tuple[Level, str]] = {
    "id-changed": (
        "error", "readers will show it again as a new post and lose its read state"),
    "link-and-id-changed": (
        "error", "readers will show it again as a new post and lose its read state"),
    "id-reissued": (
        "error", "readers will take the other post for this one and never show it"),
    "duplicate-id": (
        "warning", "readers keep one of the items that share it (Miniflux) or merge them"),
    "item-removed": (
        "warning", "readers that have it keep it; new subscribers will not see it"),
    "item-added": ("info", "readers will show it as new"),
    "item-redated": (
        "info", "readers keep the date they first saw; new subscribers see the new one"),
    "item-fell-off": (
        "info", "pushed off the end by newer items: readers keep it, nothing to do"),
}


@dataclass(frozen=True)
class Item:
    """What identifies one item of a snapshot, as the document spells it."""

    #: RSS guid, Atom id, JSON Feed id (as text); None when the item has none.
    id: str | None
    link: str | None
    title: str | None
    #: Publication date as written (RSS pubDate, Atom published, JSON date_published).
    published: str | None
    #: 1-based line of the item's id (else of the item itself), when known.
    line: int | None
    #: 0-based position in the feed.
    index: int


@dataclass(frozen=True)
class Snapshot:
    """One feed document as the comparison sees it."""

    #: The input as the user named it (path, URL, ``-``).
    name: str
    #: The validator's name for the format (``rss2``, ``atom1``, ``jsonfeed1``…).
    format: str
    items: tuple[Item, ...]
    #: The feed's own URL (Atom ``rel="self"``, JSON ``feed_url``).
    self_link: str | None = None
    #: The site's page (RSS ``<link>``, Atom ``rel="alternate"``, JSON ``home_page_url``).
    home_link: str | None = None


@dataclass(frozen=True)
class Change:
    """One thing that changed between two snapshots."""

    code: str
    message: str
    #: 1-based line in the NEW document (in the OLD one for items no longer there).
    line: int | None = None
    #: True when ``line`` is a line of the OLD document.
    in_old: bool = False
    old_id: str | None = None
    new_id: str | None = None
    link: str | None = None
    #: The item's link in OLD, when it changed (``link-and-id-changed``).
    old_link: str | None = None

    @property
    def severity(self) -> Level:
        return CODES[self.code][0]

    @property
    def consequence(self) -> str:
        """What readers will do, in a few words."""
        return CODES[self.code][1]

    def to_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity, "code": self.code, "message": self.message,
            "line": self.line, "in": "old" if self.in_old else "new",
            "old_id": self.old_id, "new_id": self.new_id, "link": self.link,
            "old_link": self.old_link,
        }


@dataclass(frozen=True)
class Comparison:
    """Everything found between two snapshots."""

    old: Snapshot
    new: Snapshot
    changes: tuple[Change, ...]

    @property
    def problems(self) -> tuple[Change, ...]:
        """The changes that make readers show a post twice or hide one."""
        return tuple(c for c in self.changes if c.severity == "error")

    def to_dict(self) -> dict[str, object]:
        return {
            "old": self.old.name, "new": self.new.name,
            "old_format": self.old.format, "new_format": self.new.format,
            "ok": not self.problems,
            "changes": [c.to_dict() for c in self.changes],
        }


# --- reading a snapshot ---------------------------------------------------------------


def read_snapshot(data: bytes, *, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Snapshot:
    """The items of one feed document (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed).

    Raises:
        InputError: The bytes are not a feed this can read (not well-formed,
            too large, an HTML page, an OPML list…); the message says why.
    """
    parsed = parse(data, name=name, max_bytes=max_bytes, reader_caps=False)
    if parsed.json is not None:
        return _json_snapshot(parsed.json.value, parsed.json.text, name)
    root = parsed.root
    if root is None or parsed.format in ("unknown", "opml"):
        errors = [i for i in parsed.issues if i.severity == "error"]
        why = (errors[0].message if errors else
               "an OPML list of feeds" if parsed.format == "opml" else "not a feed")
        where = f":{errors[0].line}" if errors and errors[0].line else ""
        raise InputError(f"not a feed that can be compared: {why}", f"{name}{where}")
    if parsed.format in ("rss2", "rss09x") and root.tag == "rss":
        return _rss_snapshot(root, name, parsed.format)
    if parsed.format in ("rss1", "rss09x"):
        return _rdf_snapshot(root, name, parsed.format)
    return _atom_snapshot(root, name, parsed.format)


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    if len(element):  # markup inside (an Atom xhtml title): its text, tags left out
        text = "".join(str(t) for t in element.itertext()).strip()
    else:
        text = (element.text or "").strip()
    return text or None


def _line(*elements: etree._Element | None) -> int | None:
    for element in elements:
        line: int | None = getattr(element, "sourceline", None)  # lxml-stubs mistype it
        if line:
            return line
    return None


def _atom_self(parent: etree._Element, ns: str) -> str | None:
    for link in parent.iterchildren(f"{{{ns}}}link"):
        if link.get("rel") == "self":
            return (link.get("href") or "").strip() or None
    return None


def _atom_alternate(parent: etree._Element, ns: str) -> str | None:
    for link in parent.iterchildren(f"{{{ns}}}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href", "").strip() or None
    return None


_RSS_ITEM = frozenset({"guid", "link", "title", "pubDate"})


def _rss_snapshot(root: etree._Element, name: str, fmt: str) -> Snapshot:
    channel = root.find("channel")
    if channel is None:
        return Snapshot(name, fmt, ())
    items = []
    for index, item in enumerate(channel.iterchildren("item")):
        found: dict[str, etree._Element] = {}
        for child in item:  # one walk of the item's children, the first of each kept
            if child.tag in _RSS_ITEM and child.tag not in found:
                found[child.tag] = child
        guid = found.get("guid")
        items.append(Item(_text(guid), _text(found.get("link")), _text(found.get("title")),
                          _text(found.get("pubDate")), _line(guid, item), index))
    return Snapshot(name, fmt, tuple(items), _atom_self(channel, ATOM_NS),
                    _text(channel.find("link")))


def _rdf_snapshot(root: etree._Element, name: str, fmt: str) -> Snapshot:
    ns = RSS1_NS if root.find(f"{{{RSS1_NS}}}channel") is not None else RSS090_NS
    channel = root.find(f"{{{ns}}}channel")
    items = []
    for index, item in enumerate(root.iterchildren(f"{{{ns}}}item")):
        about = (item.get(f"{{{RDF_NS}}}about") or "").strip() or None
        date = item.find("{http://purl.org/dc/elements/1.1/}date")
        items.append(Item(about, _text(item.find(f"{{{ns}}}link")),
                          _text(item.find(f"{{{ns}}}title")), _text(date), _line(item), index))
    home = _text(channel.find(f"{{{ns}}}link")) if channel is not None else None
    return Snapshot(name, fmt, tuple(items), None, home)


def _atom_snapshot(root: etree._Element, name: str, fmt: str) -> Snapshot:
    ns = ATOM03_NS if fmt == "atom03" else ATOM_NS
    published = "issued" if fmt == "atom03" else "published"
    entries = [root] if root.tag == f"{{{ns}}}entry" else list(root.iterchildren(f"{{{ns}}}entry"))
    items = []
    for index, entry in enumerate(entries):
        id_ = entry.find(f"{{{ns}}}id")
        items.append(Item(_text(id_), _atom_alternate(entry, ns),
                          _text(entry.find(f"{{{ns}}}title")),
                          _text(entry.find(f"{{{ns}}}{published}")), _line(id_, entry), index))
    return Snapshot(name, fmt, tuple(items), _atom_self(root, ns), _atom_alternate(root, ns))


def _json_text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return value.strip() or None if isinstance(value, str) else None


def _json_snapshot(value: Any, text: str, name: str) -> Snapshot:
    if not isinstance(value, dict) or not isinstance(value.get("items", []), list):
        raise InputError("not a feed that can be compared: JSON, but not a JSON Feed "
                         "(no \"items\" list)", name)
    locator = JsonLocator(text)
    items = []
    for index, item in enumerate(value.get("items", [])):
        if not isinstance(item, dict):
            continue
        line = locator.where(("items", index, "id") if "id" in item else ("items", index))[0]
        items.append(Item(_json_text(item.get("id")), _json_text(item.get("url")),
                          _json_text(item.get("title")), _json_text(item.get("date_published")),
                          line, index))
    return Snapshot(name, "jsonfeed1", tuple(items), _json_text(value.get("feed_url")),
                    _json_text(value.get("home_page_url")))


# --- comparing ------------------------------------------------------------------------


def _when(text: str | None) -> datetime | str | None:
    """A date as a comparable value: parsed when it can be, else its text."""
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return text


def _same_date(a: str | None, b: str | None) -> bool:
    if a == b:  # the common case, without parsing a date
        return True
    left, right = _when(a), _when(b)
    try:
        return left == right
    except TypeError:  # one aware, one naive
        return a == b


def _shown(value: str | None) -> str:
    return "(none)" if value is None else repr(value)


class DifferentFeedsError(InputError):
    """The two snapshots share no item and no feed link: not two states of one feed."""


def unrelated(old: Snapshot, new: Snapshot) -> bool:
    """True when the snapshots look like two different feeds: both have items,
    no id and no link in common, and neither the self nor the home link agree."""
    if not old.items or not new.items:
        return False
    keys = {i.id for i in old.items if i.id} | {i.link for i in old.items if i.link}
    if any(i.id in keys or i.link in keys for i in new.items):
        return False
    return not ((old.self_link and old.self_link == new.self_link)
                or (old.home_link and old.home_link == new.home_link))


def compare(old: Snapshot, new: Snapshot) -> Comparison:
    """Pair the items of two snapshots of one feed and say what changed.

    Items pair by id first; an item without a match by id pairs with the
    old item of the same link (readers key on the link when there is no
    id, and a post keeps its link when only its id changed).  An id found
    in both that now names another post -- a different link while the old
    link is still in the feed under another id, or a different link, title
    and date at once -- is ``id-reissued``; a link found in both under
    another id is ``id-changed``.  Of what is left, an old and a new item
    with the same title and date (each the only one so) are one post under
    a new link and id, ``link-and-id-changed`` (a new slug).  The rest is
    added or removed; an old item with no old item after it still in the
    feed fell off the end.
    """
    changes: list[Change] = []
    old_by_id: dict[str, Item] = {}
    old_by_link: dict[str, Item] = {}
    for item in old.items:
        if item.id is not None:
            old_by_id.setdefault(item.id, item)
        if item.link is not None:
            old_by_link.setdefault(item.link, item)
    new_links = {i.link for i in new.items if i.link is not None}
    paired: dict[int, Item] = {}  # old index -> its new item
    unpaired: list[Item] = []
    seen_ids: dict[str, Item] = {}
    for item in new.items:  # by id
        if item.id is not None and item.id in seen_ids:
            changes.append(Change(
                "duplicate-id", f"id {item.id!r} is also the id of the item at line "
                f"{seen_ids[item.id].line}", item.line, new_id=item.id, link=item.link))
            continue
        before = old_by_id.get(item.id) if item.id is not None else None
        if item.id is not None:
            seen_ids[item.id] = item
        if before is None:
            unpaired.append(item)
            continue
        paired[before.index] = item
        if _reissued(before, item, new_links):
            changes.append(Change(
                "id-reissued", f"id {item.id!r} was {_named(before)} and now names "
                f"{_named(item)}", item.line, old_id=before.id, new_id=item.id, link=item.link))
        elif not _same_date(before.published, item.published):
            changes.append(_redated(before, item))
    added: list[Item] = []
    for item in unpaired:  # by link: a post keeps its link when only its id changed
        before = old_by_link.get(item.link) if item.link is not None else None
        now = paired.get(before.index) if before is not None else None
        if before is None or (now is not None and now.link == item.link):
            added.append(item)
            continue
        if now is None:
            paired[before.index] = item
        if before.id != item.id:  # its old id is gone, or went to another post
            changes.append(Change(
                "id-changed", f"{item.link!r}: id was {_shown(before.id)}, now "
                f"{_shown(item.id)}", item.line, old_id=before.id, new_id=item.id,
                link=item.link))
        elif not _same_date(before.published, item.published):  # no id on either side
            changes.append(_redated(before, item))
    # by title and date: a post whose link and id both changed (a new slug)
    gone = _unique_looks(i for i in old.items if i.index not in paired)
    arrived = _unique_looks(added)
    for item in added:
        look = _look(item)
        before = gone.get(look) if look is not None and look in arrived else None
        if before is None:
            changes.append(Change("item-added", f"{_named(item)} is new", item.line,
                                  new_id=item.id, link=item.link))
            continue
        paired[before.index] = item
        changes.append(Change(
            "link-and-id-changed", f"{_named(before)} is now {_shown(item.link)} (same title "
            f"and date): id was {_shown(before.id)}, now {_shown(item.id)}", item.line,
            old_id=before.id, new_id=item.id, link=item.link, old_link=before.link))
    last_kept = max(paired, default=-1)
    for item in old.items:
        if item.index in paired:
            continue
        code = "item-fell-off" if item.index > last_kept else "item-removed"
        what = "fell off the end" if code == "item-fell-off" else "is no longer in the feed"
        changes.append(Change(code, f"{_named(item)} {what}",
                              item.line, in_old=True, old_id=item.id, link=item.link))
    order = {"error": 0, "warning": 1, "info": 2}
    changes.sort(key=lambda c: (order[c.severity], c.in_old, c.line or 0))
    return Comparison(old, new, tuple(changes))


def _look(item: Item) -> tuple[str, datetime | str] | None:
    """What a post looks like when its link and id are left out: title and date."""
    when = _when(item.published)
    return None if item.title is None or when is None else (item.title, when)


def _unique_looks(items: Iterable[Item]) -> dict[tuple[str, datetime | str], Item]:
    """The items by look, for the looks only one of them has."""
    seen: dict[tuple[str, datetime | str], Item | None] = {}
    for item in items:
        look = _look(item)
        if look is not None:
            seen[look] = item if look not in seen else None
    return {look: item for look, item in seen.items() if item is not None}


def _reissued(before: Item, item: Item, new_links: set[str]) -> bool:
    """The id now names another post: its old link is still in the feed under
    another id, or link, title and date all changed (a moved post keeps its
    title or its date; a pinned id is what lets a post move)."""
    if before.link is None or item.link is None or before.link == item.link:
        return False
    if before.link in new_links:
        return True
    return before.title != item.title and not _same_date(before.published, item.published)


def _named(item: Item) -> str:
    """An item as a message names it: its link, and its title when it has one."""
    return f"{_shown(item.link)}{f' ({item.title!r})' if item.title else ''}"


def _redated(before: Item, item: Item) -> Change:
    return Change("item-redated", f"{_shown(item.link)}: published {_shown(before.published)}, "
                  f"now {_shown(item.published)}", item.line, old_id=before.id, new_id=item.id,
                  link=item.link)


# --- reading two inputs ---------------------------------------------------------------


def compare_sources(old: str, new: str, *, max_bytes: int = DEFAULT_MAX_BYTES,
                    timeout: float = DEFAULT_TIMEOUT) -> Comparison:
    """Read two inputs (files, URLs, ``-``) and compare them.

    Raises:
        InputError: An input cannot be read or is not a feed.
        DifferentFeedsError: They look like two different feeds.
    """
    from feedwright.validator.sources import gunzip  # the same reading as `validate`

    if old == "-" and new == "-":
        raise InputError("only one of OLD and NEW can be read from stdin ('-')")
    snapshots = []
    for spec in (old, new):
        source = read_source(spec, max_bytes=max_bytes, timeout=timeout)
        data = gunzip(source.data, max_bytes, spec)
        snapshots.append(read_snapshot(data, name=spec, max_bytes=max_bytes))
    if unrelated(*snapshots):
        raise DifferentFeedsError(
            f"{old} and {new} look like two different feeds (no item id or link in common, "
            "and different self and home links); nothing compared")
    return compare(*snapshots)


def to_text(result: Comparison, *, show_info: bool = True) -> str:
    """``name:line: severity code: message (what readers do)`` lines, then a summary."""
    out = []
    for change in result.changes:
        if change.severity == "info" and not show_info:
            continue
        name = result.old.name if change.in_old else result.new.name
        where = f"{name}:{change.line}" if change.line else name
        out.append(f"{where}: {change.severity} {change.code}: {change.message} "
                   f"-- {change.consequence}")
    out.append(summary(result.changes))
    return "\n".join(out)


def summary(changes: Sequence[Change]) -> str:
    """One line counting the changes by code, problems first."""
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.code] = counts.get(change.code, 0) + 1
    problems = sum(n for code, n in counts.items() if CODES[code][0] == "error")
    verdict = ("no item will be shown twice or hidden" if not problems else
               f"{counted(problems, 'problem')}: readers will show posts twice or hide them")
    rest = ", ".join(f"{n} {code}" for code, n in counts.items())
    return f"{verdict}{f' ({rest})' if rest else ''}"


def changes_of(result: Comparison, codes: Iterable[str]) -> tuple[Change, ...]:
    """The changes with one of ``codes``."""
    wanted = set(codes)
    return tuple(c for c in result.changes if c.code in wanted)
