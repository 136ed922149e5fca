"""Text rules for both formats: markup in plain text, escaping, unsafe or relative HTML.

Fields fall in three kinds: plain text (RSS titles, Atom ``type="text"``),
escaped HTML (RSS descriptions and ``content:encoded``, Atom ``type="html"``)
and inline XHTML (Atom ``type="xhtml"``).  HTML is scanned with regular
expressions, not parsed: it is fast and enough to find tags and attributes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._html import HTML_TAGS
from feedwright.validator.rules._html import RISKY_TAGS
from feedwright.validator.rules._html import SVG_TITLE
from feedwright.validator.rules._html import is_plain_html
from feedwright.validator.rules._html import notable_html_tags
from feedwright.validator.rules._html import srcset_urls
from feedwright.validator.rules._html_wellformed import html_entities
from feedwright.validator.rules._html_wellformed import html_problem
from feedwright.validator.rules._syntax import is_absolute
from feedwright.validator.rules._xml import BOTH
from feedwright.validator.rules._xml import CONTENT_ENCODED
from feedwright.validator.rules._xml import A
from feedwright.validator.rules._xml import all_text
from feedwright.validator.rules._xml import base_in_scope
from feedwright.validator.rules._xml import channel
from feedwright.validator.rules._xml import children
from feedwright.validator.rules._xml import entries
from feedwright.validator.rules._xml import local
from feedwright.validator.rules._xml import tagged_children
from feedwright.validator.rules._xml import text_type


class Field(NamedTuple):
    """One text-bearing element and how its text is to be read (a NamedTuple:
    a large feed has tens of thousands, and a frozen dataclass is several
    times slower to make)."""

    node: etree._Element
    #: "plain", "html" or "xhtml".
    kind: str


_RSS_PLAIN_CHANNEL = ("title", "description", "copyright", "category")
#: An RSS item's text fields, by tag, with their kind.
_RSS_ITEM_KINDS = {"title": "plain", "category": "plain", "description": "html",
                   CONTENT_ENCODED: "html"}
_ATOM_TEXT = (A + "title", A + "subtitle", A + "summary", A + "rights", A + "content")


def _walk_fields(doc: Document) -> Iterator[tuple[etree._Element, str]]:
    """Every text field of ``doc`` and its kind, in document order (walked
    once per document, by ``sorted_fields``; plain pairs, not ``Field`` tuples:
    a ``Field`` is made only for the few fields a rule will look at)."""
    if doc.format == "atom1":
        for parent in (doc.root, *entries(doc.root)):
            for c in parent:
                if c.tag in _ATOM_TEXT and c.get("src") is None:
                    t = text_type(c).lower()
                    if t in ("text", "html", "xhtml"):
                        yield c, "plain" if t == "text" else t
        return
    ch = channel(doc.root)
    if ch is None:
        return
    for tag, c in tagged_children(ch):
        if tag in _RSS_PLAIN_CHANNEL:
            yield c, "plain"
    for img in children(ch, "image"):
        for c in children(img, "title"):
            yield c, "plain"
    kinds = _RSS_ITEM_KINDS.get
    for it in children(ch, "item"):
        for tag, c in tagged_children(it):
            kind = kinds(tag)  # type: ignore[call-overload]
            if kind is not None:
                yield c, kind


def _value(f: Field) -> str:
    return all_text(f.node) if f.kind == "xhtml" else (f.node.text or "")


class Sorted(NamedTuple):
    """The text fields each kind of rule has something to look at, in
    document order, sorted out in one pass (``sorted_fields``)."""

    #: Plain-text fields whose text holds a '<' or a '&#' (markup in plain
    #: text, RSS's hexadecimal references).
    marked: list[Field]
    #: Fields whose value holds a '&' (text escaped twice).
    ampersand: list[Field]
    #: HTML fields that are not plain HTML (``is_plain_html``), and XHTML
    #: fields: the only ones the HTML rules (relative links, security risks,
    #: not-html) can fault.
    markup: list[Field]


def sorted_fields(doc: Document) -> Sorted:
    """``Sorted``, once per document.

    Each text field's value is read once, here, not once per rule (an
    RSS content of 6.5 kB is a new string each time lxml is asked for it),
    and the rules walk only the fields they can fault, usually none: a
    feed of 10,000 items has 50,000 text fields.
    """
    def compute() -> Sorted:
        marked: list[Field] = []
        ampersand: list[Field] = []
        markup: list[Field] = []
        for node, kind in _walk_fields(doc):
            if kind == "xhtml":
                value = all_text(node)
                markup.append(Field(node, kind))
            else:
                value = node.text or ""
                if kind == "plain":
                    if "<" in value or "&#" in value:
                        marked.append(Field(node, kind))
                elif not is_plain_html(value):
                    markup.append(Field(node, kind))
            if "&" in value:
                ampersand.append(Field(node, kind))
        return Sorted(marked, ampersand, markup)

    found: Sorted = doc.memo("text.sorted", compute)
    return found


_END_TAG = re.compile(r"</([a-zA-Z][a-zA-Z0-9]*)\s*>|<(br|hr|img|p)\b[^>]*>", re.I)


@rule("html-in-plain-text", "warning", "HTML markup in a plain-text field", formats=BOTH,
      w3c=("ContainsHTML", "ContainsUndeclaredHTML", "CharacterData"))
def html_in_plain_text(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Titles (and Atom text without `type="html"`) are plain text
    (W3C: ContainsHTML, ContainsUndeclaredHTML): some readers show `<b>`
    literally, others render it, so the title looks different everywhere.

    ## How to fix
    Remove the markup from titles. In Atom, if the text really is HTML,
    say so with `type="html"`.
    """
    for f in sorted_fields(doc).marked:
        value = _value(f)
        if "<" not in value:
            continue
        for m in _END_TAG.finditer(value):
            name = (m.group(1) or m.group(2) or "").lower()
            if name in HTML_TAGS:
                yield Finding(node=f.node, detail=repr(m.group()))
                break


