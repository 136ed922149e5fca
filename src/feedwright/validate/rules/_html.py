"""HTML tag scans for rule modules: known and risky tag names, start tags with attributes.

HTML is scanned with regular expressions, not parsed: it is fast and enough
to find tags and attributes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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
