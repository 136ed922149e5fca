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
    return list(parent.iterchildren(tag))


def channel(root: etree._Element) -> etree._Element | None:
    """The RSS <channel>, or None when the document has none."""
    return next(root.iterchildren("channel"), None)


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
    return next(parent.iterchildren(tag), None)


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
    if scheme in ("http", "https"):
        host = _HTTP.match(uri)
        if host is None:
            return f"{uri!r} has no host"
        bracket = next((c for c in uri[host.end():] if c in "[]"), None)
        if bracket is not None:
            return f"{uri!r} contains {bracket!r} outside the host"
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


# _TAG, tried only where a start tag can have attributes (whitespace after its
# name) or has a risky name.  Where it is tried it matches exactly as _TAG, and
# the tags it skips hold no '<', so it finds the same tags as _TAG, less bare ones.
_NOTABLE_TAG = re.compile(
    r"<(?=[a-zA-Z][a-zA-Z0-9:\-]*\s|(?i:" + "|".join(sorted(RISKY_TAGS)) + r")(?![a-zA-Z0-9:\-]))"
    + _TAG.pattern[1:]
)


def _attrs(attr_text: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for a in _ATTR.finditer(attr_text):
        value = a.group(2) or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        attrs[a.group(1).lower()] = value
    return attrs


def html_tags(html: str) -> Iterator[tuple[str, dict[str, str]]]:
    """(lower-case tag name, attributes) for each start tag in an HTML string."""
    if "<" not in html:
        return
    for m in _TAG.finditer(html):
        name, attr_text = m.group(1, 2)
        yield name.lower(), _attrs(attr_text) if attr_text else {}


def notable_html_tags(html: str) -> list[tuple[str, dict[str, str]]]:
    """The ``html_tags`` that have attributes or a name in RISKY_TAGS, in order."""
    if "<" not in html:
        return []
    found = []
    for m in _NOTABLE_TAG.finditer(html):
        name, attr_text = m.group(1, 2)
        tag, attrs = name.lower(), _attrs(attr_text) if attr_text else {}
        if attrs or tag in RISKY_TAGS:
            found.append((tag, attrs))
    return found


def local(el: etree._Element) -> str:
    """Local name of an element ('' for comments and processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def text_type(el: etree._Element) -> str:
    """An Atom text construct's type (default "text")."""
    return (el.get("type") or "text").strip()


# --- HTML well-formedness (what an HTML5 parser reports as a parse error) --

_VOID = frozenset(
    "area base basefont bgsound br col command embed frame hr img input isindex keygen link "
    "meta param source track wbr".split()
)
#: Elements whose end tag may be left out (closed by what follows or by the end).
_IMPLIED_END = frozenset("dd dt li optgroup option p rb rp rt rtc".split())
_EOF_OK = _IMPLIED_END | frozenset("tbody td tfoot th thead tr body html".split())
_FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
#: Start tags that close an open <p>.
_CLOSES_P = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section "
    "summary table ul li dd dt listing plaintext xmp search".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_SCOPE_STOP = frozenset("applet caption html table td th marquee object template".split())
_TABLE_PARTS = frozenset("caption col colgroup tbody td tfoot th thead tr".split())
_NOT_IN_FRAGMENT = frozenset("html head body frameset".split())
_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes".split())
_RCDATA = frozenset(("textarea", "title"))
_KNOWN_HTML = HTML_TAGS | {"slot", "isindex", "command"}
_P = frozenset({"p"})

# One token: comment, end tag, start tag, or a '<' that starts none of them.
_H_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_H_END = re.compile(r"</([a-zA-Z][^\s/>]*)\s*>")
_H_START = re.compile(
    r"<([a-zA-Z][^\s/>]*)"
    r"((?:\s+[^\s\"'<>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'<>=`]+))?)*)"
    r"\s*(/?)>"
)
_H_ATTR = re.compile(r"([^\s\"'<>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'<>=`]+))?")
# A tag at a '<': an end tag (group 1) or a start tag (groups 2-4).
_H_TAG = re.compile(rf"{_H_END.pattern}|{_H_START.pattern}")
# The commonest markup, taken in one step: a bare phrasing element around plain
# text (<em>word</em>).  These elements close nothing and nest anywhere, so the
# pair is never an error and leaves the open elements as they were.
_INLINE = frozenset("abbr b big cite code dfn em i kbd mark q s samp small span strong sub sup "
                    "tt u var".split())
assert not _INLINE & (_CLOSES_P | _HEADINGS | _VOID | _RAW_TEXT | _TABLE_PARTS
                      | {"a", "button", "nobr", "form", "li", "dd", "dt", "table"})
assert _INLINE <= _KNOWN_HTML
_H_INLINE_PAIR = re.compile(rf"<({'|'.join(sorted(_INLINE))})>[^<&]*</\1>")
_NUMERIC = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+))(;?)")
_ENTITY_HEAD = re.compile(r"&([A-Za-z0-9]*)")
_LITERAL_AMP = " \t\n\r\f<&"


