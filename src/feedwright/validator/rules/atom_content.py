"""Atom 1.0 content rules: content and summary, text constructs, people, URI values.

Includes RFC 4287's Schematron content-or-alternate constraint that RELAX NG
engines ignore.  W3C message class names are given in each rule's doc.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._syntax import bad_uri_char
from feedwright.validator.rules._syntax import is_email
from feedwright.validator.rules._xml import ATOM
from feedwright.validator.rules._xml import XHTML_NS
from feedwright.validator.rules._xml import A
from feedwright.validator.rules._xml import alternates
from feedwright.validator.rules._xml import children
from feedwright.validator.rules._xml import entries
from feedwright.validator.rules._xml import first
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


def _text_constructs(doc: Document) -> Iterator[etree._Element]:
    wanted = {A + t for t in _TEXT_CONSTRUCTS}
    for parent in (doc.root, *entries(doc.root)):
        for c in parent:
            if c.tag in wanted:
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
    `jane at example.org`.

    ## How to fix
    Write only the address, `jane@example.org`; put the name in `<name>`.
    """
    for person in doc.root.iter(A + "author", A + "contributor"):
        for node in children(person, A + "email"):
            if not is_email(text(node)):
                yield Finding(node=node, detail=repr(text(node)))


_IRI_ATTRS = ((A + "link", "href"), (A + "content", "src"), (A + "generator", "uri"))
_IRI_ELEMENTS = (A + "uri", A + "icon", A + "logo")


@rule("atom-invalid-uri", "error", "not a valid IRI reference", formats=ATOM,
      w3c=("InvalidFullLink", "InvalidUriChar", "InvalidIRI", "InvalidURI",
           "InvalidURIAttribute", "InvalidURLAttribute"))
def invalid_uri(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    Link targets, icons, logos and person URIs must be IRI references
    (RFC 3987; W3C: InvalidIRI, InvalidUriChar); a space or `<` in an href
    breaks the link in every reader.

    ## How to fix
    Percent-encode spaces (`%20`) and other characters not allowed in URLs.
    """
    for el in doc.root.iter(*(t for t, _ in _IRI_ATTRS), *_IRI_ELEMENTS):
        if el.tag in _IRI_ELEMENTS:
            value: str | None = text(el)
        else:
            value = el.get(dict(_IRI_ATTRS)[el.tag])
        if value is None:
            continue
        bad = bad_uri_char(value)
        if bad is not None:
            yield Finding(node=el, detail=f"{value.strip()!r} contains {bad!r}")
