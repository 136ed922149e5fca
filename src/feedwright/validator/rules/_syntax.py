"""Value syntax helpers for rule modules: URIs, e-mail addresses, languages, media types.

Each helper judges one string and returns a verdict or None instead of raising.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

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


_WHOLE = re.compile(r"\s*\+?([0-9]+)\s*\Z")
#: Where ``whole_number`` stops counting: far above any limit a rule checks.
WHOLE_NUMBER_CAP = 10**18


def whole_number(text: str) -> int | None:
    """The value of a whole number written as ASCII digits (a leading ``+`` and
    surrounding blanks allowed), or None; capped at ``WHOLE_NUMBER_CAP``.

    Never ``int()`` on the text itself: Python refuses strings of more than
    4,300 digits, and a feed may carry any number of them.
    """
    m = _WHOLE.match(text)
    if m is None:
        return None
    digits = m.group(1).lstrip("0") or "0"
    return WHOLE_NUMBER_CAP if len(digits) > 18 else min(int(digits), WHOLE_NUMBER_CAP)


def is_absolute(uri: str) -> bool:
    """True when ``uri`` starts with a scheme."""
    return _SCHEME.match(uri.strip()) is not None


def bad_uri_char(uri: str) -> str | None:
    """The first character that may not appear in a URI reference, if any."""
    m = _BAD_URI_CHAR.search(uri.strip())
    return m.group() if m else None


#: Value checks are pure functions of the string, and feeds repeat their
#: values (an item's link is its guid; one author, one language, one media
#: type on every entry; the build checks each entry as RSS and as Atom):
#: verdicts are remembered, within bounds.
_VERDICTS = 1 << 14


#: An http(s) URL with a host, and no character that any check below faults:
#: most URLs a feed holds (its links and guids), told usable in one match.
#: (The host holds no white space at all, as ``_HTTP`` reads it.)
_PLAIN_HTTP = re.compile(r"https?://[^\s\x00-\x20<>\"{}|\\^`\x7f\[\]/?#]++"
                         r"[^\x00-\x20<>\"{}|\\^`\x7f\[\]]*+", re.I)


@lru_cache(maxsize=_VERDICTS)
def full_uri_problem(uri: str) -> str | None:
    """Why ``uri`` is not a usable absolute URI (None when it is)."""
    uri = uri.strip()
    if _PLAIN_HTTP.fullmatch(uri) is not None:
        return None
    return _uri_problem(uri)


def _uri_problem(uri: str) -> str | None:
    """``full_uri_problem`` of a stripped ``uri``, every check spelled out."""
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
        rest = uri[host.end():]
        bracket = None if "[" not in rest and "]" not in rest else next(
            c for c in rest if c in "[]")
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


_UNQUALIFIED_EMAIL = re.compile(r"[\w.+\-']+@[a-z][a-z0-9\-]*\Z", re.I)


@lru_cache(maxsize=1024)
def is_email(value: str, *, unqualified: bool = False) -> bool:
    """True for a plain addr-spec such as ``jane@example.com``.

    With ``unqualified``, an address at a one-label host (``jane@intranet``)
    counts too: RFC 5322 allows it, though no one outside that network can
    reach it (``unqualified_email``).
    """
    v = value.strip()
    return _EMAIL.match(v) is not None or (unqualified and unqualified_email(v))


def unqualified_email(value: str) -> bool:
    """True for an address at a host name of one label, ``jane@example``."""
    return _UNQUALIFIED_EMAIL.match(value.strip()) is not None


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


@lru_cache(maxsize=1024)
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


@lru_cache(maxsize=1024)
def is_mime_type(value: str) -> bool:
    """True for a media type such as ``text/html; charset=utf-8``."""
    return _MIME.match(value.strip()) is not None


_EMBEDDED_EMAIL = re.compile(r"[\w.+\-']+@[\w\-]+(?:\.[\w\-]+)*")


@lru_cache(maxsize=1024)
def contact_email(value: str) -> tuple[str | None, bool]:
    """The address in an RSS contact, and whether the layout is RSS's ``email (Name)``.

    A ``mailto:`` URI (RFC 2368) is read as its decoded address, its
    ``?subject=…`` dropped; an address somewhere among other words is
    found, but its layout is not RSS's (as for the W3C validator, which
    warns EmailFormat there).
    """
    v = value.strip()
    if v.lower().startswith("mailto:"):
        v = unquote(v[7:].split("?", 1)[0]).strip()
    if is_email(v, unqualified=True):
        return v, True
    if v.endswith(")") and "(" in v:
        addr = v[: v.index("(")].strip()
        if is_email(addr, unqualified=True):
            return addr, True
    if "<" in v and v.endswith(">"):
        addr = v[v.rindex("<") + 1: -1].strip()
        if is_email(addr, unqualified=True):
            return addr, False
    if v.endswith(")"):
        # "Name (jane@…)" turns RSS's layout around: the name stands where
        # readers look for the address.
        return None, False
    for m in _EMBEDDED_EMAIL.finditer(v):
        if is_email(m.group(), unqualified=True):
            return m.group(), False
    return None, False
