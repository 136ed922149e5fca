"""Atom 1.0 feed and entry, built with feedgen.

Entry ``<updated>`` is the entry's update time (or its publication time) and
the feed's ``<updated>`` the newest of those, never the clock, so the same
input gives the same bytes.
"""

from __future__ import annotations

import copy

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from lxml import etree

from feedwright.formats import FORMATS
from feedwright.model import Author
from feedwright.model import Entry
from feedwright.model import Feed
from feedwright.model import Output
from feedwright.render import fast
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
    """The ``<entry>`` of one entry, indented for its place in ``<feed>``.

    Built with lxml directly (render/fast.py): the bytes of
    ``reference_fragment``, the same elements in feedgen's order (id,
    title, updated, authors, content, link, summary, categories, published,
    then the reading extension: dc:format, dcterms:extent), ~1.5x faster.
    The elements have no namespace, as feedgen's: the document root's
    default namespace (Atom) is what puts them in Atom's.
    """
    # Dates refused first, then a missing id or title, as by feedgen.
    updated = fast.aware(entry.last_modified).isoformat()
    published = fast.aware(entry.published).isoformat()
    if not (entry.id and entry.title):
        raise ValueError("Required fields not set")  # feedgen's refusal, word for word
    root = copy.copy(_ENTRY)
    add = fast.children(root, 1)
    add("id", entry.id)
    add("title", entry.title)
    add("updated", updated)
    for author in entry.authors:
        if not author.name:
            continue  # feedgen leaves out an author without a name (Atom requires one)
        person = add("author", None)
        part = fast.children(person, 2)
        part("name", author.name)
        if author.email:
            part("email", author.email)
        if author.uri:
            part("uri", author.uri)
        fast.close(person, 2)
    content = None  # its bytes go into <content type="html"/>
    if entry.content:
        add("content", None).set("type", "html")
        content = fast.escaped(entry.content)
    # href alone: feedgen means to add rel and type but reads them back from
    # the new element (it rebinds ``link``), so they are never written; its
    # bytes are what is held (Atom's default rel is "alternate" anyway).
    add("link", None).set("href", entry.url)
    if entry.summary or not entry.content:
        # An entry with neither summary nor content gets its title as summary.
        add("summary", entry.summary or entry.title)
    for tag in entry.tags:
        add("category", None).set("term", tag)
    add("published", published)
    fast.reading(add, entry)
    fast.close(root, 1)
    data = fast.bare(etree.tostring(root, encoding="utf-8"), _DECLARED, "entry")
    if content is not None:
        data = fast.fill(data, b'<content type="html"/>', content)
    return b"  " + data + b"\n"


_ENTRY, _DECLARED = fast.template("entry", NSMAP)


def reference_fragment(entry: Entry) -> bytes:
    """The ``<entry>`` of one entry as feedgen renders it: the reference that
    ``fragment``'s bytes are held to (tests/render/test_fastpath.py)."""
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
