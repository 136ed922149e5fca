"""The model: frozen Entry, Author, Feed, FeedSet, and the pure helpers that
make slugs, permalinks and ids (ids never change once published)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from datetime import tzinfo
from urllib.parse import quote
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Author:
    """A person credited with an entry or a feed."""

    #: Display name.
    name: str
    #: E-mail address, when the author wants it published (RSS ``<author>`` needs one).
    email: str | None = None
    #: Home page.
    uri: str | None = None


@dataclass(frozen=True)
class Entry:
    """One post, normalised: every date aware, every URL absolute."""

    #: Atom ``<id>``: a ``tag:`` URI (RFC 4151) unless the input pinned one.
    id: str
    #: Title, exactly as written (U+2011 and friends kept).
    title: str
    #: Absolute permalink; also the RSS ``<guid>``.
    url: str
    #: Plain-text summary.
    summary: str
    #: Publication time, timezone-aware.
    published: datetime
    #: Last update, timezone-aware and >= published, when the input says so.
    updated: datetime | None = None
    #: Full content as HTML, when the input has it.
    content: str | None = None
    #: Authors, in order.
    authors: tuple[Author, ...] = ()
    #: Tags, in order, without duplicates.
    tags: tuple[str, ...] = ()
    #: Reading time in minutes.
    reading_time: int | None = None
    #: Word count.
    word_count: int | None = None
    #: Whether the input pinned ``id`` (then the RSS guid is that id too,
    #: unless ``pinned_guid`` says otherwise).
    pinned_id: bool = False
    #: The RSS guid the input pinned apart from ``id`` (``guid:``), so a post
    #: whose Atom id and RSS guid were different values keeps both.
    pinned_guid: str | None = None
    #: Where the entry came from, ``file:line``, for error messages.
    source: str = ""

    @property
    def last_modified(self) -> datetime:
        """Atom's ``<updated>``: the update time, or the publication time."""
        return self.updated or self.published

    @property
    def rss_guid(self) -> tuple[str, bool]:
        """The RSS ``<guid>`` and its ``isPermaLink``: the pinned guid, else
        the pinned id, else the permalink; a guid equal to the permalink is
        one (``isPermaLink="true"``)."""
        guid = self.pinned_guid or (self.id if self.pinned_id else self.url)
        return guid, guid == self.url

    def without_content(self) -> Entry:
        """``replace(self, content=None)``: what a build keeps of an entry once
        its fragments are made (``pipeline._without_contents``).

        Made by copying the fields, not through ``__init__``: a build makes
        one per entry, and ``replace`` costs about four times as much (50k
        entries: 0.50 s against 0.13 s, benchmarks/README.md).  Entry is a
        plain frozen dataclass (no slots, no ``__post_init__``);
        tests/test_model.py holds the two equal.
        """
        lean = object.__new__(Entry)
        fields = vars(lean)
        fields.update(vars(self).items())
        fields["content"] = None
        return lean


@dataclass(frozen=True)
class Output:
    """One file a feed is written to."""

    #: The format's name in formats.FORMATS ("rss", "atom", "json").
    format: str
    #: Path relative to the output directory, POSIX style.
    path: str
    #: Absolute URL the file is served at (the self link).
    url: str
    #: The browser stylesheet the document names (``<?xml-stylesheet?>``), as
    #: a URL relative to the document; None for none (JSON, ``browser_view: none``).
    stylesheet: str | None = None


@dataclass(frozen=True)
class Feed:
    """One feed (the main one or a tag's), in every format it is written in."""

    #: "" for the main feed, the tag otherwise.
    tag: str
    title: str
    description: str
    #: The site's home page (the feed's alternate link).
    home_url: str
    language: str
    author: Author
    #: Entries, newest first, already cut to the feed's limit.
    entries: tuple[Entry, ...]
    outputs: tuple[Output, ...]
    #: Absolute URL of a small square image (Atom ``icon``, JSON Feed ``favicon``).
    icon: str | None = None
    #: Absolute URL of a larger image (Atom ``logo``, JSON Feed ``icon``, RSS ``<image>``).
    logo: str | None = None
    #: Copyright notice, plain text (Atom ``rights``, RSS ``<copyright>``).
    copyright: str | None = None
    #: WebSub hubs the feed names (``rel="hub"`` links, JSON Feed ``hubs``).
    hubs: tuple[str, ...] = ()
    #: Its place in an archived feed (RFC 5005), when ``archives`` is on.
    history: History | None = None


