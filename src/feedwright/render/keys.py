"""What rendered bytes depend on: the keys the build cache keeps them under.

Said here, beside the renderers, rather than re-derived by the pipeline: a
fragment is made from its entry and nothing else (``fragment(entry)``;
lxml builds it, in bytes held equal to feedgen's, render/fast.py), a
head from its feed and output and, of the feed's entries, only their newest
change (RSS ``lastBuildDate`` and Atom ``updated`` alike), and the browser
stylesheet an XML head names (``<?xml-stylesheet?>``: ``Output.stylesheet``,
from ``browser_view``; part of the output, so of ``head_key``).  The files
written beside the feeds (render/site.py) are made on every build; their
file records' recipe is the digest of their bytes.  A key that names
more than the bytes show costs a cache miss, never a wrong hit; one that
names less would be a wrong hit, so every field is in unless shown otherwise.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from dataclasses import fields
from datetime import datetime
from operator import attrgetter
from typing import TYPE_CHECKING

from feedwright.cache import digest
from feedwright.model import Entry
from feedwright.model import Feed
from feedwright.model import Output

if TYPE_CHECKING:
    from feedwright.render import Rendered


#: The Entry fields a fragment is made of: all but where the entry was read.
_RENDERED = [f for f in fields(Entry) if f.name != "source"]
_RENDERED_FIELDS = attrgetter(*(f.name for f in _RENDERED))
#: Where among them the dates and the authors are (see _plain).
_DATES_AT = [i for i, f in enumerate(_RENDERED) if "datetime" in str(f.type)]
_AUTHORS_AT = [i for i, f in enumerate(_RENDERED) if "Author" in str(f.type)]


def _plain(value: datetime) -> tuple[str, str | None]:
    """A date as what a fragment can show of it, in types that pickle fast.

    A datetime is pickled with its tzinfo (slow); a fragment shows its wall
    time and offset (``isoformat``) and at most its zone's name.
    """
    return value.isoformat(), value.tzname()


def entry_key(entry: Entry) -> bytes:
    """What an entry's fragments depend on: every field but its source, its
    dates as _plain says and its authors as their fields.

    Pickled rather than repr'd: faster on long contents.  Equal entries may
    pickle differently (pickle shares repeated objects); that costs a cache
    miss, never a wrong hit.  A format's fragment key is the format's name
    and this (``fragment_key``).
    """
    shown = list(_RENDERED_FIELDS(entry))
    for i in _DATES_AT:
        if shown[i] is not None:
            shown[i] = _plain(shown[i])
    for i in _AUTHORS_AT:
        shown[i] = tuple([(a.name, a.email, a.uri) for a in shown[i]])
    return digest(pickle.dumps(tuple(shown), protocol=5))


def fragment_key(fmt: str, base: bytes) -> bytes:
    """The key of an entry's fragment in ``fmt``, from its ``entry_key``."""
    return fmt.encode() + base


#: The Feed fields its head is made of: all but its entries (of which only
#: the newest change counts, see head_key).
_HEAD_FIELDS = tuple(f.name for f in fields(Feed) if f.name != "entries")


def head_key(feed: Feed, output: Output) -> bytes:
    """What the head of ``feed`` in ``output`` depends on: the output (its
    path, URL and browser stylesheet), the feed but its entries, and the
    entries' newest change (``last_modified``).  A
    head's two parts are kept under this key + ``<`` and ``>``."""
    newest = (max(e.last_modified for e in feed.entries),)
    shown = (output, *(getattr(feed, name) for name in _HEAD_FIELDS), *map(_plain, newest))
    return b"head" + digest(pickle.dumps(shown, protocol=5))


def recipe(doc: Rendered, keys: Mapping[tuple[str, str], bytes]) -> bytes:
    """A digest of what ``doc`` is made of: its head, its tail and its
    fragments' keys (``keys``: (format, entry id) → fragment key); equal
    recipes make equal bytes, and it costs no join of the document."""
    fmt = doc.output.format
    return digest(b"".join([digest(doc.head), digest(doc.tail),
                            *(keys[(fmt, e.id)] for e in doc.feed.entries)]))
