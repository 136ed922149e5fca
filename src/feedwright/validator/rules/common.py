"""Rules for both RSS 2.0 and Atom 1.0: dates and ordering, self links, link values.

`date-in-future`, `entries-not-newest-first` and `feed-date-not-newest-entry`
are part of the build gate's contract: their codes must not change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from urllib.parse import urljoin
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.document import JsonDocument
from feedwright.validator.json_position import Path
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._dates import atom_all_dates
from feedwright.validator.rules._dates import atom_date
from feedwright.validator.rules._dates import atom_dated_entries
from feedwright.validator.rules._dates import atom_entries
from feedwright.validator.rules._dates import rss_all_dates
from feedwright.validator.rules._dates import rss_date
from feedwright.validator.rules._dates import rss_dated_entries
from feedwright.validator.rules._json import JSONFEED
from feedwright.validator.rules._json import dated_items
from feedwright.validator.rules._syntax import contact_email
from feedwright.validator.rules._syntax import is_absolute
from feedwright.validator.rules._syntax import is_mime_type
from feedwright.validator.rules._syntax import language_problem
from feedwright.validator.rules._syntax import unqualified_email
from feedwright.validator.rules._xml import ATOM
from feedwright.validator.rules._xml import BOTH
from feedwright.validator.rules._xml import DC
from feedwright.validator.rules._xml import A
from feedwright.validator.rules._xml import atom_links
from feedwright.validator.rules._xml import base_in_scope
from feedwright.validator.rules._xml import by_tag
from feedwright.validator.rules._xml import channel
from feedwright.validator.rules._xml import children
from feedwright.validator.rules._xml import contact_nodes
from feedwright.validator.rules._xml import entries
from feedwright.validator.rules._xml import first
from feedwright.validator.rules._xml import items
from feedwright.validator.rules._xml import rel_of
from feedwright.validator.rules._xml import text

#: W3C's ImplausibleDate tolerance for clocks and time zones.
FUTURE_TOLERANCE = timedelta(days=1)
#: Before the web: W3C's ImplausibleDate floor.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)


def _all_dates(doc: Document) -> list[tuple[etree._Element, datetime]]:
    """``all_dates``, found once for the two rules that judge every date."""
    found: list[tuple[etree._Element, datetime]] = doc.memo(
        "common.all_dates", lambda: atom_all_dates(doc) if doc.format == "atom1"
        else rss_all_dates(doc))
    return found


@rule("date-in-future", "warning", "date is in the future", formats=BOTH,
      w3c=("ImplausibleDate",))
def date_in_future(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    A future date pins the entry to the top of every reader's list until
    that day comes (W3C: ImplausibleDate, over a day ahead), and some
    readers hide it until then; more than 24 hours ahead, NetNewsWire
    ignores the date and uses the time it fetched the entry, while Feedbin
    and selfoss clamp it to now (NetNewsWire#2808, fossar/selfoss#1452), so
    the post shows a date it never had. It usually means a wrong time zone
    or a scheduled post published early. Third-party feeds get a day's
    slack for clocks and zones; with `--strict` (and in builds) any date
    after now counts.

    ## How to fix
    Check the time zone of the dates, and publish scheduled posts only once
    their time has come.
    """
    limit = doc.now if doc.strict else doc.now + FUTURE_TOLERANCE
    for node, when in _all_dates(doc):
        if when > limit:
            yield Finding(node=node, detail=text(node))


@rule("implausible-date", "warning", "date is before 1990", formats=BOTH,
      w3c=("ImplausibleDate",))
