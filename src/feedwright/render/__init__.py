"""Render a FeedSet to documents; the only package that imports feedgen.

Each entry's ``<item>`` and ``<entry>`` is rendered once and its bytes are
reused in every feed that holds it (design: "Speed by design").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from feedwright.model import Entry
from feedwright.model import Feed
from feedwright.model import FeedSet
from feedwright.model import Output
from feedwright.render import atom
from feedwright.render import rss

_ENTRY: dict[str, Callable[[Entry], bytes]] = {"rss": rss.item_bytes, "atom": atom.entry_bytes}
_HEAD: dict[str, Callable[[Feed, Output], tuple[bytes, bytes]]] = {
    "rss": rss.head,
    "atom": atom.head,
}


@dataclass(frozen=True)
class Rendered:
    """One document ready to be validated and written."""

    output: Output
    feed: Feed
    data: bytes
    #: (first line, last line, entry) of each entry's fragment, 1-based, so a
    #: validator issue at a line can be traced to the entry's input file:line.
    spans: tuple[tuple[int, int, Entry], ...]

    def entry_at(self, line: int | None) -> Entry | None:
        """The entry whose fragment holds ``line``, if any."""
        if line is None:
            return None
        for first, last, entry in self.spans:
            if first <= line <= last:
                return entry
        return None


def render(feedset: FeedSet) -> list[Rendered]:
    """Every document of the feed set, in feed order then format order."""
    cache: dict[tuple[str, str], bytes] = {}
    out: list[Rendered] = []
    for feed in feedset.feeds:
        for output in feed.outputs:
            before, after = _HEAD[output.format](feed, output)
            parts = [before]
            spans = []
            line = before.count(b"\n") + 1
            for entry in feed.entries:
                key = (output.format, entry.id)
                fragment = cache.get(key)
                if fragment is None:
                    fragment = cache[key] = _ENTRY[output.format](entry)
                parts.append(fragment)
                n = fragment.count(b"\n")
                spans.append((line, line + n - 1, entry))
                line += n
            parts.append(after)
            out.append(Rendered(output, feed, b"".join(parts), tuple(spans)))
    return out
