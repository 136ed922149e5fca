"""An HTML page given instead of a feed: say so, and name the feeds it links to.

People paste a site's address where its feed's belongs.  Such a page is
recognised by its first tag (``<!DOCTYPE html>`` or ``<html>``, after a byte
order mark, blanks, an XML declaration and comments) and read with the
standard library's ``html.parser`` for the feed autodiscovery links in it:
``<link rel="alternate" type="application/rss+xml | application/atom+xml |
application/feed+json" href="…">``, made absolute against the page's
``<base href>`` and the page's own URL, as a browser would.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from typing import Protocol

from feedwright.validator.parse_rules import UNKNOWN_FORMAT
from feedwright.validator.report import Issue

#: Media types of feed autodiscovery links, as the report names the formats.
FEED_TYPES = {
    "application/rss+xml": "RSS",
    "application/atom+xml": "Atom",
    "application/feed+json": "JSON Feed",
}
#: Leading matter before the first tag: BOM, blanks, XML declaration, comments, PIs.
_PROLOGUE = re.compile(rb"(?:\xef\xbb\xbf|\s+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_HTML_START = re.compile(rb"<!doctype\s+html[\s>]|<html[\s>/]", re.IGNORECASE)
_SNIFF = 4096
_CHUNK = 64 * 1024


def looks_like_html(data: bytes) -> bool:
    """True when the document starts as an HTML page does (its first tag only)."""
    head = data[:_SNIFF]
    start = _PROLOGUE.match(head)
    return bool(_HTML_START.match(head, start.end() if start else 0))


class _LinkParser(Protocol):
    """What ``feed_links`` reads from its parser (``_links_parser``)."""

    base: str | None
    links: list[tuple[str, str, str | None]]
    in_body: bool

    def feed(self, data: str) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class FeedLink:
    """One feed a page announces."""

    #: Absolute where the page's URL (or <base>) allows; else as written.
    url: str
    #: The link's media type, one of FEED_TYPES.
    type: str
    #: The link's title attribute, if any.
    title: str | None = None


def _links_parser() -> _LinkParser:
    """A fresh parser of a page's head; html.parser is imported only for a
    page (not by every start of ``feedwright validate``)."""
    from html.parser import HTMLParser

    class _Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.base: str | None = None
            self.links: list[tuple[str, str, str | None]] = []
            self.in_body = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if self.in_body:
                return
            a = {k: (v or "") for k, v in attrs}
            if tag == "body":
                self.in_body = True
            elif tag == "base" and self.base is None and a.get("href", "").strip():
                self.base = a["href"].strip()
            elif tag == "link":
                rels = a.get("rel", "").lower().split()
                media = a.get("type", "").split(";", 1)[0].strip().lower()
                href = a.get("href", "").strip()
                if "alternate" in rels and media in FEED_TYPES and href:
                    self.links.append((href, media, a.get("title") or None))

        handle_startendtag = handle_starttag

    return _Links()


def _text(data: bytes) -> str:
    # The links are ASCII in practice; a wrong guess only garbles a title.
    for codec in ("utf-8", "cp1252"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def feed_links(data: bytes, page_url: str | None = None) -> list[FeedLink]:
    """The feeds a page's autodiscovery links name, in page order, each once.

    ``page_url`` is where the page came from (its URL, or a ``file:`` URL);
    a relative ``href`` stays as written when it is None and the page has no
    absolute ``<base>``.  Reading stops at ``<body>``: the links belong in
    the head, and a page may be large.
    """
    parser = _links_parser()
    text = _text(data)
    for start in range(0, len(text), _CHUNK):
        parser.feed(text[start:start + _CHUNK])
        if parser.in_body:
            break
    parser.close()
    base = page_url or ""
    if parser.base is not None:
        base = urllib.parse.urljoin(base, parser.base)
    seen: dict[str, FeedLink] = {}
    for href, media, title in parser.links:
        url = urllib.parse.urljoin(base, href) if base else href
        seen.setdefault(url, FeedLink(url, media, title))
    return list(seen.values())


_HTML_TAG = re.compile(rb"<html[\s>/]", re.IGNORECASE)


def html_page_issue(data: bytes, page_url: str | None = None) -> Issue:
    """The issue of an HTML page given as a feed: ``unknown-format`` (the code
    any non-feed gets, so JSON consumers need no new one), at its ``<html>``
    tag, naming the feeds the page links to."""
    links = feed_links(data, page_url)
    if not links:
        detail = ("an HTML page, and it announces no feed (no <link rel=\"alternate\"> "
                  "with a feed's type); find the feed's own address on the site")
    else:
        named = ", ".join(f"{link.url} ({FEED_TYPES[link.type]})" for link in links)
        one = len(links) == 1
        detail = (f"an HTML page; it links to {'a feed' if one else f'{len(links)} feeds'}: "
                  f"{named}; validate {'it' if one else 'them'} instead "
                  "(feedwright validate --discover does)")
    head = data[:_SNIFF]
    tag = _HTML_TAG.search(head) or _HTML_START.search(head)
    line = head.count(b"\n", 0, tag.start()) + 1 if tag else None
    r = UNKNOWN_FORMAT
    return Issue(r.severity, r.code, f"{r.message}: {detail}", line, 1 if line else None)