_PLAIN_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#\d+|#x[0-9a-fA-F]+);")
_HTML_DOUBLE = re.compile(r"&amp;(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#\d+|#x[0-9a-fA-F]+);")


@rule("double-escaped-entity", "warning", "text is escaped twice", formats=BOTH,
      w3c=("ContainsHTML",))
def double_escaped_entity(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Text escaped twice reaches the screen still escaped: readers show
    `AT&amp;T` or `&lt;p&gt;` instead of `AT&T` and a paragraph
    (W3C reports it as ContainsHTML in plain text). It happens when a
    template escapes a value that was already escaped.

    ## How to fix
    Escape once: write `AT&amp;T` in the XML (not `AT&amp;amp;T`), or put
    raw HTML in a CDATA section instead of escaping it by hand as well.
    """
    for f in sorted_fields(doc).ampersand:
        value = _value(f)
        if "&" not in value:
            continue
        pattern = _HTML_DOUBLE if f.kind == "html" else _PLAIN_ENTITY
        for m in pattern.finditer(value):
            if f.kind == "html" or m.group()[1] == "#" or m.group()[1:] in html_entities():
                yield Finding(node=f.node, detail=repr(m.group()))
                break


_CONTROL = re.compile("[\x80-\x9f\ufffd]")


@rule("control-characters", "warning", "text contains C1 control or replacement characters",
      formats=BOTH,
      w3c=("BadCharacters",))
def control_characters(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Characters U+0080–U+009F and U+FFFD are almost always mis-decoded
    Windows-1252 or broken UTF-8 (W3C: BadCharacters); readers show boxes or
    question marks where quotes and dashes should be.

    ## How to fix
    Declare and use the encoding the text really is in (UTF-8), and convert
    Windows-1252 input before publishing.
    """
    if not _may_hold_control_characters(doc):
        return
    for el in doc.root.iter():
        if not isinstance(el.tag, str):
            continue
        bad = _control_char(el.text)
        if bad is None:
            for value in el.attrib.values():
                bad = _control_char(str(value))  # lxml-stubs say str | bytes
                if bad is not None:
                    break
        if bad is not None:
            yield Finding(node=el, detail=f"U+{ord(bad):04X}")
            continue
        bad = _control_char(el.tail)
        parent = el.getparent()
        if bad is not None and parent is not None:
            yield Finding(node=parent, detail=f"U+{ord(bad):04X}")


#: (a byte, the pattern to look for only where that byte is found): finding
#: one byte runs at memchr speed, several times faster than any pattern.
_C1_IN_UTF8 = ((b"\xc2", re.compile(rb"\xc2[\x80-\x9f]")),
               (b"\xef", re.compile(rb"\xef\xbf\xbd")),
               (b"#", re.compile(rb"&#")))


def _may_hold_control_characters(doc: Document) -> bool:
    """False when the bytes show that no text can hold one (most documents).

    In a UTF-8 document such a character is either written as its UTF-8
    bytes or as a character reference (also inside an entity's text): when
    neither shows in the bytes, walking every element is not needed.
    """
    encoding = (doc.root.getroottree().docinfo.encoding or "").lower()
    if encoding not in ("utf-8", "utf8"):
        return True
    return any(doc.data.find(byte) >= 0 and pattern.search(doc.data) is not None
               for byte, pattern in _C1_IN_UTF8)


def _control_char(value: str | None) -> str | None:
    """The first C1 control or replacement character in ``value``, if any."""
    if not value or value.isascii():  # isascii is O(1) on str
        return None
    m = _CONTROL.search(value)
    return m.group() if m else None


_URL_ATTRS = ("href", "src", "poster", "background")


_SVG_NS = "{http://www.w3.org/2000/svg}"


def _notable_xhtml_tags(f: Field) -> list[tuple[str, dict[str, str]]]:
    found = []
    for el in f.node.iter():
        if el is not f.node and isinstance(el.tag, str):
            tag = local(el).lower()
            if tag == "title" and el.tag.startswith(_SVG_NS):
                tag = SVG_TITLE
            attrs = {str(k).lower(): str(v) for k, v in el.attrib.items()}
            if attrs or tag in RISKY_TAGS:
                found.append((tag, attrs))
    return found


def _html_refs(doc: Document, f: Field) -> list[tuple[str, dict[str, str]]]:
    """The tags of a ``Sorted.markup`` field that the link and risk rules look at.

    Those with attributes or a risky name: a bare ``<p>`` can be neither a
    relative link nor a risk (and plain HTML's links and images are
    absolute and safe: such fields are not in ``markup``).  Scanned once
    per field and shared.
    """
    refs: dict[etree._Element, list[tuple[str, dict[str, str]]]] = doc.memo("text.html_refs", dict)
    found = refs.get(f.node)
    if found is None:
        if f.kind == "html":
            found = notable_html_tags(f.node.text or "")
        elif f.kind == "xhtml":
            found = _notable_xhtml_tags(f)
        else:
            found = []
        refs[f.node] = found
    return found


@rule("contains-relative-reference", "warning", "HTML content has a relative link",
      formats=BOTH,
      w3c=("ContainsRelRef",))
def contains_relative_reference(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers show the content away from the site, so `href="/about"`,
    `src="img/a.png"` or a `srcset` candidate `img/a@2x.png 2x` points into
    the reader, not the blog (W3C: ContainsRelRef). RSS has no base URL at
    all; in Atom only readers that support `xml:base` can resolve such
    links (support is partial: NetNewsWire#5088, the e-mail services of
    jekyll-feed#395), so it is reported there when no `xml:base` is in scope.

    ## How to fix
    Make links and image sources absolute (`https://example.org/about`) when
    generating the feed.
    """
    atom = doc.format == "atom1"
    for f in sorted_fields(doc).markup:
        if atom and base_in_scope(f.node) is not None:
            continue
        for _tag, attrs in _html_refs(doc, f):
            relative = _relative_reference(attrs)
            if relative is not None:
                yield Finding(node=f.node, detail=relative)
                break


def _relative_reference(attrs: dict[str, str]) -> str | None:
    """The first relative URL among a tag's URL attributes and srcset candidates."""
    for name in _URL_ATTRS:
        ref = attrs.get(name, "").strip()
        if ref and not ref.startswith("#") and not is_absolute(ref):
            return f"{name}={ref!r}"
    for ref in srcset_urls(attrs.get("srcset", "")):
        if not ref.startswith("#") and not is_absolute(ref):
            return f"srcset candidate {ref!r}"
    return None


_SCRIPT_URL = re.compile(r"\s*(?:javascript|vbscript):", re.I)


def _risk(tag: str, attrs: dict[str, str]) -> str | None:
    if tag in RISKY_TAGS:
        return f"<{tag}>"
    for name, value in attrs.items():
        if name.startswith("on"):
            return f"{name}= attribute"
        if name in _URL_ATTRS and _SCRIPT_URL.match(value):
            return f"{name}={value.strip()[:40]!r}"
    return None


@rule("html-security-risk", "warning", "HTML content holds scripts or embedded frames",
      formats=BOTH,
      w3c=("SecurityRisk", "SecurityRiskAttr", "DangerousStyleAttr"))
def html_security_risk(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers strip `<script>`, `<iframe>`, `<object>`, `<style>`, `on…`
    event attributes and `javascript:` links before showing content
    (W3C: SecurityRisk, SecurityRiskAttr), so whatever they carried is lost
    (embedded videos vanish); some readers refuse the entry. (The `<title>`
    of an inline `<svg>` is its accessible name, not a risk.)

    ## How to fix
    Replace embeds with a link or a poster image that links to the page, and
    remove scripts and event handlers from feed content. A site that embeds
    videos on purpose can accept this warning in feedwright's build with
    `gate: {allow: [html-security-risk]}` in its config.
    """
    for f in sorted_fields(doc).markup:
        for tag, attrs in _html_refs(doc, f):
            if f.kind == "xhtml" and tag == "div" and not attrs:
                continue
            risk = _risk(tag, attrs)
            if risk is not None:
                yield Finding(node=f.node, detail=risk)
                break


@rule("empty-title", "warning", "title is empty", formats=BOTH,
      w3c=("NotBlank",))
def empty_title(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Readers list feeds and entries by title (W3C: NotBlank); an empty one
    shows as a blank line or "(untitled)".

    ## How to fix
    Write a title, or for a title-less note leave the element out in RSS
    (a `<description>` suffices) and summarise the note in Atom.
    """
    if doc.format == "atom1":
        parents = [doc.root, *entries(doc.root)]
        tag = A + "title"
    else:
        ch = channel(doc.root)
        parents = [ch, *children(ch, "item"), *children(ch, "image")] if ch is not None else []
        tag = "title"
    for p in parents:
        for node in children(p, tag):
            if (node.text or "").strip():
                continue  # the common case, told without joining every piece of text
            if not all_text(node).strip():
                yield Finding(node=node)


@rule("not-html", "warning", "HTML content is not valid HTML", formats=BOTH,
      w3c=("NotHtml", "HtmlFragment"))
def not_html(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RSS `<description>` and `content:encoded`, and Atom `type="html"` text, are
    HTML: readers render them. What an HTML parser reports as an error
    (W3C: NotHtml) is rendered differently from reader to reader, or cut
    off: a tag left unfinished at the end (`<b`, typical of truncated
    summaries), an element that needs an end tag left open (`<div>`, `<b>`),
    a stray or misnested end tag (`</p>` with no open `<p>`,
    `<b><i>x</b></i>`), an element HTML does not have (`<o:p>`), a bare
    `<` ("a < b" as plain text), or a `&` that starts no character
    reference (`Q&A`, `&copy` without `;`). Elements whose end tag HTML
    allows to be left out (`<p>`, `<li>`, `<td>`…) are fine, and so is
    HTML5: `<video>`, `<picture>`, `<figure>`, `<details>`, `<section>`…,
    and inline `<svg>` and `<math>` with their own elements, self-closed or
    not. Inside those, an end tag must close the element open there, and an
    HTML element such as `<div>` or `<p>` ends the drawing early.

    ## How to fix
    Close what you open and remove stray end tags; when cutting HTML to make
    a summary, cut the text, not the markup. Escape text into HTML before
    putting it in the feed: `<` becomes `&lt;` and `&` becomes `&amp;` (in
    the XML that is `&amp;lt;` and `&amp;amp;`), or use a plain-text field
    (Atom `type="text"`).
    """
    for f in sorted_fields(doc).markup:
        if f.kind != "html":
            continue
        problem = html_problem(f.node.text or "")
        if problem is not None:
            yield Finding(node=f.node, detail=problem)
