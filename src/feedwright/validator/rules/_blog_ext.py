"""Helpers for the blog extension vocabularies' rules (Dublin Core, thr, slash, wfw, FeedBurner…).

Our own feeds use none of these vocabularies, and the build gate validates
every feed we write: each vocabulary's rules first ask ``uses(doc, ns)``
(one C-level walk for the namespace declarations, memoised per document)
and return at once when the document never names the namespace.  Past that
they look only at the feed's head and its entries' direct children, where
the vocabularies put their elements.
"""

from __future__ import annotations

import re
from datetime import datetime

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules._ext import declared
from feedwright.validator.rules._syntax import bad_uri_char
from feedwright.validator.rules._xml import A

#: Every XML format whose head and entries the extension rules know how to find.
XML_FEEDS = ("rss2", "rss09x", "rss1", "atom1")

DCTERMS_NS = "http://purl.org/dc/terms/"
DC_NS = "http://purl.org/dc/elements/1.1/"
THR_NS = "http://purl.org/syndication/thread/1.0"
SLASH_NS = "http://purl.org/rss/1.0/modules/slash/"
WFW_NS = "http://wellformedweb.org/CommentAPI/"
FEEDBURNER_NS = "http://rssnamespace.org/feedburner/ext/1.0"
TRACKBACK_NS = "http://madskills.com/public/xml/rss/module/trackback/"
CREATIVE_COMMONS_NS = "http://backend.userland.com/creativeCommonsRssModule"
CC_NS = "http://web.resource.org/cc/"
SY_NS = "http://purl.org/rss/1.0/modules/syndication/"
ADMIN_NS = "http://webns.net/mvcb/"
XHTML_NS = "http://www.w3.org/1999/xhtml"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def uses(doc: Document, ns: str) -> bool:
    """Whether the document declares namespace ``ns`` anywhere (``_ext.declared``:
    one walk for the declarations serves every vocabulary).

    A namespaced element can only appear where its URI is declared, so a
    document without the declaration has none of the vocabulary's elements.
    """
    return ns in declared(doc)


#: Where RSS puts ``<channel>`` and ``<item>``: no namespace (0.91–2.0), RSS 1.0's, RSS 0.90's.
_RSS_NAMES = ("", "{http://purl.org/rss/1.0/}", "{http://my.netscape.com/rdf/simple/0.9/}")
_CHANNELS = tuple(ns + "channel" for ns in _RSS_NAMES)
_ITEMS = tuple(ns + "item" for ns in _RSS_NAMES)


def head(doc: Document) -> etree._Element | None:
    """The feed's own element: Atom's ``<feed>``, RSS's ``<channel>`` (any RSS version)."""
    if doc.format == "atom1":
        return doc.root
    return next(doc.root.iterchildren(*_CHANNELS), None)


def entry_elements(doc: Document) -> list[etree._Element]:
    """Atom entries, or RSS items (in ``<channel>`` for RSS 2.0, beside it for RSS 1.0).

    Memoised; the children are filtered by lxml, not in Python, so a feed of
    10,000 items costs one C-level pass.
    """

    def find() -> list[etree._Element]:
        if doc.format == "atom1":
            return list(doc.root.iterchildren(A + "entry"))
        found = list(doc.root.iterchildren(*_ITEMS))
        ch = head(doc)
        if ch is not None:
            found += ch.iterchildren(*_ITEMS)
        return found

    return list(doc.memo("blog_ext:entries", find))


def holders(doc: Document) -> list[etree._Element]:
    """The head and every entry: where extension elements sit."""
    h = head(doc)
    return ([h] if h is not None else []) + entry_elements(doc)


def value(el: etree._Element) -> str:
    """The element's text, whitespace-trimmed (W3C trims before judging)."""
    return (el.text or "").strip()


def uri_reference_problem(uri: str) -> str | None:
    """Why ``uri`` is not even a URI reference (relative ones allowed), or None."""
    bad = bad_uri_char(uri)
    if bad is not None:
        return f"{uri.strip()!r} contains {bad!r}"
    return None


_INT = re.compile(r"([+-]?)0*(\d*)\Z")


def _sign_and_digits(text: str) -> tuple[str, str] | None:
    """(sign, significant digits) of an integer written in digits; never calls ``int()``
    (which refuses strings of more than 4,300 digits)."""
    t = text.strip()
    m = _INT.match(t)
    if m is None or not any(c.isdigit() for c in t):
        return None
    return m.group(1), m.group(2)


def non_negative_integer(text: str) -> bool:
    """W3C's nonNegativeInteger: an integer (``int()``'s syntax) not below 0."""
    found = _sign_and_digits(text)
    return found is not None and (found[0] != "-" or found[1] == "")


def positive_integer(text: str) -> bool:
    """W3C's positiveInteger: an integer above 0."""
    found = _sign_and_digits(text)
    return found is not None and found[0] != "-" and found[1] != ""


_W3CDTF = re.compile(
    r"(\d{4})(?:-(\d\d)(?:-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d(?:\.\d*)?))?"
    r"(?:Z|[+-]\d\d:\d\d))?)?)?\Z"
)


def w3cdtf_problem(text: str) -> str | None:
    """Why ``text`` is not a W3C date-time (W3CDTF, ISO 8601's profile), or None.

    A year, a month or a day may stand alone; a time needs its offset
    (``2025-06-09T09:30:00Z``), as W3C's ``w3cdtf`` validator requires.
    """
    v = text.strip()
    m = _W3CDTF.match(v)
    if m is None:
        if re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d*)?)?\Z", v):
            return f"{v!r} has a time but no time zone offset"
        return f"{v!r} is not a W3C date-time (YYYY-MM-DDThh:mm:ssZ)"
    year, month, day, hour, minute, second = m.groups()
    if month is not None:
        if not 1 <= int(month) <= 12:
            return f"{v!r}: month out of range"
        if day is not None:
            try:
                datetime(int(year), int(month), int(day))
            except ValueError as exc:
                return f"{v!r}: {exc}"
    if hour is not None:
        if int(hour) > 23 or int(minute) > 59 or (second is not None and float(second) > 60):
            return f"{v!r}: time out of range"
    return None
