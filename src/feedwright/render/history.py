"""RFC 5005 archived feeds in a feed's head: ``fh:archive`` and the archive links.

The subscription feed links its newest archive page (``prev-archive``); an
archive page carries ``<fh:archive/>`` and links the subscription feed
(``current``) and the pages before and after it (``prev-archive``,
``next-archive``).  Atom links are the feed's own ``<link>``s; RSS carries
the same as ``atom:link`` in its channel, as it carries its self link.
Which pages exist and what they hold is the feed set's to say
(``feedset._archived``); this module only writes a ``Feed.history`` down.
"""

from __future__ import annotations

from typing import Any

from feedgen.ext.base import BaseExtension
from lxml import etree

from feedwright.model import History

FH_NS = "http://purl.org/syndication/history/1.0"
ATOM_NS = "http://www.w3.org/2005/Atom"


def history_extension(history: History, fmt: str) -> type[BaseExtension]:
    """A feedgen feed extension writing ``history`` into a document of ``fmt``."""
    links = history.links_of(fmt)
    # feedgen writes Atom's elements unqualified under the root's default
    # namespace, and RSS's self link as atom:link: the same here.
    link = "link" if fmt == "atom" else f"{{{ATOM_NS}}}link"

    def add(parent: Any) -> None:
        if history.archive:
            etree.SubElement(parent, f"{{{FH_NS}}}archive")
        for rel, href in links:
            etree.SubElement(parent, link, href=href, rel=rel,
                             type=f"application/{fmt}+xml")

    class Links(BaseExtension):  # type: ignore[misc]
        def extend_ns(self) -> dict[str, str]:
            return {"fh": FH_NS} if history.archive else {}

        def extend_atom(self, feed: Any) -> Any:
            add(feed)
            return feed

        def extend_rss(self, rss: Any) -> Any:
            add(rss[0])  # the channel
            return rss

    return Links


def add_history(fg: Any, history: History | None, fmt: str) -> None:
    """Register ``history``'s extension on the feed generator ``fg``, if any."""
    if history is not None:
        fg.register_extension("history", history_extension(history, fmt),
                              atom=fmt == "atom", rss=fmt == "rss")