def implausible_date(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    No feed predates the web (W3C: ImplausibleDate); a date in 1970 or
    0001 is a zero or null timestamp that readers sort to the bottom.

    ## How to fix
    Emit the entry's real date, or leave the element out when unknown.
    """
    for node, when in _all_dates(doc):
        if when < EARLIEST:
            yield Finding(node=node, detail=text(node))


@rule("entries-not-newest-first", "warning", "entries are not ordered newest first",
      formats=(*BOTH, *JSONFEED), scope="relation")
def entries_not_newest_first(doc: Document | JsonDocument) -> Iterator[Finding]:
    """## Why it matters
    Readers that keep the feed's order (and feeds cut to the latest N
    entries) expect newest first; out of order, a new post can be cut off or
    buried. The sort date is `<pubDate>` in RSS, `<published>` (else
    `<updated>`) in Atom, `date_published` (else `date_modified`) in JSON
    Feed; equal dates are fine.

    ## How to fix
    Sort entries by date, newest first, before writing the feed.
    """
    dated: list[tuple[etree._Element, datetime]] | list[tuple[Path, datetime]]
    if isinstance(doc, JsonDocument):
        dated = dated_items(doc)
    else:
        dated = (atom_dated_entries(doc) if doc.format == "atom1"
                 else rss_dated_entries(doc))
    oldest: datetime | None = None
    for entry, when in dated:
        if oldest is not None and when > oldest:
            if isinstance(entry, tuple):
                yield Finding(path=entry, detail="newer than an item above it")
            else:
                yield Finding(node=entry, detail="newer than an entry above it")
            return
        if oldest is None or when < oldest:  # min(oldest, when), without a call per entry
            oldest = when


@rule("feed-date-not-newest-entry", "warning",
      "feed date is not the newest entry's date", formats=BOTH, scope="relation", feed_only=True)
def feed_date_not_newest_entry(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    feedwright's own standard (checked with `--strict` and in builds): the
    feed's date is the newest entry's date, never the wall clock, so the
    same input gives byte-identical feeds and deploys do not churn, and
    readers' "has anything changed?" checks stay truthful. Atom: feed
    `<updated>` equals the newest entry `<updated>`. RSS items carry only
    their `<pubDate>`, not when they were last changed, so an RSS feed
    whose newest change is an edit has a `<lastBuildDate>` (else channel
    `<pubDate>`) later than every item's: RSS is held to "not older than
    the newest item `<pubDate>`" (an older one tells readers nothing new
    was built when something was).

    ## How to fix
    Set the feed date from the newest entry when building the feed: the
    newest of the entries' updated (else published) dates, in RSS and Atom
    alike, so the two agree.
    """
    if not doc.strict:
        return
    if doc.format == "atom1":
        node = first(doc.root, A + "updated")
        feed_when = atom_date(node)
        dates = [e.updated for e in atom_entries(doc)]
    else:
        ch = channel(doc.root)
        node = first(ch, "lastBuildDate")
        if node is None:
            node = first(ch, "pubDate")
        feed_when = rss_date(node)
        dates = [when for _item, when in rss_dated_entries(doc)]
    newest = max((d for d in dates if d is not None), default=None)
    if node is not None and feed_when is not None and newest is not None:
        # RSS: a later date may be an edit the items cannot show; only older is wrong
        if feed_when < newest if doc.format != "atom1" else feed_when != newest:
            yield Finding(node=node, detail=f"{text(node)}, newest entry is {newest.isoformat()}")


# --- self links -----------------------------------------------------------


def _feed_element(doc: Document) -> etree._Element | None:
    return doc.root if doc.format == "atom1" else channel(doc.root)


def _self_links(doc: Document) -> list[etree._Element]:
    return [li for li in atom_links(_feed_element(doc)) if rel_of(li) == "self"]


def _normal(url: str) -> str:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port not in (None, {"http": 80, "https": 443}.get(scheme)) else None
    netloc = host + (f":{port}" if port else "")
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def _resolved(link: etree._Element, fallback: str | None) -> str:
    href = (link.get("href") or "").strip()
    base = base_in_scope(link)
    if base is not None:
        href = urljoin(urljoin(fallback or "", base.strip()), href)
    elif fallback:
        href = urljoin(fallback, href)
    return href


@rule("self-link-mismatch", "warning", "self link does not match the feed's URL",
      formats=(*BOTH, *JSONFEED),
      w3c=("SelfDoesntMatchLocation",))
def self_link_mismatch(doc: Document | JsonDocument) -> Iterator[Finding]:
    """## Why it matters
    Readers that honour the self link (JSON Feed's `feed_url`) re-subscribe
    to it (W3C: SelfDoesntMatchLocation); if it names another URL (a staging
    host, an old path), subscribers silently move there. Checked only when
    the feed was fetched from a URL.

    ## How to fix
    Make `rel="self"` (or `feed_url`) the exact public URL the feed is served from.
    """
    if not doc.location:
        return
    here = _normal(doc.location)
    if isinstance(doc, JsonDocument):
        url = doc.feed.get("feed_url")
        if isinstance(url, str) and _normal(urljoin(doc.location, url)) != here:
            yield Finding(path=("feed_url",), detail=f"{url!r}, fetched from {doc.location!r}")
        return
    for li in _self_links(doc):
        try:
            there = _normal(_resolved(li, doc.location))
        except ValueError:
            there = ""
        if there != here:
            yield Finding(node=li, detail=f"{li.get('href')!r}, fetched from {doc.location!r}")


@rule("relative-self-link", "warning", "self link is a relative URL", formats=BOTH,
      w3c=("RelativeSelf",))
