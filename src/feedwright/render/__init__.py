"""Render a FeedSet to documents: the renderer registry, one module per format.

Each entry's fragment (RSS ``<item>``, Atom ``<entry>``, JSON Feed item) is
rendered once per format and its bytes are reused in every feed that holds
it.  Every renderer module has the same small interface (``Renderer``); this
package is the only one that imports feedgen.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import replace
from typing import Protocol

from feedwright.model import Entry
from feedwright.model import Feed
from feedwright.model import FeedSet
from feedwright.model import Output
from feedwright.render import atom
from feedwright.render import jsonfeed
from feedwright.render import rss


class Renderer(Protocol):
    """What every renderer module provides (``render/rss.py`` is one)."""

    #: The format's name in formats.FORMATS.
    FORMAT: str
    #: What goes between two entries' fragments (nothing in XML, a comma in JSON).
    SEPARATOR: bytes

    def fragment(self, entry: Entry) -> bytes:
        """One entry's fragment, indented for its place in a feed."""
        ...

    def head(self, feed: Feed, output: Output) -> tuple[bytes, bytes]:
        """The document around the fragments: everything before them and after them."""
        ...

    def skeleton(self, fragment: bytes) -> bytes:
        """The fragment cut down to what relates entries (ids, links, dates),
        still a fragment of the format: the gate checks how a feed's entries
        relate over these (see gate.py)."""
        ...


#: Format name → its renderer; tests hold it equal to formats.FORMATS.
RENDERERS: dict[str, Renderer] = {r.FORMAT: r for r in (rss, atom, jsonfeed)}


@dataclass(frozen=True)
class Rendered:
    """One document ready to be validated and written."""

    output: Output
    feed: Feed
    #: The document before its entries, and after them.
    head: bytes
    tail: bytes
    #: Each entry's fragment, the same bytes object in every document holding it.
    fragments: tuple[bytes, ...]

    @property
    def separator(self) -> bytes:
        return RENDERERS[self.output.format].SEPARATOR

    @property
    def spans(self) -> Iterator[tuple[int, int, Entry]]:
        """(first line, last line, entry) of each entry's fragment, 1-based, so a
        validator issue at a line can be traced to the entry's input file:line."""
        line = self.head.count(b"\n") + 1
        breaks = self.separator.count(b"\n")
        for fragment, entry in zip(self.fragments, self.feed.entries, strict=True):
            n = fragment.count(b"\n")
            last = line + n - 1 if fragment.endswith(b"\n") else line + n
            yield line, last, entry
            line += n + breaks

    def with_fragments(self, fragments: Sequence[bytes]) -> Rendered:
        """The same document with each entry's fragment replaced (e.g. cut down)."""
        return replace(self, fragments=tuple(fragments))

    def without_entries(self) -> Rendered:
        """The document's head and tail alone: a whole feed with no entries."""
        return replace(self, feed=replace(self.feed, entries=()), fragments=())

    @property
    def chunks(self) -> tuple[bytes, ...]:
        """The document's bytes in the order they follow each other: a build
        compares and writes a large feed without joining it into one more copy."""
        separator = self.separator
        if not separator or len(self.fragments) < 2:
            return (self.head, *self.fragments, self.tail)
        joined = [self.head]
        for fragment in self.fragments:
            joined += (fragment, separator)
        joined[-1] = self.tail
        return tuple(joined)

    @property
    def data(self) -> bytes:
        """The whole document, joined when asked for: a build of a large archive
        holds fragments once, not every document's bytes at the same time."""
        return b"".join(self.chunks)

    def entry_at(self, line: int | None) -> Entry | None:
        """The entry whose fragment holds ``line``, if any."""
        if line is None:
            return None
        for first, last, entry in self.spans:
            if first <= line <= last:
                return entry
        return None


def render_fragment(fmt: str, entry: Entry) -> bytes:
    """One entry's fragment in format ``fmt``, indented for its place."""
    return RENDERERS[fmt].fragment(entry)


def skeleton(fmt: str, fragment: bytes) -> bytes:
    """A fragment of format ``fmt`` cut down to what relates entries."""
    return RENDERERS[fmt].skeleton(fragment)


#: (format, entry id) → the entry's fragment; shared so each is rendered once.
FragmentCache = dict[tuple[str, str], bytes]

#: (format, document path) → the document's head: before the entries and after.
HeadCache = dict[tuple[str, str], tuple[bytes, bytes]]


def _document(
    feed: Feed, output: Output, cache: FragmentCache, heads: HeadCache | None = None
) -> Rendered:
    slot = (output.format, output.path)
    head = heads.get(slot) if heads is not None else None
    if head is None:
        head = RENDERERS[output.format].head(feed, output)
        if heads is not None:
            heads[slot] = head
    before, after = head
    fragments = []
    for entry in feed.entries:
        key = (output.format, entry.id)
        fragment = cache.get(key)
        if fragment is None:
            fragment = cache[key] = RENDERERS[output.format].fragment(entry)
        fragments.append(fragment)
    return Rendered(output, feed, before, after, tuple(fragments))


def render(
    feedset: FeedSet, cache: FragmentCache | None = None, heads: HeadCache | None = None
) -> list[Rendered]:
    """Every document of the feed set, in feed order then format order.

    ``heads`` may hold heads made earlier for these very feeds (the build keeps
    them between runs, as feedgen is slow to make a head); the missing ones
    are made and added to it.
    """
    cache = {} if cache is None else cache
    return [_document(feed, output, cache, heads)
            for feed in feedset.documents for output in feed.outputs]


def distinct_entries(feedset: FeedSet) -> list[Entry]:
    """Every entry that some feed holds, once, newest first."""
    seen: dict[str, Entry] = {}
    for feed in feedset.documents:
        for entry in feed.entries:
            seen.setdefault(entry.id, entry)
    return sorted(seen.values(), key=lambda e: e.published, reverse=True)


def render_union(main: Feed, cache: FragmentCache, entries: list[Entry], fmt: str) -> Rendered:
    """One document in format ``fmt`` holding ``entries`` once, under the head of
    ``main`` (the main feed) made for them.

    The build gate validates each entry's fragment once in these, instead of
    once per feed that holds it (design: "validate each distinct fragment once").
    """
    union = replace(main, entries=tuple(entries))
    [output] = [o for o in union.outputs if o.format == fmt]
    return _document(union, output, cache)
