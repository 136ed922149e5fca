"""Shared helpers for rule modules: namespaces, element access, dates, URIs, text scans.

Rules run on *any* well-formed document of their format, so every helper
here tolerates missing elements, empty text and odd values: it returns None
or an empty result instead of raising.  Everything that is parsed from a
string is cached by value (the same date string is read by several rules).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from functools import lru_cache
from typing import NamedTuple

from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
A = f"{{{ATOM_NS}}}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

RSS = ("rss2", "rss09x")
RSS2 = ("rss2",)
ATOM = ("atom1",)
BOTH = ("rss2", "rss09x", "atom1")


# --- element access -------------------------------------------------------


def text(el: etree._Element | None) -> str:
    """The element's own text, stripped ('' when absent)."""
    if el is None:
        return ""
    return (el.text or "").strip()


def all_text(el: etree._Element) -> str:
    """All text inside ``el`` (for text constructs that may hold markup)."""
    return "".join(t for t in el.itertext() if isinstance(t, str))


def children(parent: etree._Element | None, tag: str) -> list[etree._Element]:
    """Direct children named ``tag`` (Clark notation)."""
    if parent is None:
        return []
    return [c for c in parent if c.tag == tag]


def channel(root: etree._Element) -> etree._Element | None:
    """The RSS <channel>, or None when the document has none."""
    for c in root:
        if c.tag == "channel":
            return c
    return None


def items(root: etree._Element) -> list[etree._Element]:
    """RSS items, in document order."""
    return children(channel(root), "item")


def entries(root: etree._Element) -> list[etree._Element]:
    """Atom entries, in document order."""
    return children(root, A + "entry")


def base_in_scope(el: etree._Element) -> str | None:
    """The nearest xml:base on ``el`` or an ancestor, when any."""
    node: etree._Element | None = el
    while node is not None:
        base = node.get(XML_BASE)
        if base is not None:
            return base
        node = node.getparent()
    return None


def atom_links(parent: etree._Element | None) -> list[etree._Element]:
    """atom:link children of ``parent`` (Atom feeds and RSS channels alike)."""
    return children(parent, A + "link")


def alternates(parent: etree._Element) -> list[etree._Element]:
    """``parent``'s atom:link children whose relation is "alternate"."""
    return [li for li in atom_links(parent) if rel_of(li) == "alternate"]


def rel_of(link: etree._Element) -> str:
    """A link's relation; RFC 4287 4.2.7.2: absent means "alternate"."""
    rel = (link.get("rel") or "alternate").strip()
    prefix = "http://www.iana.org/assignments/relation/"
    return rel[len(prefix):] if rel.startswith(prefix) else rel


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


def _build(y: int, mo: int, d: int, h: int, mi: int, s: int, offset: timedelta) -> datetime:
    # A leap second (:60) names the last second of the minute for comparison.
    return datetime(y, mo, d, h, mi, min(s, 59), tzinfo=timezone(offset))


@lru_cache(maxsize=8192)
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
    if zone[0] in "+-":
        sign = -1 if zone[0] == "-" else 1
        zh, zm = int(zone[1:3]), int(zone[3:5])
        if zm > 59:
            return ParsedDate("invalid", None, f"bad zone offset {zone!r}")
        offset = sign * timedelta(hours=zh, minutes=zm)
    elif zone.upper() in _ZONES:
        offset = timedelta(hours=_ZONES[zone.upper()])
    else:
        offset = timedelta(hours=_military(zone))
    try:
        when = _build(y, _MONTHS.index(mon.lower()) + 1, int(day), int(hh), int(mm),
                      int(ss or 0), offset)
    except (ValueError, OverflowError) as exc:
        return ParsedDate("invalid", None, f"{value!r}: {exc}")
    if int(ss or 0) > 60:
        return ParsedDate("invalid", None, f"{value!r}: second out of range")
    if dow and _DAYS.index(dow.lower()) != when.weekday():
        actual = _DAYS[when.weekday()].title()
        return ParsedDate("dow", when, f"{value!r} was a {actual}")
    if status == "problematic":
        return ParsedDate(status, when, f"{value!r} is readable but not strict RFC 822")
    return ParsedDate("ok", when)


def _strip_comments(value: str) -> str:
    prev = None
    while prev != value:
        prev, value = value, re.sub(r"\([^()]*\)", " ", value)
    return value


@lru_cache(maxsize=8192)
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
    try:
        when = _build(int(y), int(mo), int(d), int(h), int(mi), int(s), offset)
    except (ValueError, OverflowError) as exc:
        return ParsedDate("invalid", None, f"{value!r}: {exc}")
    return ParsedDate("ok", when)


def rss_date(el: etree._Element | None) -> datetime | None:
    """The instant an RSS date element names, when readable."""
    if el is None or not text(el):
        return None
    return parse_rfc822(text(el)).value


def atom_date(el: etree._Element | None) -> datetime | None:
    """The instant an Atom date element names, when valid."""
    if el is None or not text(el):
        return None
    return parse_rfc3339(text(el)).value


def first(parent: etree._Element | None, tag: str) -> etree._Element | None:
    """First direct child named ``tag``."""
    if parent is None:
        return None
    for c in parent:
        if c.tag == tag:
            return c
    return None


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
            for tag in ("pubDate", "lastBuildDate"):
                for el in children(p, tag):
                    when = rss_date(el)
                    if when is not None:
                        yield el, when


# --- URIs, addresses, languages, media types ------------------------------

