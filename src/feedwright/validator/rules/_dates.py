"""Date helpers for rule modules: RFC 822 (RSS) and RFC 3339 (Atom) dates.

Every helper tolerates missing elements and odd values: it returns None or a
verdict instead of raising.  Date strings are parsed once and cached by value
(the same date string is read by several rules).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from functools import lru_cache
from typing import NamedTuple

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules._xml import A
from feedwright.validator.rules._xml import by_tag
from feedwright.validator.rules._xml import channel
from feedwright.validator.rules._xml import children
from feedwright.validator.rules._xml import entries
from feedwright.validator.rules._xml import first
from feedwright.validator.rules._xml import indexing
from feedwright.validator.rules._xml import items
from feedwright.validator.rules._xml import tagged_children
from feedwright.validator.rules._xml import text

# --- dates ----------------------------------------------------------------

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ZONES = {
    "UT": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
    "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
}
# RFC 822 as updated by RFC 1123/2822: 4-digit year, named or numeric zone.
_RFC822_STRICT = re.compile(
    r"(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) "
    r"(\d\d):(\d\d)(?::(\d\d))? ([+-]\d{4}|UT|GMT|EST|EDT|CST|CDT|MST|MDT|PST|PDT|Z)\Z"
)
# What many readers still parse: any case, loose spacing, 2-digit year,
# military zones.  Matches here are "problematic", not invalid.  A missing zone
# is invalid (as for W3C): readers disagree by hours on what it means.
_RFC822_LENIENT = re.compile(
    r"(?:(mon|tue|wed|thu|fri|sat|sun)\s*,\s*)?(\d\d?)\s+"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+(\d\d(?:\d\d)?)\s+"
    r"(\d\d):(\d\d)(?::(\d\d))?\s+([+-]\d{4}|ut|gmt|est|edt|cst|cdt|mst|mdt|pst|pdt|[a-ik-z])\Z"
)
_RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|([+-])(\d\d):(\d\d))\Z"
)


class ParsedDate(NamedTuple):
    """The verdict on one date string."""

    #: "ok", "problematic" (readable but not the strict syntax), "dow" (wrong
    #: day of week), or "invalid".
    status: str
    #: The instant, when it could be read at all.
    value: datetime | None
    #: Why it is not "ok".
    detail: str = ""


def _military(zone: str) -> int:
    c = zone.lower()
    if c == "z":
        return 0
    if "a" <= c <= "i":
        return -(ord(c) - ord("a") + 1)
    if "k" <= c <= "m":
        return -(ord(c) - ord("a"))
    if "n" <= c <= "y":
        return ord(c) - ord("n") + 1
    return 0


@lru_cache(maxsize=256)
def _zone(offset: timedelta) -> timezone:
    # A feed uses one or two offsets: made once each, not once per date.
    return timezone(offset)


#: No zone offset is this large (made once: a feed has a date per entry).
_FULL_DAY = timedelta(hours=24)
#: Days in each month of a common year (index 1-12).
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _build(y: int, mo: int, d: int, h: int, mi: int, s: int, offset: timedelta) -> datetime:
    # A leap second (:60) names the last second of the minute for comparison.
    return datetime(y, mo, d, h, mi, min(s, 59), tzinfo=_zone(offset))


def _build_checked(y: int, mo: int, d: int, h: int, mi: int, s: int,
                   offset: timedelta) -> datetime | str:
    """The instant, or what is out of range, said of the feed's date (never Python's words)."""
    if not 1 <= mo <= 12:
        return f"there is no month {mo:02d}"
    if y < 1:
        return "there is no year 0000"
    if not 1 <= d <= _MONTH_DAYS[mo] + (mo == 2 and calendar.isleap(y)):
        return f"{calendar.month_name[mo]} {y:04d} has no day {d:02d}"
    if h > 23:
        return f"hour {h:02d} is out of range (00 to 23)"
    if mi > 59:
        return f"minute {mi:02d} is out of range (00 to 59)"
    if not -_FULL_DAY < offset < _FULL_DAY:
        return "the zone offset is 24 hours or more"
    when = _build(y, mo, d, h, mi, s, offset)
    if y in (1, 9999):  # only there can an offset (under 24 h) leave the years
        try:
            when.astimezone(UTC)  # comparisons convert to UTC; the year must survive it
        except OverflowError:
            return "the instant falls outside years 0001 to 9999 in UTC"
    return when


@lru_cache(maxsize=1 << 16)
def parse_rfc822(value: str) -> ParsedDate:
    """Judge and read an RSS date (RFC 822 with RFC 1123's 4-digit year)."""
    value = value.strip()
    m = _RFC822_STRICT.match(value)
    status = "ok"
    if m is None:
        m = _RFC822_LENIENT.match(_strip_comments(value).strip().lower())
        if m is None:
            return ParsedDate("invalid", None, f"{value!r} is not an RFC 822 date")
        status = "problematic"
    dow, day, mon, year, hh, mm, ss, zone = m.groups()
    y = int(year)
    if len(year) == 2:
        y += 2000 if y < 50 else 1900
    offset = _rfc822_offset(zone)
    if offset is None:
        return ParsedDate("invalid", None, f"bad zone offset {zone!r}")
    when = _build_checked(y, _MONTH_NUMBER[mon.lower()], int(day), int(hh), int(mm),
                          int(ss or 0), offset)
    if isinstance(when, str):
        return ParsedDate("invalid", None, f"{value!r}: {when}")
    if int(ss or 0) > 60:
        return ParsedDate("invalid", None, f"{value!r}: second out of range")
    if dow and _DAY_NUMBER[dow.lower()] != when.weekday():
        actual = _DAYS[when.weekday()].title()
        return ParsedDate("dow", when, f"{value!r} was a {actual}")
    if status == "problematic":
        return ParsedDate(status, when, f"{value!r} is readable but not strict RFC 822")
    return ParsedDate("ok", when)


_MONTH_NUMBER = {name: number for number, name in enumerate(_MONTHS, 1)}
_DAY_NUMBER = {name: number for number, name in enumerate(_DAYS)}


@lru_cache(maxsize=256)
def _rfc822_offset(zone: str) -> timedelta | None:
    """The offset an RFC 822 zone names (numeric, named or military); None
    for a numeric one with more than 59 minutes.  A feed uses a zone or two."""
    if zone[0] in "+-":
        sign = -1 if zone[0] == "-" else 1
        zh, zm = int(zone[1:3]), int(zone[3:5])
        if zm > 59:
            return None
        return sign * timedelta(hours=zh, minutes=zm)
    if zone.upper() in _ZONES:
        return timedelta(hours=_ZONES[zone.upper()])
    return timedelta(hours=_military(zone))


def _strip_comments(value: str) -> str:
    # RFC 822 comments nest, and a backslash quotes the next character
    # (a quoted-pair: "\\)" closes nothing).
    if "(" not in value:
        return value
    value = re.sub(r"\\.", "", value)
    prev = None
    while prev != value:
        prev, value = value, re.sub(r"\([^()]*\)", " ", value)
    return value


@lru_cache(maxsize=1 << 16)
def parse_rfc3339(value: str) -> ParsedDate:
    """Judge and read an Atom date (RFC 3339 date-time, offset required)."""
    value = value.strip()
    m = _RFC3339.match(value)
    if m is None:
        return ParsedDate("invalid", None, f"{value!r} is not an RFC 3339 date-time")
    y, mo, d, h, mi, s, _frac, zone, sign, zh, zm = m.groups()
    if zone == "Z":
        offset = timedelta(0)
    else:
        if int(zh) > 23 or int(zm) > 59:
            return ParsedDate("invalid", None, f"bad offset in {value!r}")
        offset = (-1 if sign == "-" else 1) * timedelta(hours=int(zh), minutes=int(zm))
    if int(s) > 60:
        return ParsedDate("invalid", None, f"{value!r}: second out of range")
    when = _build_checked(int(y), int(mo), int(d), int(h), int(mi), int(s), offset)
    if isinstance(when, str):
        return ParsedDate("invalid", None, f"{value!r}: {when}")
    return ParsedDate("ok", when)


def rss_date(el: etree._Element | None) -> datetime | None:
    """The instant an RSS date element names, when readable."""
    value = text(el)
    return parse_rfc822(value).value if value else None


def atom_date(el: etree._Element | None) -> datetime | None:
    """The instant an Atom date element names, when valid."""
    value = text(el)
    return parse_rfc3339(value).value if value else None


def entry_sort_date(entry: etree._Element) -> tuple[etree._Element, datetime] | None:
    """The date readers sort an Atom entry by: published, else updated."""
    for tag in (A + "published", A + "updated"):
        el = first(entry, tag)
        when = atom_date(el)
        if el is not None and when is not None:
            return el, when
    return None


def dated_entries(root: etree._Element, fmt: str) -> list[tuple[etree._Element, datetime]]:
    """(item or entry, its sort date) for every entry with a readable date."""
    out: list[tuple[etree._Element, datetime]] = []
    if fmt == "atom1":
        for e in entries(root):
            found = entry_sort_date(e)
            if found is not None:
                out.append((e, found[1]))
    else:
        for it in items(root):
            when = rss_date(first(it, "pubDate"))
            if when is not None:
                out.append((it, when))
    return out


def all_dates(root: etree._Element, fmt: str) -> Iterator[tuple[etree._Element, datetime]]:
    """Every readable feed- or entry-level date element with its instant."""
    if fmt == "atom1":
        parents = [root, *entries(root)]
        for p in parents:
            for tag in (A + "updated", A + "published"):
                for el in children(p, tag):
                    when = atom_date(el)
                    if when is not None:
                        yield el, when
    else:
        ch = channel(root)
        for p in [ch, *items(root)] if ch is not None else []:
            kids = by_tag(p)  # two kinds of children: one look-up of the item
            for tag in ("pubDate", "lastBuildDate"):
                for el in kids.get(tag, ()):
                    when = rss_date(el)
                    if when is not None:
                        yield el, when


# --- RSS dates, read once per document ----------------------------------------

#: RSS's date elements, as channel and items carry them.
_RSS_DATE_TAGS = ("pubDate", "lastBuildDate")
#: One date element: its tag (one of _RSS_DATE_TAGS), the element, its verdict.
RssDate = tuple[str, etree._Element, ParsedDate]


def rss_dates(doc: Document) -> list[tuple[etree._Element, list[RssDate]]]:
    """The channel, then each item, with its ``<pubDate>`` and ``<lastBuildDate>``
    elements in document order, each judged (``parse_rfc822`` of its text).

    Read once per document for every rule that looks at RSS dates (the
    future and implausible dates, their syntax, the order of the items, the
    feed's own date): each of them walking 10,000 items and reading each
    date's text again cost more than judging the dates.  Empty for a
    document without a channel.
    """
    def walk() -> list[tuple[etree._Element, list[RssDate]]]:
        ch = channel(doc.root)
        if ch is None:
            return []
        out: list[tuple[etree._Element, list[RssDate]]] = []
        if not indexing():
            # The gate's cut-down documents (no children index): one lxml
            # walk of the channel, in document order, finds the items, their
            # dates and their guids (``rss_guids``) at once, for half the
            # cost of picking out each item's dates and then its guids; only
            # the channel's own items and their own children count.
            dates: list[RssDate] = []
            out.append((ch, dates))
            guids: list[tuple[etree._Element, str]] = []
            item = None
            for c in ch.iter("item", "guid", *_RSS_DATE_TAGS):
                tag = c.tag
                parent = c.getparent()
                if parent is ch:
                    if tag == "item":
                        item, dates = c, []
                        out.append((c, dates))
                    elif tag != "guid":
                        out[0][1].append((tag, c, parse_rfc822(text(c))))
                elif parent is item and item is not None:
                    if tag == "guid":
                        guids.append((c, text(c)))
                    elif tag != "item":
                        dates.append((tag, c, parse_rfc822(text(c))))
            doc.memo("rss.guids", lambda: guids)
            return out
        for p in (ch, *children(ch, "item")):
            kids = by_tag(p)
            if "lastBuildDate" not in kids:  # every item: its pubDates are all its dates
                out.append((p, [("pubDate", n, parse_rfc822(text(n)))
                                for n in kids.get("pubDate", ())]))
            else:
                out.append((p, [(str(tag), n, parse_rfc822(text(n)))
                                for tag, n in tagged_children(p) if tag in _RSS_DATE_TAGS]))
        return out

    found: list[tuple[etree._Element, list[RssDate]]] = doc.memo("dates.rss", walk)
    return found


def rss_guids(doc: Document) -> list[tuple[etree._Element, str]]:
    """Every item's ``<guid>`` elements with their stripped text, in document
    order, found once for the rules that judge them; for the gate's cut-down
    documents, in the same pass over the items as their dates (``rss_dates``)."""
    def walk() -> list[tuple[etree._Element, str]]:
        if not indexing() and channel(doc.root) is not None:
            rss_dates(doc)  # finds them
            found: list[tuple[etree._Element, str]] = doc.memo("rss.guids", list)
            return found
        return [(g, text(g)) for it in items(doc.root) for g in children(it, "guid")]

    guids: list[tuple[etree._Element, str]] = doc.memo("rss.guids", walk)
    return guids


def first_pub_date(dates: list[RssDate]) -> datetime | None:
    """The instant of the first ``<pubDate>`` among ``dates`` (``rss_date`` of
    ``first(item, "pubDate")``), when readable."""
    for tag, _node, verdict in dates:
        if tag == "pubDate":
            return verdict.value
    return None


def rss_all_dates(doc: Document) -> list[tuple[etree._Element, datetime]]:
    """``all_dates`` of an RSS document, from ``rss_dates``: per parent its
    readable pubDates, then its readable lastBuildDates."""
    return _valid_by_tag(rss_dates(doc), _RSS_DATE_TAGS)


def _valid_by_tag(
    found: list[tuple[etree._Element, list[tuple[str, etree._Element, ParsedDate]]]],
    tags: tuple[str, ...],
) -> list[tuple[etree._Element, datetime]]:
    """Per parent of ``found`` (``rss_dates``, ``atom_dates``), its dates with
    a value, those of the first of ``tags`` first, as ``all_dates`` lists them."""
    out: list[tuple[etree._Element, datetime]] = []
    for _p, dates in found:
        if len(dates) == 1:  # the common case: one date (an item's pubDate)
            _tag, node, verdict = dates[0]
            if verdict.value is not None:
                out.append((node, verdict.value))
            continue
        for want in tags:
            out += [(node, verdict.value) for tag, node, verdict in dates
                    if tag == want and verdict.value is not None]
    return out


def rss_dated_entries(doc: Document) -> list[tuple[etree._Element, datetime]]:
    """``dated_entries`` of an RSS document, from ``rss_dates`` (found once
    for the order of the items and the feed's date)."""
    def find() -> list[tuple[etree._Element, datetime]]:
        out: list[tuple[etree._Element, datetime]] = []
        for item, dates in rss_dates(doc)[1:]:  # the channel comes first
            when = first_pub_date(dates)
            if when is not None:
                out.append((item, when))
        return out

    found: list[tuple[etree._Element, datetime]] = doc.memo("dates.rss_dated_entries", find)
    return found


# --- Atom entries' ids and dates, read once per document -----------------------

_A_ID, _A_UPDATED, _A_PUBLISHED = A + "id", A + "updated", A + "published"
_A_ENTRY = A + "entry"


class AtomEntry(NamedTuple):
    """What the rules judging how entries relate read of one Atom entry:
    its first ``<id>``, ``<updated>`` and ``<published>`` (None when absent),
    the id's stripped text and each date's instant (``atom_date``)."""

    entry: etree._Element
    id_node: etree._Element | None
    id: str
    updated_node: etree._Element | None
    updated: datetime | None
    published_node: etree._Element | None
    published: datetime | None


def atom_entries(doc: Document) -> list[AtomEntry]:
    """Each Atom entry (an entry document's root is its one entry) with its
    first id, updated and published, in document order.

    Read once per document for every rule that looks at them (duplicate
    ids and updated times, the order of the entries, the feed's own date,
    updated before published): each of them walking every entry again for
    its own child cost more than reading the three at once.
    """
    def walk() -> list[AtomEntry]:
        out: list[AtomEntry] = []
        append = out.append
        if indexing():
            # A whole document: its dates are judged for the date rules
            # anyway (``atom_dates``: the feed first, then each entry).
            for e, dates in atom_dates(doc)[1:]:
                found = by_tag(e).get(_A_ID)
                id_node = found[0] if found else None
                up = pub = up_when = pub_when = None
                for tag, node, verdict in dates:
                    if tag == _A_UPDATED:
                        if up is None:
                            up, up_when = node, verdict.value
                    elif pub is None:
                        pub, pub_when = node, verdict.value
                append(AtomEntry(e, id_node, text(id_node), up, up_when, pub, pub_when))
            return out
        parse = parse_rfc3339

        def add(e: etree._Element, id_node: etree._Element | None,
                up: etree._Element | None, pub: etree._Element | None) -> None:
            # atom_date, inline: twice per entry
            value = (up.text or "").strip() if up is not None else ""
            up_when = parse(value).value if value else None
            value = (pub.text or "").strip() if pub is not None else ""
            append(AtomEntry(e, id_node, text(id_node), up, up_when, pub,
                             parse(value).value if value else None))

        root = doc.root
        if root.tag == _A_ENTRY:
            id_node, up, pub = (first(root, tag) for tag in (_A_ID, _A_UPDATED, _A_PUBLISHED))
            add(root, id_node, up, pub)
            return out
        # The gate's cut-down documents (no children index): lxml walks the
        # whole tree for the entries and their three kinds of children, in
        # document order, a third cheaper than walking each entry's children;
        # only the feed's own entries and their own children count.
        entry = id_node = up = pub = None
        for c in root.iter(_A_ENTRY, _A_ID, _A_UPDATED, _A_PUBLISHED):
            tag = c.tag
            if tag == _A_ENTRY:
                if c.getparent() is root:
                    if entry is not None:
                        add(entry, id_node, up, pub)
                    entry, id_node, up, pub = c, None, None, None
            elif entry is not None and c.getparent() is entry:
                if tag == _A_UPDATED:
                    if up is None:
                        up = c
                elif tag == _A_PUBLISHED:
                    if pub is None:
                        pub = c
                elif id_node is None:
                    id_node = c
        if entry is not None:
            add(entry, id_node, up, pub)
        return out

    found: list[AtomEntry] = doc.memo("dates.atom_entries", walk)
    return found


def atom_dated_entries(doc: Document) -> list[tuple[etree._Element, datetime]]:
    """``dated_entries`` of an Atom document, from ``atom_entries``: each
    entry's published date, else its updated date, when valid."""
    out: list[tuple[etree._Element, datetime]] = []
    for e in atom_entries(doc):
        when = e.published if e.published is not None else e.updated
        if when is not None:
            out.append((e.entry, when))
    return out


#: One Atom date element: its tag (updated or published), the element, its verdict.
AtomDate = tuple[str, etree._Element, ParsedDate]


def atom_dates(doc: Document) -> list[tuple[etree._Element, list[AtomDate]]]:
    """The feed, then each entry, with its
    ``<updated>`` and ``<published>`` children in document order, each judged
    (``parse_rfc3339`` of its stripped text).

    Read once per document for the rules that judge every Atom date (their
    syntax, dates in the future or before 1990): each walking every entry
    and reading each date again cost as much as judging them.
    """
    def walk() -> list[tuple[etree._Element, list[AtomDate]]]:
        # An entry document's root is both the feed and its one entry: its
        # dates come twice, as they always did (run_rules drops the repeats).
        parents = [doc.root, *entries(doc.root)]
        if not indexing():
            return [(p, [(str(n.tag), n, parse_rfc3339(text(n)))
                         for n in p.iterchildren(_A_UPDATED, _A_PUBLISHED)])
                    for p in parents]
        return [(p, [(str(tag), n, parse_rfc3339(text(n))) for tag, n in tagged_children(p)
                     if tag == _A_UPDATED or tag == _A_PUBLISHED])
                for p in parents]

    found: list[tuple[etree._Element, list[AtomDate]]] = doc.memo("dates.atom", walk)
    return found


def atom_all_dates(doc: Document) -> list[tuple[etree._Element, datetime]]:
    """``all_dates`` of an Atom document, from ``atom_dates``: per parent its
    valid updated dates, then its valid published dates."""
    return _valid_by_tag(atom_dates(doc), (_A_UPDATED, _A_PUBLISHED))
