"""Atom 1.0 feed and entry, built with feedgen.

Entry ``<updated>`` is the entry's update time (or its publication time) and
the feed's ``<updated>`` the newest of those, never the clock, so the same
input gives the same bytes.
"""

from __future__ import annotations

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from feedwright.formats import FORMATS
from feedwright.model import Author
from feedwright.model import Entry
from feedwright.model import Feed
from feedwright.model import Output
from feedwright.render.browser import with_stylesheet
from feedwright.render.extension import ReadingStats
from feedwright.render.extension import namespaces_only
from feedwright.render.fragments import DC_NS
from feedwright.render.fragments import DCTERMS_NS
from feedwright.render.fragments import element_bytes
from feedwright.render.fragments import line_skeleton
from feedwright.render.fragments import split_head
from feedwright.render.history import add_history

FORMAT = "atom"
#: Entries follow each other with nothing between them.
SEPARATOR = b""
#: An entry cut down to what relates entries: id, link, dates.
skeleton = line_skeleton("id", "link", "updated", "published")

#: Prefixed namespaces declared on every Atom document's root (Atom itself is the default).
NSMAP = {"dc": DC_NS, "dcterms": DCTERMS_NS}


def _person(author: Author) -> dict[str, str]:
    return {k: v for k, v in (("name", author.name), ("email", author.email),
                              ("uri", author.uri)) if v}


def fragment(entry: Entry) -> bytes:
    """The ``<entry>`` of one entry, indented for its place in ``<feed>``."""
    fe = FeedEntry()
    fe.id(entry.id)
    fe.title(entry.title)
    fe.updated(entry.last_modified)
    fe.published(entry.published)
    fe.link(href=entry.url, rel="alternate", type="text/html")
    if entry.summary or not entry.content:
        # An entry with neither summary nor content gets its title as summary:
        # readers need some text to show (W3C's MissingTextualContent).
        fe.summary(entry.summary or entry.title)
    if entry.content:
        fe.content(entry.content, type="html")
    for author in entry.authors:
        fe.author(_person(author))
    for tag in entry.tags:
        fe.category(term=tag)
    fe.register_extension("reading", ReadingStats, atom=True, rss=False)
    fe.reading.set(entry.reading_time, entry.word_count)
    return element_bytes(fe.atom_entry(), level=1, declared=NSMAP)


def _hub_links(fg: FeedGenerator, hubs: tuple[str, ...]) -> None:
    """WebSub discovery: a ``<link rel="hub">`` per hub, after the self link
    (WebSub 4: a topic names its hubs and its self URL; README, "WebSub")."""
    for hub in hubs:
        fg.link(href=hub, rel="hub")


def head(feed: Feed, output: Output) -> tuple[bytes, bytes]:
    """The document around the entries: everything before them and after them."""
    fg = FeedGenerator()
    fg.register_extension("declare", namespaces_only(NSMAP), atom=True, rss=False)
    # The self URL is the feed's id: stable while the feed lives at that URL,
    # and moving a feed makes a new feed for every reader anyway.
    fg.id(output.url)
    fg.title(feed.title)
    fg.subtitle(feed.description)
    fg.author(_person(feed.author))
    fg.link(href=output.url, rel="self", type=FORMATS[FORMAT].media_type)
    _hub_links(fg, feed.hubs)
    fg.link(href=feed.home_url, rel="alternate", type="text/html")
    fg.language(feed.language)
    fg.generator("feedwright")
    add_history(fg, feed.history, FORMAT)  # RFC 5005 archive links, when archived
    if feed.icon:
        fg.icon(feed.icon)
    if feed.logo:
        fg.logo(feed.logo)
    if feed.copyright:
        fg.rights(feed.copyright)
    fg.updated(max(e.last_modified for e in feed.entries))
    document: bytes = fg.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    document = with_stylesheet(document, output)  # the browser view, when there is one
    return split_head(document, b"</feed>")