_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:")
# Characters never allowed in a URI or IRI reference (RFC 3986/3987).
_BAD_URI_CHAR = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f]")
_HTTP = re.compile(r"https?://[^/?#\s]+", re.I)
_TAG_URI = re.compile(
    r"tag:(?:[\w.\-]+@)?[a-z0-9.\-]+,\d{4}(?:-\d\d(?:-\d\d)?)?:[^\s#]*(?:#\S*)?\Z", re.I
)
_UUID_URN = re.compile(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z",
                       re.I)
_URN = re.compile(r"urn:[a-z0-9][a-z0-9\-]{1,31}:\S+\Z", re.I)


def is_absolute(uri: str) -> bool:
    """True when ``uri`` starts with a scheme."""
    return _SCHEME.match(uri.strip()) is not None


def bad_uri_char(uri: str) -> str | None:
    """The first character that may not appear in a URI reference, if any."""
    m = _BAD_URI_CHAR.search(uri.strip())
    return m.group() if m else None


def full_uri_problem(uri: str) -> str | None:
    """Why ``uri`` is not a usable absolute URI (None when it is)."""
    uri = uri.strip()
    if not uri:
        return "empty"
    bad = bad_uri_char(uri)
    if bad is not None:
        return f"{uri!r} contains {bad!r}"
    if not is_absolute(uri):
        return f"{uri!r} is relative"
    scheme = uri.split(":", 1)[0].lower()
    if scheme in ("http", "https") and not _HTTP.match(uri):
        return f"{uri!r} has no host"
    if scheme == "tag" and not _TAG_URI.match(uri):
        return f"{uri!r} is not a valid tag: URI (RFC 4151)"
    if scheme == "urn":
        if uri.lower().startswith("urn:uuid:"):
            if not _UUID_URN.match(uri):
                return f"{uri!r} is not a valid UUID URN"
        elif not _URN.match(uri):
            return f"{uri!r} is not a valid URN"
    return None


_EMAIL = re.compile(
    r"[\w.+\-']+@(?:\d{1,3}(?:\.\d{1,3}){3}|(?:[a-z0-9\-]+\.)+[a-z0-9][a-z0-9\-]*)\Z", re.I
)


def is_email(value: str) -> bool:
    """True for a plain addr-spec such as ``jane@example.com``."""
    return _EMAIL.match(value.strip()) is not None


# ISO 639-1 two-letter codes; three-letter (ISO 639-2/3) codes are checked by shape only.
_ISO639_1 = frozenset(
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv "
    "cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr "
    "ht hu hy hz ia id ie ig ii ik in io is it iu iw ja ji jv jw ka kg ki kj kk kl km kn ko kr "
    "ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mo mr ms mt my na nb nd ne ng "
    "nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk "
    "sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve "
    "vi vo wa wo xh yi yo za zh zu".split()
)
_LANG = re.compile(r"([a-zA-Z]{2,3}|[iIxX])(-[a-zA-Z0-9]{1,8})*\Z")


def language_problem(value: str) -> str | None:
    """Why ``value`` is not a language tag (RFC 5646 / ISO 639), or None."""
    v = value.strip()
    if not _LANG.match(v):
        return f"{value!r} is not a language tag"
    primary = v.split("-", 1)[0].lower()
    if len(primary) == 2 and primary not in _ISO639_1:
        return f"{primary!r} is not an ISO 639 language code"
    if len(primary) == 1 and "-" not in v:
        return f"{value!r} is not a language tag"
    return None


_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_MIME = re.compile(
    rf"{_TOKEN}/{_TOKEN}(?:\s*;\s*{_TOKEN}=(?:{_TOKEN}|\"(?:[^\"\\]|\\.)*\"))*\Z"
)


def is_mime_type(value: str) -> bool:
    """True for a media type such as ``text/html; charset=utf-8``."""
    return _MIME.match(value.strip()) is not None


# --- text scans -----------------------------------------------------------

HTML_TAGS = frozenset(
    "a abbr acronym address applet area article aside audio b base basefont bdi bdo big "
    "blockquote body br button canvas caption center cite code col colgroup data datalist dd "
    "del details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form "
    "frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd "
    "label legend li link main map mark menu meta meter nav noframes noscript object ol "
    "optgroup option output p param picture pre progress q rp rt ruby s samp script section "
    "select small source span strike strong style sub summary sup table tbody td template "
    "textarea tfoot th thead time title tr track tt u ul var video wbr xmp plaintext "
    "listing".split()
)
#: Elements a reader must strip before showing the content (W3C's SecurityRisk list).
RISKY_TAGS = frozenset(
    "script iframe frame frameset object embed applet base basefont link meta style param "
    "html head body title noframes isindex xmp plaintext listing".split()
)
_TAG = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9:\-]*)"
    r"((?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*/?>"
)
_ATTR = re.compile(r"([^\s=>/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")


def html_tags(html: str) -> Iterator[tuple[str, dict[str, str]]]:
    """(lower-case tag name, attributes) for each start tag in an HTML string."""
    if "<" not in html:
        return
    for m in _TAG.finditer(html):
        attrs: dict[str, str] = {}
        for a in _ATTR.finditer(m.group(2)):
            value = a.group(2) or ""
            if value[:1] in ("'", '"'):
                value = value[1:-1]
            attrs[a.group(1).lower()] = value
        yield m.group(1).lower(), attrs


def local(el: etree._Element) -> str:
    """Local name of an element ('' for comments and processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def text_type(el: etree._Element) -> str:
    """An Atom text construct's type (default "text")."""
    return (el.get("type") or "text").strip()
