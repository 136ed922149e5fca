"""Conversations Network podcast vocabulary (``http://conversationsnetwork.org/rssNamespace-1.0/``).

IT Conversations and its sister shows (2003-2012) published episode
ratings, intro lengths and artwork in their own namespace; archived feeds
and a few podcast tools still carry it.  W3C checks each element's value
(``extension.py``); so do we.  A document that never names the namespace
costs one byte search.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterator
from datetime import date

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._ext import declared
from feedwright.validator.rules._syntax import bad_uri_char
from feedwright.validator.rules._syntax import whole_number
from feedwright.validator.rules._xml import RSS

CN_NS = "http://conversationsnetwork.org/rssNamespace-1.0/"

#: The namespaces this vocabulary's rules judge: they run only on a document
#: that declares one of them (see rules/__init__.py).
NAMESPACES = (CN_NS,)
CN = f"{{{CN_NS}}}"

_HTTP_URL = re.compile(r"https?://[^/?#:\s]+(:\d+)?(/|\Z)", re.I)
_ISO8601 = re.compile(
    r"(\d{4})(?:-(\d\d)(?:-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.\d*)?)?"
    r"(?:Z|[+-]\d\d:\d\d)?)?)?)?\Z"
)


def _http_url(value: str) -> bool:
    return _HTTP_URL.match(value) is not None and bad_uri_char(value) is None


def _non_negative(value: str) -> bool:
    return value.isascii() and value.isdigit()


def _positive(value: str) -> bool:
    return _non_negative(value) and (whole_number(value) or 0) > 0


def _decimal(value: str) -> bool:
    return re.fullmatch(r"\d+\.?\d*", value) is not None


def _iso8601(value: str) -> bool:
    m = _ISO8601.match(value)
    if m is None:
        return False
    y, mo, d, h, mi, s = m.groups()
    try:
        date(int(y), int(mo or 1), int(d or 1))
    except ValueError:
        return False
    return int(h or 0) < 24 and int(mi or 0) < 60 and int(s or 0) <= 60


#: Each element, what its value must be, and a check of it.
_VALUES: dict[str, tuple[str, Callable[[str], bool]]] = {
    "image": ("a full http(s) URL", _http_url),
    "introMilliseconds": ("a whole number of milliseconds, 0 or more", _non_negative),
    "ratingAverage": ("a decimal number", _decimal),
    "ratingCount": ("a whole number, 0 or more", _non_negative),
    "ratingIndividual": ("a whole number, 1 or more", _positive),
    "ratingTimestamp": ("an ISO 8601 date-time", _iso8601),
}


@rule("conversationsnetwork-invalid-value", "error",
      "Conversations Network element has an invalid value", formats=RSS,
      w3c=("InvalidURLAttribute", "InvalidNonNegativeInteger", "InvalidPositiveInteger",
           "InvalidFloat", "InvalidISO8601DateTime"))
def invalid_value(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Players that read the Conversations Network elements show an
    episode's rating and artwork and skip its intro from them (W3C:
    InvalidURLAttribute, InvalidNonNegativeInteger, InvalidPositiveInteger,
    InvalidFloat, InvalidISO8601DateTime); a negative count, a rating of
    `xyzzy` or a broken image URL is dropped or shown as nonsense.

    ## How to fix
    `image`: a full `https://` URL; `introMilliseconds` and `ratingCount`:
    whole numbers from 0; `ratingIndividual`: a whole number from 1;
    `ratingAverage`: a decimal such as `3.5`; `ratingTimestamp`: an
    ISO 8601 date-time such as `2009-01-12T12:13:14Z`.
    """
    if CN_NS not in declared(doc):
        return
    for node in doc.root.iter(CN + "*"):
        local = node.tag.rsplit("}", 1)[-1] if isinstance(node.tag, str) else ""
        if local not in _VALUES:
            continue
        what, ok = _VALUES[local]
        value = (node.text or "").strip()
        if not ok(value):
            yield Finding(node=node, detail=f"{value!r}; expected {what}")
