"""Atom 1.0 content rules: content and summary, text constructs, people, URI values.

Includes RFC 4287's Schematron content-or-alternate constraint that RELAX NG
engines ignore.  W3C message class names are given in each rule's doc.
"""

from __future__ import annotations

import binascii
import functools
import re
from collections.abc import Iterator

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._syntax import bad_uri_char
from feedwright.validator.rules._syntax import is_absolute
from feedwright.validator.rules._syntax import is_email
from feedwright.validator.rules._xml import ATOM
from feedwright.validator.rules._xml import XHTML_NS
from feedwright.validator.rules._xml import XML_BASE
from feedwright.validator.rules._xml import A
from feedwright.validator.rules._xml import all_text
from feedwright.validator.rules._xml import alternates
from feedwright.validator.rules._xml import children
from feedwright.validator.rules._xml import entries
from feedwright.validator.rules._xml import first
from feedwright.validator.rules._xml import tagged_children
from feedwright.validator.rules._xml import text
from feedwright.validator.rules._xml import text_type


@rule("atom-missing-content-or-alternate", "error",
      '<entry> has neither <content> nor <link rel="alternate">', formats=ATOM,
      w3c=("MissingContentOrAlternate",))
def missing_content_or_alternate(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    An entry with no content must link to it (RFC 4287 4.1.1.1; W3C:
    MissingContentOrAlternate); otherwise readers have nothing to show and
    nowhere to send the reader.

    ## How to fix
    Add `<link rel="alternate" href="…"/>` pointing at the post, or include
    `<content>`.
    """
    for e in entries(doc.root):
        if first(e, A + "content") is None and not alternates(e):
            yield Finding(node=e)


def _binary(content: etree._Element) -> bool:
    t = text_type(content).lower()
    if t in ("text", "html", "xhtml") or "/" not in t:
        return False
    return not (t.endswith("+xml") or t.endswith("/xml") or t.startswith("text/"))


@rule("atom-missing-summary", "error",
      "<entry> with out-of-line or binary <content> has no <summary>", formats=ATOM,
      w3c=("MissingSummary",))
def missing_summary(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    When content is elsewhere (`src`) or is base64 media, readers have no
    text to show; RFC 4287 4.1.1.1 then requires `<summary>`
    (W3C: MissingSummary).

    ## How to fix
    Add a plain-text `<summary>` describing the content.
    """
    for e in entries(doc.root):
        c = first(e, A + "content")
        if c is None or first(e, A + "summary") is not None:
            continue
        if c.get("src") is not None or _binary(c):
            yield Finding(node=c)


@rule("atom-missing-textual-content", "warning",
      "<entry> has neither <content> nor <summary>", formats=ATOM,
      w3c=("MissingTextualContent",))
def missing_textual_content(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    With only a link, readers show the title and nothing else
    (W3C: MissingTextualContent); many subscribers never click through.

    ## How to fix
    Add a `<summary>`, or the full post as `<content type="html">`.
    """
    for e in entries(doc.root):
        if first(e, A + "content") is None and first(e, A + "summary") is None:
            yield Finding(node=e)


_TEXT_CONSTRUCTS = ("title", "subtitle", "summary", "rights")


_WANTED_TEXT = frozenset(A + t for t in _TEXT_CONSTRUCTS)


def _text_constructs(doc: Document) -> Iterator[etree._Element]:
    for parent in (doc.root, *entries(doc.root)):
        for tag, c in tagged_children(parent):
            if tag in _WANTED_TEXT:
                yield c


@rule("atom-invalid-text-type", "error",
      'text construct type is not "text", "html" or "xhtml"', formats=ATOM,
      w3c=("InvalidTextType",))
def invalid_text_type(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Titles, subtitles, summaries and rights take only `text`, `html` or
    `xhtml` (RFC 4287 3.1.1; W3C: InvalidTextType); readers fall back to
    showing raw markup or nothing for `text/html` and the like.

    ## How to fix
    Use `type="html"` for escaped HTML, `type="xhtml"` for inline XHTML, or
    leave `type` out for plain text.
    """
    for c in _text_constructs(doc):
        if text_type(c) not in ("text", "html", "xhtml"):
            yield Finding(node=c, detail=repr(c.get("type")))


def _all_text_like(doc: Document) -> Iterator[etree._Element]:
    yield from _text_constructs(doc)
    for e in entries(doc.root):
        yield from children(e, A + "content")


@rule("atom-missing-xhtml-div", "error", 'type="xhtml" content is not wrapped in one '
      "XHTML <div>", formats=ATOM,
      w3c=("MissingXhtmlDiv",))
def missing_xhtml_div(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RFC 4287 3.1.1.3 requires `type="xhtml"` content to be a single
    `<div xmlns="http://www.w3.org/1999/xhtml">` (W3C: MissingXhtmlDiv);
    readers strip that div, so without it they drop the first element or
    show nothing.

    ## How to fix
    Wrap the markup: `<content type="xhtml"><div
    xmlns="http://www.w3.org/1999/xhtml">…</div></content>`.
    """
    div = f"{{{XHTML_NS}}}div"
    for c in _all_text_like(doc):
        if text_type(c) != "xhtml":
            continue
        kids = [k for k in c if isinstance(k.tag, str)]
        stray = text(c) or any((k.tail or "").strip() for k in kids)
        if len(kids) != 1 or kids[0].tag != div or stray:
            yield Finding(node=c)


@rule("atom-unescaped-markup", "error",
      'type="text" or "html" holds child elements', formats=ATOM,
      w3c=("UndefinedElement", "NotEscaped"))
def unescaped_markup(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `type="html"` content must be escaped (`&lt;p&gt;`) and `type="text"`
    holds no markup (RFC 4287 3.1.1; W3C: UndefinedElement); readers
    silently drop child elements, so the text loses its paragraphs or worse.

    ## How to fix
    Escape the HTML (or wrap it in CDATA) with `type="html"`, or switch to
    `type="xhtml"` with a wrapping XHTML `<div>`.
    """
    for c in _all_text_like(doc):
        t = text_type(c).lower()
        if t in ("text", "html") or t.startswith("text/"):
            kid = next((k for k in c if isinstance(k.tag, str)), None)
            if kid is not None:
                yield Finding(node=kid, detail=f"<{etree.QName(kid).localname}>")


@rule("atom-content-src-missing-type", "warning", "<content src> has no type", formats=ATOM,
      w3c=("MissingTypeAttr",))
def content_src_missing_type(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    With out-of-line content readers need the media type to decide whether
    to fetch and how to show it (RFC 4287 4.1.3.1 SHOULD; W3C:
    MissingTypeAttr).

    ## How to fix
    Add `type`, e.g. `type="text/html"` or `type="audio/mpeg"`.
    """
    for e in entries(doc.root):
        for c in children(e, A + "content"):
            if c.get("src") is not None and c.get("type") is None:
                yield Finding(node=c)


@rule("atom-invalid-email", "error", "person <email> is not an e-mail address", formats=ATOM,
      w3c=("InvalidAddrSpec",))
def invalid_email(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    `<email>` holds a bare address (RFC 4287 3.2.3; W3C: InvalidAddrSpec);
    readers make it a `mailto:` link, which breaks on `Jane <jane@…>` or
    `jane at example.org`. An address at a one-label host (`jane@example`)
    is well-formed; `email-unqualified-host` warns about it.

    ## How to fix
    Write only the address, `jane@example.org`; put the name in `<name>`.
    """
    for person in doc.root.iter(A + "author", A + "contributor"):
        for node in children(person, A + "email"):
            if not is_email(text(node), unqualified=True):
                yield Finding(node=node, detail=repr(text(node)))


_IRI_ATTRS = {A + "link": "href", A + "content": "src", A + "generator": "uri",
              A + "category": "scheme"}
_IRI_ELEMENTS = (A + "uri", A + "icon", A + "logo")
#: Attributes that must be absolute IRIs, not references (RFC 4287 4.2.2.2).
_ABSOLUTE_ATTRS = frozenset({(A + "category", "scheme")})


_BASE_NODES = etree.XPath("//*[@xml:base]")


@functools.cache
def _spells_ascii(encoding: str | None) -> bool:
    """Whether a document in ``encoding`` holds ``xml:base`` as its ASCII
    bytes (UTF-8, Latin-1…), not as UTF-16's or EBCDIC's."""
    try:
        return encoding is not None and "xml:base".encode(encoding) == b"xml:base"
    except (LookupError, UnicodeError):
        return False


def _iri_values(doc: Document) -> Iterator[tuple[etree._Element, str, str]]:
    """(element, what, raw value) for every IRI an Atom document holds."""
    for el in doc.root.iter(*_IRI_ATTRS, *_IRI_ELEMENTS):
        if el.tag in _IRI_ELEMENTS:
            yield el, f"<{etree.QName(el).localname}>", el.text or ""
            continue
        attr = _IRI_ATTRS[el.tag]
        value = el.get(attr)
        if value is not None:
            yield el, f"{etree.QName(el).localname} {attr}", value
    if b"xml:base" in doc.data or not _spells_ascii(doc.root.getroottree().docinfo.encoding):
        # rare; no search without it in an encoding that writes it as ASCII
        # (the prefix is fixed, and no entity can make an attribute's name)
        found = _BASE_NODES(doc.root)
        for node in found if isinstance(found, list) else ():
            if isinstance(node, etree._Element):
                yield node, "xml:base", node.get(XML_BASE) or ""


def _iri_problem(el: etree._Element, what: str, value: str) -> str | None:
    stripped = value.strip()
    if stripped != value and stripped:
        return f"{what} {value!r} has spaces or line breaks around it"
    bad = bad_uri_char(value)
    if bad is not None:
        return f"{what} {stripped!r} contains {bad!r}"
    attr = what.rsplit(" ", 1)[-1]
    if (el.tag, attr) in _ABSOLUTE_ATTRS and stripped and not is_absolute(stripped):
        return f"{what} {stripped!r} is relative; it must be an absolute IRI"
    return None


@rule("atom-invalid-uri", "error", "not a valid IRI reference", formats=ATOM,
      w3c=("InvalidFullLink", "InvalidUriChar", "InvalidIRI", "InvalidURI",
           "InvalidURIAttribute", "InvalidURLAttribute", "UnexpectedWhitespace"))
def invalid_uri(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Link targets, content `src`, generator and person URIs, icons, logos,
    category schemes and `xml:base` must be IRI references (RFC 3987; W3C:
    InvalidIRI, InvalidUriChar, UnexpectedWhitespace); a space or `<` in an
    href breaks the link in every reader. Spaces or line breaks *around* an
    IRI are not part of any IRI either: feedparser and most readers strip
    them, but others (and HTTP clients handed the value) request
    `%20https://…` or resolve it as a relative path. A category `scheme` is
    an absolute IRI (RFC 4287 4.2.2.2; W3C: InvalidFullLink): readers
    compare schemes verbatim, and a relative one names nothing.

    ## How to fix
    Percent-encode spaces (`%20`) and other characters not allowed in URLs,
    write the value with nothing around it (`<uri>https://example.org/</uri>`),
    and give category schemes in full (`https://example.org/tags/`).
    """
    for el, what, value in _iri_values(doc):
        problem = _iri_problem(el, what, value)
        if problem is not None:
            yield Finding(node=el, detail=problem)


def _contents(doc: Document) -> Iterator[etree._Element]:
    for e in entries(doc.root):
        yield from children(e, A + "content")


_COMPOSITE = ("multipart/", "message/")


@rule("atom-composite-content-type", "error", "<content> type is a composite media type",
      formats=ATOM, w3c=("InvalidMIMEType",))
def composite_content_type(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RFC 4287 4.1.3.1 forbids composite types (`multipart/*`, `message/*`)
    in `<content type>` (W3C: InvalidMIMEType): content in a feed is one
    part, with no MIME boundaries to split it by, so readers can neither
    show it as text nor decode it as a single file.

    ## How to fix
    Pick the one part to publish and give its own type (`text/html`,
    `type="html"`), or link the message with `src` and a non-composite type.
    """
    for c in _contents(doc):
        t = text_type(c).lower()
        if t.startswith(_COMPOSITE):
            yield Finding(node=c, detail=repr(c.get("type")))


_NOT_BASE64_CHAR = re.compile(r"[^A-Za-z0-9+/=\s]")


def _base64_problem(value: str) -> str | None:
    squeezed = "".join(value.split())
    bad = _NOT_BASE64_CHAR.search(value)
    if bad is not None:
        return f"it contains {bad.group()!r}"
    try:
        binascii.a2b_base64(squeezed, strict_mode=True)
    except binascii.Error as exc:
        return str(exc).rstrip(".").lower()
    return None


@rule("atom-content-not-base64", "error", "binary <content> is not base64", formats=ATOM,
      w3c=("NotBase64",))
def content_not_base64(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Inline content whose type is neither text nor XML (`image/png`,
    `application/pdf`) must be base64-encoded (RFC 4287 4.1.3.3 item 6;
    W3C: NotBase64). Readers decode it as base64: anything else comes out
    as a broken file, or the decoder refuses it and the entry shows nothing.

    ## How to fix
    Base64-encode the bytes (`base64 -w 76 image.png`), or link the file
    with `<content src="…" type="image/png"/>` and add a `<summary>`.
    """
    for c in _contents(doc):
        if c.get("src") is None and _binary(c):
            problem = _base64_problem(all_text(c))
            if problem is not None:
                yield Finding(node=c, detail=problem)


def _xml_typed(content: etree._Element) -> bool:
    t = text_type(content).lower()
    return t.endswith("+xml") or t.endswith("/xml")


@rule("atom-xml-content-mixed", "error", "XML <content> has text beside its element",
      formats=ATOM, w3c=("UnexpectedText",))
def xml_content_mixed(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Content of an XML media type (`application/svg+xml`, `text/xml`) is an
    XML document: its one child element is the document's root (RFC 4287
    4.1.3.3 item 4; W3C: UnexpectedText). Text beside that element belongs
    to no document; readers that hand the content to an SVG or XML
    renderer drop it or fail on it.

    ## How to fix
    Keep only the root element inside `<content>`; move the text into the
    document itself or into `<summary>`.
    """
    for c in _contents(doc):
        if not _xml_typed(c) or c.get("src") is not None:
            continue
        kids = [k for k in c if isinstance(k.tag, str)]
        if not kids:
            continue
        if text(c) or any((k.tail or "").strip() for k in c):
            yield Finding(node=c)
