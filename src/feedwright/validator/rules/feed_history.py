"""Feed paging and archiving (RFC 5005, ``fh:``): complete feeds, archives, paged feeds.

RFC 5005 gives three ways to hold a feed's history: a *complete* feed
(``<fh:complete/>``: every entry is here, nothing to page through), *paged*
feeds (``first``, ``previous``, ``next``, ``last`` links) and *archived* feeds
(``<fh:archive/>`` documents chained by ``prev-archive``/``next-archive``,
each pointing to the ``current`` subscription document).  Readers that
reconcile history (or rebuild it) follow these links; contradictions make
them stop early, loop, or drop entries.  W3C checks these in ``feed.py`` and
``link.py`` for Atom feeds.  Each rule first looks at the bytes (the
``fh:`` namespace, or a paging relation) and returns at once without them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urljoin

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._blog_ext import head
from feedwright.validator.rules._blog_ext import uses
from feedwright.validator.rules._xml import A
from feedwright.validator.rules._xml import base_in_scope
from feedwright.validator.rules._xml import rel_of

FH_NS = "http://purl.org/syndication/history/1.0"
FH = f"{{{FH_NS}}}"
#: The link relations RFC 5005 uses.
PAGING_RELS = ("current", "first", "last", "next", "next-archive", "prev-archive", "previous")
_PAGING_REL_BYTES = re.compile(
    rb"""rel\s*=\s*["'](?:current|first|last|next|next-archive|prev-archive|previous)["']""")
_FORMATS = ("atom1",)
#: RFC 5005 section 1: the same mechanisms apply to RSS 2.0 through
#: ``atom:link`` in the channel.  W3C checks archives and complete feeds in
#: Atom only (feed.py); the rules below that judge a document's own
#: archive or completeness judge RSS 2.0 too, as feedwright writes RSS
#: archive pages (README, "Archives"), and a reader walking an RSS archive
#: meets the same contradictions.
_HISTORY_FORMATS = ("atom1", "rss2")


def _mentions_paging(doc: Document) -> bool:
    """Whether any link in the document may carry an RFC 5005 relation (one regex pass)."""
    def find() -> bool:
        data = doc.data
        if b"\x00" in data[:4]:  # UTF-16: search the decoded tree instead
            return True
        return _PAGING_REL_BYTES.search(data) is not None

    return bool(doc.memo("fh:paging-rels", find))


def _links(feed: etree._Element) -> list[etree._Element]:
    return list(feed.iterchildren(A + "link"))


def _href(link: etree._Element) -> str:
    """The link's target, resolved against xml:base as W3C compares them."""
    href = (link.get("href") or "").strip()
    base = base_in_scope(link)
    try:
        return urljoin(base, href) if base else href
    except ValueError:  # a malformed IPv6 host: compared as written
        return href


def _head_links(doc: Document) -> list[etree._Element]:
    """The links of the feed itself: Atom ``<feed>``'s, RSS ``<channel>``'s ``atom:link``."""
    feed = head(doc)
    return [] if feed is None else _links(feed)


def _self_uris(links: list[etree._Element]) -> set[str]:
    return {_href(li) for li in links if rel_of(li) == "self"}


def _flag(doc: Document, name: str) -> etree._Element | None:
    if not uses(doc, FH_NS):
        return None
    feed = head(doc)
    return next(feed.iterchildren(FH + name), None) if feed is not None else None


@rule("fh-paging-link-in-entry", "warning",
      "feed paging link (RFC 5005) inside an entry", formats=_FORMATS,
      w3c=("FeedHistoryRelInEntry",))
def paging_link_in_entry(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `current`, `first`, `last`, `next`, `previous`, `prev-archive` and
    `next-archive` link feed documents to each other (RFC 5005); readers
    look for them on the feed, not on entries (W3C: FeedHistoryRelInEntry).
    In an entry they are never followed, so the history they describe is
    lost; if the entry meant "the next post", `related` says so.

    ## How to fix
    Move the link to the `<feed>` element, or give the entry's link a
    relation that describes it (`related`, `alternate`).
    """
    if not _mentions_paging(doc):
        return
    for entry in doc.root.iterchildren(A + "entry"):
        for li in entry.iterchildren(A + "link"):
            if rel_of(li) in PAGING_RELS:
                yield Finding(node=li, detail=f"rel={rel_of(li)!r}")


@rule("fh-link-past-end", "error",
      "paged feed links past its own end", formats=_FORMATS, w3c=("LinkPastEnd",))
def link_past_end(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A feed whose `first` link is itself is the first page: it can have no
    `previous` page; one whose `last` link is itself can have no `next`
    (RFC 5005 section 3; W3C: LinkPastEnd). Readers that page through
    history follow the extra link and loop, or fetch a page that
    contradicts this one.

    ## How to fix
    Remove the `previous` link from the first page and the `next` link
    from the last page (or correct the `first`/`last` links).
    """
    if not _mentions_paging(doc):
        return
    links = _links(doc.root)
    selves = _self_uris(links)
    rels = {rel_of(li) for li in links}
    for li in links:
        rel = rel_of(li)
        if rel == "first" and _href(li) in selves and "previous" in rels:
            yield Finding(node=li, detail="rel=\"first\" is this feed, yet it has a previous page")
        if rel == "last" and _href(li) in selves and "next" in rels:
            yield Finding(node=li, detail="rel=\"last\" is this feed, yet it has a next page")


@rule("fh-paging-in-complete-feed", "error",
      "complete feed (fh:complete) has paging or archive links", formats=_HISTORY_FORMATS,
      w3c=("FeedRelInCompleteFeed",))
def paging_in_complete_feed(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<fh:complete/>` says every entry of the feed is in this document
    (RFC 5005 section 2): readers may drop entries they hold that are not
    in it. A complete feed therefore has no other pages or archives to
    fetch; `first`, `next`, `prev-archive`… contradict it (W3C:
    FeedRelInCompleteFeed), and a reader either ignores them or stops
    trusting the feed's completeness.

    ## How to fix
    Remove `<fh:complete/>` if the feed is paged or archived, or remove
    the paging and archive links if it really is complete.
    """
    if _flag(doc, "complete") is None:
        return
    for li in _head_links(doc):
        rel = rel_of(li)
        if rel in PAGING_RELS and rel != "current":
            yield Finding(node=li, detail=f"rel={rel!r}")


@rule("fh-complete-current-not-self", "error",
      "complete feed's current link is not the feed itself", formats=_HISTORY_FORMATS,
      w3c=("CurrentNotSelfInCompleteFeed",))
def complete_current_not_self(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A complete feed (`<fh:complete/>`) is its own subscription document, so
    a `current` link, if present, must point to itself (RFC 5005 section 2;
    W3C: CurrentNotSelfInCompleteFeed). Pointing elsewhere tells readers to
    subscribe to another document, which then contradicts "complete".

    ## How to fix
    Make the `current` link's `href` equal to the `self` link's, or remove
    the `current` link.
    """
    if _flag(doc, "complete") is None:
        return
    links = _head_links(doc)
    selves = _self_uris(links)
    for li in links:
        if rel_of(li) == "current" and _href(li) not in selves:
            yield Finding(node=li, detail=repr(_href(li)))


def _archive_rels(doc: Document) -> set[str] | None:
    """The feed's link relations, when it is an archive document not marked complete."""
    if _flag(doc, "archive") is None or _flag(doc, "complete") is not None:
        return None
    return {rel_of(li) for li in _head_links(doc)}


@rule("fh-archive-incomplete", "warning",
      "archive document (fh:archive) links to no other archive", formats=_HISTORY_FORMATS,
      w3c=("ArchiveIncomplete",))
def archive_incomplete(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Archived feeds are chained: each archive document links to the one
    before (`prev-archive`) and after (`next-archive`), unless it is
    complete on its own (RFC 5005 section 4; W3C: ArchiveIncomplete).
    Without either link, a reader that rebuilds history reaches this
    archive and stops there, missing everything older.

    ## How to fix
    Add `<link rel="prev-archive" href="…"/>` (and `next-archive` where a
    newer archive exists), or `<fh:complete/>` if this document holds the
    whole history.
    """
    rels = _archive_rels(doc)
    if rels is not None and not rels & {"prev-archive", "next-archive"}:
        yield Finding(node=_flag(doc, "archive"))


@rule("fh-archive-without-current", "warning",
      "archive document (fh:archive) has no current link", formats=_HISTORY_FORMATS,
      w3c=("MissingCurrentInArchive",))
def archive_without_current(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    An archive document should point to the feed readers subscribe to with
    a `current` link (RFC 5005 section 4; W3C: MissingCurrentInArchive);
    a reader that reaches the archive first (from a search, a link) has no
    way to find the live feed.

    ## How to fix
    Add `<link rel="current" href="https://example.org/feed.atom"/>` naming
    the subscription document.
    """
    rels = _archive_rels(doc)
    if rels is not None and "current" not in rels:
        yield Finding(node=_flag(doc, "archive"))


#: The relations a reader walking an archived feed follows to another document.
_WALKED = ("prev-archive", "next-archive", "current")


@rule("fh-archive-link-to-itself", "error",
      "archive link (RFC 5005) points to the document itself", formats=_HISTORY_FORMATS)
def archive_link_to_itself(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A reader rebuilding a feed's history (RFC 5005 section 4) starts at the
    subscription document and follows `prev-archive` from archive to
    archive until there is none. A `prev-archive` or `next-archive` link
    back to the document itself (its `self` link) sends that walk round in
    a loop, or ends it there with every older archive missed; a `current`
    link to itself in an archive (`fh:archive`) says the archive is the
    subscription document, so a reader that subscribes there gets no new
    entries. The W3C validator does not check this.

    ## How to fix
    Point `prev-archive` at the archive just before this one and
    `next-archive` at the one just after (leave out what does not exist),
    and `current` at the feed readers subscribe to.
    """
    # The head's few links first, then the byte scan of the whole document
    # (``_mentions_paging``: 50 ms on a 79 MB feed) only when one of them
    # leads to another document, which few feeds' heads do.
    links = _head_links(doc)
    if not any(rel_of(li) in _WALKED for li in links) or not _mentions_paging(doc):
        return
    selves = _self_uris(links)
    if not selves:
        return
    archive = _flag(doc, "archive") is not None and _flag(doc, "complete") is None
    for li in links:
        rel = rel_of(li)
        if rel in _WALKED and (rel != "current" or archive) and _href(li) in selves:
            yield Finding(node=li, detail=f"rel={rel!r} href={_href(li)!r}")