def _bad_codepoint(cp: int) -> bool:
    return (
        cp == 0 or cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF or 0x80 <= cp <= 0x9F
        or 0x01 <= cp <= 0x08 or cp in (0x0B, 0x7F) or 0x0E <= cp <= 0x1F
        or 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE
    )


def _char_ref_problem(s: str, i: int) -> str | None:
    """Why the '&' at ``s[i]`` does not start a valid character reference."""
    nxt = s[i + 1: i + 2]
    if not nxt or nxt in _LITERAL_AMP:
        return None
    if nxt == "#":
        m = _NUMERIC.match(s, i)
        if m is None:
            return f"{s[i:i + 8]!r}: '&#' without digits"
        cp = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        if not m.group(3):
            return f"{m.group()!r} has no ';'"
        if _bad_codepoint(cp):
            return f"{m.group()!r} is not an allowed character"
        return None
    name = _ENTITY_HEAD.match(s, i).group(1)  # type: ignore[union-attr]
    entities = html_entities()
    for end in range(len(name), 0, -1):
        head = name[:end]
        if end == len(name) and s[i + 1 + end: i + 2 + end] == ";" and head + ";" in entities:
            return None
        if head in entities:
            return f"'&{head}' has no ';'; write &amp; for a literal '&'"
    return f"{s[i:i + 12]!r} is not a character reference; write &amp; for a literal '&'"


@lru_cache(maxsize=1)
def html_entities() -> frozenset[str]:
    """Names of HTML character references, with and without the ";" (the legacy ones)."""
    from html.entities import html5

    return frozenset(html5)


def _refs_problem(s: str) -> str | None:
    i = s.find("&")
    while i >= 0:
        problem = _char_ref_problem(s, i)
        if problem is not None:
            return problem
        i = s.find("&", i + 1)
    return None


def _in_scope(stack: list[str], names: frozenset[str] | set[str], *, button: bool = False) -> bool:
    for el in reversed(stack):
        if el in names:
            return True
        if el in _SCOPE_STOP or (button and el == "button"):
            return False
    return False


def _close_p(stack: list[str]) -> str | None:
    """Close the open <p>: an error when something other than implied ends is inside it."""
    problem = None
    while stack:
        el = stack.pop()
        if el == "p":
            break
        if el not in _IMPLIED_END and problem is None:
            problem = f"<{el}> is still open when its <p> ends"
    return problem


def _start_tag(stack: list[str], name: str, attrs: str, solidus: bool) -> str | None:
    """Update the open-element stack for a start tag; why it is an error, if it is."""
    if name not in _KNOWN_HTML:
        return f"<{name}> is not an HTML element"
    if attrs:
        seen: set[str] = set()
        for a in _H_ATTR.finditer(attrs):
            key = a.group(1).lower()
            if key in seen:
                return f"<{name}> repeats the attribute {key!r}"
            seen.add(key)
            value = a.group(2) or ""
            if "&" in value:
                problem = _refs_problem(value[1:-1] if value[:1] in ("\"", "'") else value)
                if problem is not None:
                    return f"in <{name} {key}=…>: {problem}"
    if solidus and name not in _VOID:
        return f"<{name}/> : only void elements such as <br/> may be self-closed"
    if name in _NOT_IN_FRAGMENT:
        return f"<{name}> inside content"
    if name in _TABLE_PARTS:
        return f"<{name}> outside a <table>"
    problem = None
    if name in _CLOSES_P and "p" in stack and _in_scope(stack, _P, button=True):
        problem = _close_p(stack)
    if name in _HEADINGS and stack and stack[-1] in _HEADINGS:
        return f"<{name}> inside <{stack[-1]}>"
    if name in ("li", "dd", "dt"):
        group = {"li"} if name == "li" else {"dd", "dt"}
        for pos in range(len(stack) - 1, -1, -1):
            el = stack[pos]
            if el in group:
                if any(e not in _IMPLIED_END for e in stack[pos + 1:]):
                    problem = problem or f"<{name}> while <{stack[-1]}> is open"
                del stack[pos:]
                break
            if el not in _IMPLIED_END and el not in _FORMATTING and el not in (
                "address", "div", "span"
            ):
                break
    if name in ("a", "button", "nobr", "form") and name in stack:
        return f"<{name}> inside another <{name}>"
    if name not in _VOID:
        stack.append(name)
    return problem


