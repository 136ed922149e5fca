"""Make every relative URL in an entry's HTML absolute, against the entry's own URL.

Readers show content away from the site: ``href="/about/"`` or
``src="img/x.jpg"`` would point into the reader, not the blog, and the gate
refuses it (contains-relative-reference).  Every format gets the same
absolute URLs; there is no ``xml:base``, which many readers and e-mail
services ignore.

The HTML is tokenised with the standard library's ``html.parser`` and only
the values of URL attributes are rewritten, in place: every other byte stays
as written.  lxml's HTML parser was tried first and set aside, because it
changes what it does not understand (``tests/test_links.py`` pins each
case): it lower-cases SVG's ``viewBox`` and ``linearGradient`` (the drawing
breaks), treats ``<source>`` as a container (it wraps the next ``<img>`` and
adds a ``</source>`` that HTML does not have), turns ``&nbsp;`` into raw
characters and ``<br/>`` into ``<br>``, and its ``make_links_absolute`` misses
``srcset``.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urljoin

#: Attributes that hold one URL.  ``srcset`` holds several (``_srcset``).
URL_ATTRIBUTES = frozenset({"href", "src", "poster", "background", "cite", "xlink:href"})

#: Elements whose content is SVG or MathML: a fragment-only reference there
#: (``<use href="#icon">``) names an element of the same drawing, and must stay so.
_FOREIGN = frozenset({"svg", "math"})

#: HTML's whitespace, as it strips it around a URL (not Python's wider ``\s``).
_WS = " \t\n\r\f"
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:")

#: The attributes that may hold a relative URL (``srcset`` always may).
_URL_ATTRIBUTES = ("srcset", "href", "src", "poster", "background", "cite")
#: The start of an attribute's value that has no scheme (a relative URL).
_NO_SCHEME = r"(?![a-zA-Z][a-zA-Z0-9+.\-]*:)"
_RELATIVE_VALUE = re.compile(
    rf"(?:\"[{_WS}]*{_NO_SCHEME}|'[{_WS}]*{_NO_SCHEME}|(?![\s\"']){_NO_SCHEME})"
)


#: The starts of an attribute's value that make it absolute for ``_RELATIVE_VALUE``.
_QUOTED_HTTP = ('"https:', '"http:', "'https:", "'http:")


def _maybe_relative(content: str) -> bool:
    """Whether some attribute of ``content`` may hold a relative URL: found from
    each ``=`` (a literal, searched at C speed; an HTML text has few), looking
    back for an attribute name and ahead at the value.  It finds at least
    every attribute ``make_absolute`` rewrites (tests/test_links.py checks it
    on generated HTML), and may find more: those are then parsed for nothing.
    Content without one (most content) is returned as it is, unparsed.
    """
    at = content.find("=")
    while at != -1:
        # The common case first: a quoted http(s) URL after the '=' is absolute,
        # so only a srcset's '=' could count, and a name that ends in neither
        # t, T nor whitespace (which rstrip would take) does not end in srcset.
        if content.startswith(_QUOTED_HTTP, at + 1):
            before = content[at - 1]
            if before not in "tT" and not before.isspace():
                at = content.find("=", at + 1)
                continue
        name = content[max(0, at - 24) : at].rstrip().lower()
        if name.endswith(_URL_ATTRIBUTES):
            if name.endswith("srcset"):
                return True
            # Any whitespace Python knows (as html.parser's \\s), and '='s.
            value = content[at + 1 : at + 200].lstrip().lstrip("=").lstrip()
            if _RELATIVE_VALUE.match(value):
                return True
        at = content.find("=", at + 1)
    return False


#: The tag name, then one attribute at a time, as ``html.parser`` reads a
#: start tag (its ``tagfind_tolerant`` and ``attrfind_tolerant``): the name,
#: and a value, quoted or up to whitespace or ``>``, when there is a ``=``.
_TAG_NAME = re.compile(r"<[a-zA-Z][^\t\n\r\f />\x00]*(?:\s|/(?!>))*")
_ATTRIBUTE = re.compile(
    r"((?<=['\"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|\"[^\"]*\"|(?!['\"])[^>\s]*))?(?:\s|/(?!>))*"
)
_QUOTED = {'"': "&quot;", "'": "&#39;"}
_SKIP = re.compile(r"[\s,]*")
_CANDIDATE_URL = re.compile(r"\S+")
#: A srcset candidate's descriptors: up to the next comma outside parentheses.
_DESCRIPTORS = re.compile(r"[^,(]*(?:\([^)]*\)?[^,(]*)*")


def make_absolute(content: str, base: str) -> str:
    """``content`` with every relative URL made absolute against ``base``.

    ``href``, ``src``, ``poster``, ``background``, ``cite`` and each candidate
    of ``srcset`` (its descriptor kept); fragment-only references
    (``#fn:1``) become ``base#fn:1``, except inside SVG and MathML.
    Absolute URLs and other schemes (``mailto:``, ``data:``) are left alone,
    and so is everything that is not a URL attribute's value.

    Args:
        content: HTML, as the entry holds it.
        base: The entry's absolute URL.
    """
    if not _maybe_relative(content):
        return content
    return rewrite(content, base)


def rewrite(content: str, base: str) -> str:
    """``make_absolute`` without its shortcut: every start tag is looked at."""
    starts = _StartTags()
    starts.feed(content)
    starts.close()
    line_starts = [0]
    line_starts.extend(m.end() for m in re.finditer("\n", content))
    out: list[str] = []
    done = 0
    for line, column, raw, foreign in starts.found:
        at = line_starts[line - 1] + column
        if content.startswith(raw, at) and at >= done:
            new = _tag(raw, base, foreign)
            if new != raw:
                out.append(content[done:at])
                out.append(new)
                done = at + len(raw)
    if not out:
        return content
    out.append(content[done:])
    return "".join(out)


class _StartTags(HTMLParser):
    """Collects each start tag's place, its text as written, and whether it
    is inside SVG or MathML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        #: (line, column, the tag as written, inside SVG or MathML).
        self.found: list[tuple[int, int, str, bool]] = []
        self._foreign = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text()
        if tag in _FOREIGN:
            self._foreign += 1
        if raw is not None:
            line, column = self.getpos()
            self.found.append((line, column, raw, self._foreign > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag in _FOREIGN and self._foreign:
            self._foreign -= 1


def _tag(raw: str, base: str, foreign: bool) -> str:
    """One start tag with its URL attributes' values made absolute."""
    name = _TAG_NAME.match(raw)
    if name is None:
        return raw
    out: list[str] = []
    done = 0
    pos = name.end()
    while (m := _ATTRIBUTE.match(raw, pos)) is not None and m.end() > pos:
        pos = m.end()
        attribute, written = m.group(1).lower(), m.group(3)
        if not written or (attribute not in URL_ATTRIBUTES and attribute != "srcset"):
            continue
        quote = written[0] if written[0] in "\"'" else ""
        value = html.unescape(written[1:-1] if quote else written)
        new = _srcset(value, base, foreign) if attribute == "srcset" else _url(value, base, foreign)
        if new != value:
            quote = quote or '"'
            escaped = new.replace("&", "&amp;").replace(quote, _QUOTED[quote])
            out.append(raw[done:m.start(3)])
            out.append(quote + escaped + quote)
            done = m.end(3)
    if not out:
        return raw
    out.append(raw[done:])
    return "".join(out)


def _url(value: str, base: str, foreign: bool) -> str:
    """One URL made absolute, or as it was when it already is, or names no place."""
    ref = value.strip(_WS)
    if not ref or _SCHEME.match(ref) or (foreign and ref.startswith("#")):
        return value
    return urljoin(base, ref)


def _srcset(value: str, base: str, foreign: bool) -> str:
    """Each candidate's URL made absolute; commas, spaces and descriptors kept.

    A candidate is a URL (a run of non-space characters, trailing commas not
    its own) and descriptors up to the next comma (``1x``, ``640w``), as
    HTML's srcset parsing reads it; a ``data:`` URL's commas stay inside it.
    """
    out: list[str] = []
    pos, end = 0, len(value)
    while pos < end:
        skipped = _SKIP.match(value, pos)
        assert skipped is not None  # it matches the empty string
        out.append(skipped.group())
        pos = skipped.end()
        if pos >= end:
            break
        found = _CANDIDATE_URL.match(value, pos)
        assert found is not None  # value[pos] is neither a space nor a comma
        url = found.group()
        pos = found.end()
        core = url.rstrip(",")
        out.append(_url(core, base, foreign) + url[len(core):])
        if core != url:
            continue
        descriptors = _DESCRIPTORS.match(value, pos)
        assert descriptors is not None
        out.append(descriptors.group())
        pos = descriptors.end()
    return "".join(out)