def relative_self_link(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The self link exists so a copy of the feed can say where it lives
    (W3C: RelativeSelf); a relative href only means something next to the
    original, and many readers do not resolve it at all.

    ## How to fix
    Write the full URL: `href="https://example.org/feed.xml"`.
    """
    for li in _self_links(doc):
        href = (li.get("href") or "").strip()
        base = base_in_scope(li)
        if not is_absolute(href) and not (base is not None and is_absolute(base)):
            yield Finding(node=li, detail=repr(href))


_FEED_TYPES = ("application/atom+xml", "application/rss+xml", "application/rdf+xml")


@rule("self-link-not-feed-type", "warning", "self link type is not a feed media type",
      formats=BOTH,
      w3c=("SelfNotAtom",))
def self_link_not_feed_type(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    The self link points at this feed, so its `type` must be a feed type
    (W3C: SelfNotAtom); `text/html` tells readers it is a web page.

    ## How to fix
    Use `type="application/atom+xml"` in Atom and
    `type="application/rss+xml"` in RSS, or leave `type` out.
    """
    for li in _self_links(doc):
        t = li.get("type")
        if t is not None and is_mime_type(t) and t.split(";")[0].strip().lower() not in _FEED_TYPES:
            yield Finding(node=li, detail=repr(t))


# --- link relations, media types, languages, relative URIs ----------------

REGISTERED_RELS = frozenset(
    "alternate appendix archives author bookmark canonical chapter contents copyright "
    "current describedby edit edit-media enclosure first glossary help hub icon index last "
    "latest-version license next next-archive payment preview previous prev-archive "
    "privacy-policy related replies search section self service start stylesheet "
    "subsection terms-of-service up version-history via webmention".split()
)


def _all_atom_links(doc: Document) -> list[etree._Element]:
    """Every atom:link of the feed and its entries (RSS: channel and items),
    found once for the four rules that judge them all."""
    found: list[etree._Element] = doc.memo("common.atom_links",
                                           lambda: list(_walk_atom_links(doc)))
    return found


def _walk_atom_links(doc: Document) -> Iterator[etree._Element]:
    if doc.format == "atom1":
        for parent in (doc.root, *entries(doc.root)):
            yield from atom_links(parent)
    else:
        ch = channel(doc.root)
        yield from atom_links(ch)
        for it in children(ch, "item"):
            yield from atom_links(it)


@rule("unregistered-link-rel", "warning", "link relation is not registered", formats=BOTH,
      w3c=("UnregisteredAtomLinkRel",))
def unregistered_link_rel(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers act only on relations they know (IANA's Link Relations
    registry; W3C: UnregisteredAtomLinkRel); a made-up or misspelt `rel`
    such as `alternative` is ignored, and the link with it.

    ## How to fix
    Use a registered relation (`alternate`, `self`, `related`,
    `enclosure`, `via`, …) or a full URI for an extension relation.
    """
    for li in _all_atom_links(doc):
        rel = rel_of(li)
        if rel not in REGISTERED_RELS and not is_absolute(rel):
            yield Finding(node=li, detail=repr(rel))


def _typed_nodes(doc: Document) -> Iterator[tuple[etree._Element, str]]:
    for li in _all_atom_links(doc):
        if li.get("type") is not None:
            yield li, li.get("type") or ""
    if doc.format == "atom1":
        for e in entries(doc.root):
            for c in children(e, A + "content"):
                t = c.get("type")
                if t is not None and t.strip() not in ("text", "html", "xhtml"):
                    yield c, t
    else:
        for it in items(doc.root):
            for enc in children(it, "enclosure"):
                if enc.get("type") is not None:
                    yield enc, enc.get("type") or ""


@rule("invalid-mime-type", "error", "not a valid media (MIME) type", formats=BOTH,
      w3c=("InvalidMIMEType", "InvalidMIMEAttribute", "InvalidMediaRange"))
def invalid_mime_type(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers choose how to handle a link, enclosure or content by its media
    type (W3C: InvalidMIMEType, InvalidMIMEAttribute); `mp3` or `audio`
    alone matches nothing, so podcasts do not play.

    ## How to fix
    Use `type/subtype`, e.g. `audio/mpeg`, `image/png`, `text/html`. For
    Atom `<content>`, `text`, `html` and `xhtml` are also allowed.
    """
    for node, value in _typed_nodes(doc):
        if not is_mime_type(value):
            yield Finding(node=node, detail=repr(value))


#: Every xml:lang attribute, in document order (each knows its element): the
#: attribute axis is told at C speed, 2.5 times faster than asking every
#: element whether it has one (``//*[@xml:lang]``).
_LANG_ATTRS = etree.XPath("descendant-or-self::*/@xml:lang")
_LANGUAGE_TAGS = ("language", DC + "language")


@rule("invalid-language", "error", "not a valid language code", formats=BOTH,
      w3c=("InvalidLanguage",))
def invalid_language(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers use the language for fonts, hyphenation, text-to-speech and
    translation (W3C: InvalidLanguage); `English` or `en_US` is not
    understood, so they guess.

    ## How to fix
    Use an RFC 5646 tag built on ISO 639: `en`, `en-GB`, `pt-BR`, `zh-Hant`.
    """
    ch = channel(doc.root) if doc.format != "atom1" else None
    nodes: list[tuple[etree._Element, str]] = []
    if ch is not None:
        for p in (ch, *children(ch, "item")):
            get = by_tag(p).get
            for tag in _LANGUAGE_TAGS:
                found = get(tag)
                if found:  # rare in an item: no list made for nothing
                    nodes += [(n, text(n)) for n in found]
    result = _LANG_ATTRS(doc.root)
    if isinstance(result, list):
        for attr in result:
            if isinstance(attr, etree._ElementUnicodeResult):
                el = attr.getparent()
                if el is not None:
                    nodes.append((el, str(attr)))
    for li in _all_atom_links(doc):
        if li.get("hreflang") is not None:
            nodes.append((li, li.get("hreflang") or ""))
    for node, value in nodes:
        if node.tag == "language" or value.strip():
            problem = language_problem(value)
            if problem is not None:
                yield Finding(node=node, detail=problem)


_ATOM_URI_ATTRS = {A + "link": "href", A + "content": "src"}
_ATOM_URI_ELEMENTS = (A + "icon", A + "logo", A + "uri")


@rule("atom-relative-uri-without-base", "warning",
      "relative URI with no xml:base to resolve it", formats=ATOM,
      w3c=("ContainsRelRef",))
def relative_uri_without_base(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Atom resolves relative URIs against `xml:base`, else against wherever
    the feed was fetched from. Copies, caches, e-mail digests and readers
    with partial `xml:base` support (NetNewsWire#5088; the e-mail services
    of jekyll-feed#395) do not know that address, so links like `/posts/1/`
    break.

    ## How to fix
    Write absolute URLs, or set `xml:base="https://example.org/"` on
    `<feed>`.
    """
    for el in doc.root.iter(*_ATOM_URI_ATTRS, *_ATOM_URI_ELEMENTS):
        attr = _ATOM_URI_ATTRS.get(el.tag)
        value = (el.get(attr) if attr else text(el)) or ""
        value = value.strip()
        if value and not is_absolute(value) and not rel_self(el):
            base = base_in_scope(el)
            if base is None or not is_absolute(base):
                yield Finding(node=el, detail=repr(value))


def rel_self(el: etree._Element) -> bool:
    """True for a feed's self link (relative-self-link reports those)."""
    parent = el.getparent()
    return (
        el.tag == A + "link" and rel_of(el) == "self"
        and parent is not None and parent.tag == A + "feed"
    )


_DIGITS = re.compile(r"[0-9]+")


@rule("invalid-link-length", "error", "atom:link length is not a whole number of bytes",
      formats=BOTH, w3c=("InvalidNonNegativeInteger",))
def invalid_link_length(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `length` is the linked resource's size in octets, a non-negative
    integer (RFC 4287 4.2.7.6; W3C: InvalidNonNegativeInteger). Podcast
    clients use it to show download sizes and reserve space; `-1`, `1.5 MB`
    or `unknown` makes them show nonsense or skip the download.

    ## How to fix
    Write the size in bytes (`length="1234567"`), or leave `length` out
    when it is not known: it is optional.
    """
    for li in _all_atom_links(doc):
        value = li.get("length")
        if value is not None and not _DIGITS.fullmatch(value.strip()):
            yield Finding(node=li, detail=repr(value))


def _addresses(doc: Document) -> Iterator[tuple[etree._Element, str]]:
    """(element, the e-mail address it gives) for Atom people and RSS contacts."""
    if doc.format == "atom1":
        for person in doc.root.iter(A + "author", A + "contributor"):
            for node in children(person, A + "email"):
                yield node, (node.text or "").strip()
        return
    for node in contact_nodes(doc.root):
        addr = contact_email((node.text or "").strip())[0]
        if addr is not None:
            yield node, addr


@rule("email-unqualified-host", "warning", "e-mail address is at a host no one else can reach",
      formats=BOTH, w3c=("UnknownHost",))
def email_unqualified_host(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `jane@example` is a well-formed address (RFC 5322 allows a one-label
    domain), but such a host exists only inside one network: mail from
    readers' `mailto:` links bounces (W3C: UnknownHost, which it finds by
    looking the host up; feedwright never looks anything up, and judges
    the name's shape).

    ## How to fix
    Give the address's full domain, `jane@example.org`.
    """
    for node, addr in _addresses(doc):
        if unqualified_email(addr):
            yield Finding(node=node, detail=repr(addr))