def _end_tag(stack: list[str], name: str) -> str | None:
    """Update the stack for an end tag; why it is an error, if it is."""
    if name == "br" or name in _VOID:
        return f"</{name}> is not a valid end tag"
    if name == "p":
        if not _in_scope(stack, _P, button=True):
            return "</p> without an open <p>"
        return _close_p(stack)
    if name in _HEADINGS:
        if not _in_scope(stack, _HEADINGS):
            return f"</{name}> without an open heading"
        problem = None if stack[-1] == name else f"</{name}> while <{stack[-1]}> is open"
        while stack and stack.pop() not in _HEADINGS:
            pass
        return problem
    if name not in stack:
        return f"</{name}> without an open <{name}>"
    if name in ("li", "dd", "dt") or name not in _FORMATTING:
        # Elements with optional end tags close silently, except the one named.
        while stack[-1] != name and stack[-1] in _IMPLIED_END:
            stack.pop()
    if stack[-1] != name:
        problem = f"</{name}> while <{stack[-1]}> is still open"
        while stack.pop() != name:
            pass
        return problem
    stack.pop()
    return None


def html_problem(html: str) -> str | None:
    """The first thing an HTML5 parser reports as a parse error in ``html``, or None.

    A conservative model of the HTML5 tokenizer and tree builder, for a
    fragment (a feed's escaped HTML): tags cut off at the end, stray or
    misnested end tags, elements left open that need an end tag, unknown
    elements, malformed character references.  Table internals are not
    checked.  When unsure it says nothing.
    """
    if "<" not in html and "&" not in html:
        return None
    stack: list[str] = []
    table_depth = 0
    pos, n = 0, len(html)
    amp = html.find("&")
    while pos < n:
        # The next '<' or '&' (str.find is much faster than a regex search).
        if 0 <= amp < pos:
            amp = html.find("&", pos)
        lt = html.find("<", pos)
        if lt < 0 or 0 <= amp < lt:
            if amp < 0:
                break
            problem = None if table_depth else _char_ref_problem(html, amp)
            if problem is not None:
                return problem
            pos = amp + 1
            continue
        m = _H_INLINE_PAIR.match(html, lt)
        if m is not None:
            pos = m.end()
            continue
        m = _H_TAG.match(html, lt)
        if m is not None:
            end_name, start_name, attrs, solidus = m.groups()
            pos = m.end()
            if end_name is not None:
                name = end_name.lower()
                if table_depth:
                    if name == "table":
                        table_depth -= 1
                        if not table_depth:
                            stack.pop()
                    continue
                problem = _end_tag(stack, name)
                if problem is not None:
                    return problem
                continue
            name = start_name.lower()
            if name not in _KNOWN_HTML:
                return f"<{name}> is not an HTML element"
            if table_depth:
                if name == "table":
                    table_depth += 1
                elif name in _RAW_TEXT:
                    pos = _skip_raw(html, pos, name)
                    if pos < 0:
                        return f"<{name}> is not closed"
                continue
            problem = _start_tag(stack, name, attrs, bool(solidus))
            if problem is not None:
                return problem
            if name in _RAW_TEXT:
                end = _skip_raw(html, pos, name)
                if end < 0:
                    return f"<{name}> is not closed"
                if name in _RCDATA:
                    problem = _refs_problem(html[pos:end])
                    if problem is not None:
                        return problem
                stack.pop()
                close = html.find(">", end)
                if close < 0:
                    return f"</{name}> is not closed with '>'"
                pos = close + 1
            elif name == "table":
                table_depth = 1
            elif name == "plaintext":
                return None
            continue
        # A comment, or a '<' that starts no well-formed tag.
        i = lt
        if html.startswith("<!--", i):
            c = _H_COMMENT.match(html, i)
            if c is None:
                return "a comment is not closed with '-->'"
            if "--" in c.group(1).strip("-") or c.group(1).endswith("-"):
                return "'--' inside a comment"
            pos = c.end()
            continue
        rest = html[i + 1: i + 2]
        if not rest or not (rest.isascii() and (rest.isalpha() or rest == "/")):
            around = html[max(0, i - 10): i + 10]
            return f"a '<' that starts no tag in {around!r}; write &lt;"
        if rest == "/":
            return f"a malformed end tag at {html[i:i + 20]!r}"
        return f"a malformed or unfinished tag at {html[i:i + 20]!r}"
    if table_depth:
        return "<table> is not closed"
    left = [el for el in stack if el not in _EOF_OK]
    if left:
        return f"<{left[-1]}> is never closed"
    return None


def _skip_raw(html: str, pos: int, name: str) -> int:
    """Where the end tag of raw-text element ``name`` starts, or -1."""
    m = re.compile(rf"</{name}[\s/>]", re.I).search(html, pos)
    return m.start() if m else -1