@dataclass(frozen=True)
class History:
    """A document's place in an archived feed (RFC 5005 section 4).

    The subscription feed links its newest archive page (``prev-archive``);
    an archive page is marked ``fh:archive`` and links the subscription feed
    (``current``) and the pages before and after it, each in its own format.
    """

    #: Whether the document is an archive page (``<fh:archive/>``).
    archive: bool
    #: (format, relation, URL) of each link the document carries.
    links: tuple[tuple[str, str, str], ...]

    def links_of(self, fmt: str) -> list[tuple[str, str]]:
        """(relation, URL) of each link a document in ``fmt`` carries."""
        return [(rel, url) for f, rel, url in self.links if f == fmt]


@dataclass(frozen=True)
class FeedSet:
    """Every feed one build writes."""

    feeds: tuple[Feed, ...]
    #: The archive pages of archived feeds (RFC 5005), oldest page first per
    #: feed: documents like the feeds, but not listed beside them
    #: (index page, OPML list).
    archives: tuple[Feed, ...] = ()

    @property
    def documents(self) -> tuple[Feed, ...]:
        """Every feed whose documents a build writes: the feeds, then the archive pages."""
        return self.feeds + self.archives


_SEPARATORS = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(title: str) -> str:
    """Lowercase ASCII words joined by ``-``.

    Dashes of every kind (U+2011 non-breaking hyphen, U+2014 em dash, …)
    separate words, so "Zero‑to‑Hero" becomes "zero-to-hero", not "zerotohero";
    apostrophes join ("You're" → "youre", straight or curly alike). Accented
    letters keep their base letter.
    """
    text = _SEPARATORS.sub(" ", title).replace("'", "").replace("\u2019", "")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_WORD.sub("-", text.lower()).strip("-")


def join_url(base_url: str, path: str) -> str:
    """``base_url`` + ``path``, keeping the base's own path (``/blog/`` + ``/posts/x/``)."""
    return base_url.rstrip("/") + "/" + path.lstrip("/")


#: The characters ``quote`` leaves as they are whatever ``safe`` says.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~-]*")


def permalink(base_url: str, pattern: str, slug: str, published: date) -> str:
    """The entry's absolute URL from the permalink pattern.

    The pattern may use ``{slug}``, ``{year}``, ``{month}`` and ``{day}``.
    """
    path = pattern.format(
        # A slug of the characters quote() never escapes (most slugs) is its own quoting.
        slug=slug if _UNQUOTED.fullmatch(slug) else quote(slug, safe=""),
        year=f"{published.year:04d}",
        month=f"{published.month:02d}",
        day=f"{published.day:02d}",
    )
    return join_url(base_url, path)


def tag_uri(url: str, published: date) -> str:
    """An RFC 4151 ``tag:`` URI from the URL's host, the publish date and its path.

    Unlike the URL it does not carry the scheme, so moving the site to https
    or to a new permalink pattern would not change it as long as the old
    value is pinned; it is computed once per entry and never from the clock.
    """
    parts = urlsplit(url)
    specific = parts.path or "/"
    if parts.query:
        specific += "?" + parts.query
    return f"tag:{parts.hostname},{published.isoformat()}:{specific}"


def spread_same_day(
    days: Sequence[date | None], tz: tzinfo, time_of_day: time
) -> list[datetime | None]:
    """Times for date-only entries so no two share a timestamp.

    Entries are given in archive order (newest first).  On each day, the last
    listed keeps ``time_of_day`` and each listed before it is one second later,
    so readers that sort by date keep the archive's order; when that would run
    past midnight, the whole day's run is moved earlier so none leaves its day.
    ``None`` (an entry with its own datetime) stays ``None``.
    """
    counts: dict[date, int] = {}
    for d in days:
        if d is not None:
            counts[d] = counts.get(d, 0) + 1
    seen: dict[date, int] = {}
    out: list[datetime | None] = []
    for d in days:
        if d is None:
            out.append(None)
            continue
        n = counts[d]
        base = datetime.combine(d, time_of_day)
        last_second = datetime.combine(d, time(23, 59, 59))
        base = min(base, last_second - timedelta(seconds=n - 1))
        index = seen.get(d, 0)
        seen[d] = index + 1
        local = base + timedelta(seconds=n - 1 - index)
        out.append(local.replace(tzinfo=tz))
    return out
