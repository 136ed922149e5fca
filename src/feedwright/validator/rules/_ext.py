"""Helpers shared by the extension vocabularies' rules (Media RSS, GeoRSS, FeedSync).

Our own feeds use none of these vocabularies, and the build gate validates
every feed we write: each vocabulary's rules must cost nothing on a document
that does not use it.  ``declared`` answers that with one C-level walk for
the namespace declarations per document, for every vocabulary (memoised); ``elements`` walks the
tree once for all the elements of one namespace, grouped by local name,
shared by every rule of the vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules._html import HTML_TAGS
from feedwright.validator.rules._html_wellformed import html_entities
from feedwright.validator.rules._syntax import bad_uri_char
from feedwright.validator.rules._syntax import whole_number

#: The formats an extension vocabulary is checked in: every XML feed format.
#: The vocabularies do not depend on the feed around them (W3C checks geo and
#: Media RSS in RSS 1.0 too, where geo:lat and icbm were born).
EXT_FORMATS = ("rss2", "rss09x", "rss1", "atom1", "atom03")

def declared(doc: Document) -> frozenset[str]:
    """Every namespace URI the document declares, anywhere (one walk, memoised).

    Every vocabulary's rules ask this first: a namespaced element can only
    appear where its URI is declared.  lxml walks the tree in C and reports
    each declaration (``start-ns``): 16 ms on a 79 MB feed, where searching
    its bytes for ``xmlns`` took 53 ms, and an ``xmlns=""`` (undeclaring
    the default namespace) adds nothing.
    """

    def compute() -> frozenset[str]:
        return frozenset(uri for _event, (_prefix, uri) in
                         etree.iterwalk(doc.root, events=("start-ns",)) if uri)

    result: frozenset[str] = doc.memo("ext:declared", compute)
    return result


def elements(doc: Document, ns: str) -> dict[str, list[etree._Element]]:
    """Every element in namespace ``ns``, by local name, in document order (one walk).

    The key ``""`` holds them all, in document order.  A document that does
    not declare ``ns`` is not walked.
    """
    def compute() -> dict[str, list[etree._Element]]:
        found: dict[str, list[etree._Element]] = {}
        if ns not in declared(doc):
            return found
        for el in doc.root.iter(f"{{{ns}}}*"):
            found.setdefault("", []).append(el)
            found.setdefault(etree.QName(el).localname, []).append(el)
        return found
    result: dict[str, list[etree._Element]] = doc.memo(f"ext:elements:{ns}", compute)
    return result


def declaring(doc: Document, uri: str) -> Iterator[tuple[etree._Element, str]]:
    """Each element that declares ``uri`` (with the prefix, or "" for a default namespace)."""
    if uri not in declared(doc):
        return
    for el in doc.root.iter(etree.Element):
        parent = el.getparent()
        inherited = parent.nsmap if parent is not None else {}
        for prefix, value in el.nsmap.items():
            if value == uri and inherited.get(prefix) != uri:
                yield el, prefix or ""


# --- values as W3C's validator judges them --------------------------------

# RFC 2396 absolute URI, as W3C's ``rfc2396_full`` accepts it: ASCII only.
_FULL_URI = re.compile(r"[a-zA-Z][0-9a-zA-Z+\-.]*:(//)?[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,#]+\Z")
_URI_CHAR = re.compile(r"[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,#]")
_URN = re.compile(r"[Uu][Rr][Nn]:[a-zA-Z0-9][a-zA-Z0-9-]{1,31}:"
                  r"([a-zA-Z0-9()+,.:=@;$_!*'\-]|%[0-9A-Fa-f]{2})+\Z")
_UUID = re.compile(r"[Uu][Rr][Nn]:[Uu][Uu][Ii][Dd]:[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-"
                   r"[a-fA-F0-9]{4}-[a-fA-F0-9]{12}\Z")
_TAG = re.compile(r"tag:([a-z0-9\-._]+?@)?[a-z0-9.\-]+?,\d{4}(-\d{2}(-\d{2})?)?:"
                  r"[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,]*(#[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,]*)?\Z")


def absolute_uri_problem(value: str) -> str | None:
    """Why ``value`` is not an absolute URI (RFC 2396/3986, ASCII), or None.

    The vocabularies here say "URL"/"URI": a relative reference has no base
    a reader could agree on, and a raw non-ASCII character must be
    percent-encoded first.
    """
    if not value:
        return "empty"
    scheme = value.split(":", 1)[0].lower()
    if scheme == "tag":
        return None if _TAG.match(value) else f"{value!r} is not a valid tag: URI (RFC 4151)"
    if scheme == "urn":
        if value.lower().startswith("urn:uuid:"):
            return None if _UUID.match(value) else f"{value!r} is not a valid UUID URN"
        return None if _URN.match(value) else f"{value!r} is not a valid URN"
    if not _FULL_URI.match(value):
        bad = bad_uri_char(value)
        if bad is None:
            bad = next((c for c in value if ord(c) < 128 and not _URI_CHAR.match(c)), None)
        if bad is not None:
            return f"{value!r} contains {bad!r}"
        if any(ord(c) > 127 for c in value):
            return f"{value!r} holds characters that must be percent-encoded"
        return f"{value!r} is not an absolute URI"
    if scheme in ("http", "https", "ftp") and not re.match(r"\w+://[^/]", value):
        return f"{value!r} has no host"
    return None


def positive_integer_problem(value: str) -> str | None:
    """Why ``value`` is not a whole number above zero, or None."""
    number = whole_number(value)
    if number is None or number <= 0:
        return f"{value!r} is not a positive whole number"
    return None


def non_negative_integer_problem(value: str) -> str | None:
    """Why ``value`` is not a whole number of zero or more, or None."""
    if whole_number(value) is None:
        return f"{value!r} is not a whole number of zero or more"
    return None


# --- text -----------------------------------------------------------------

_END_TAG = re.compile(r"</(\w+)>")
_ENTITY = re.compile(r"&(#?\w+)")


def html_in_plain(value: str) -> str | None:
    """The HTML end tag or character reference a plain-text value holds, if any.

    As W3C's ``nonhtml``: an end tag of an HTML element (``</b>``), or a
    character reference HTML knows (``&ouml;``, ``&#233;``) left in the text
    after XML unescaping, i.e. escaped twice.
    """
    tag = next((t for t in _END_TAG.findall(value) if t.lower() in HTML_TAGS), None)
    if tag is not None:
        return f"</{tag}>"
    entities = html_entities()
    for name in _ENTITY.findall(value):
        if name.startswith("#") or f"{name};" in entities or name == "apos":
            return f"&{name};"
    return None
