"""Say what is wrong when a schema rejects a document, where libxml2's words mislead.

libxml2's RELAX NG validator reports the pattern it gave up on, not the
fault: a `<category>` without `term` comes out as "<entry> not allowed
inside <feed>", stray text in an entry as "<entry> not allowed inside
<entry>", an attribute it did not expect on `<content>` as a fault of
`<content>`'s type.  When the schema has said "invalid", this module walks
the elements the schemas define and looks for the faults that cause those
messages, in document order, in plain words.  It runs only on documents
the schema rejected, so it costs nothing on valid feeds.

It knows attributes and text, not element order or counts: what it does
not find is reported in libxml2's words (schema.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# RFC 4287's atomLanguageTag; XML 1.0 (2.12) also allows the empty value.
_LANGUAGE_TAG = re.compile(r"(?:[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)?")

# Atom 1.0 (RFC 4287, section 4): each element's own attributes (besides
# xml:base, xml:lang and attributes in a namespace), and those it must have.
_TEXT = ("type",)
_ATOM_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "feed": (), "entry": (), "source": (), "author": (), "contributor": (),
    "name": (), "email": (), "uri": (), "id": (), "updated": (), "published": (),
    "icon": (), "logo": (),
    "title": _TEXT, "subtitle": _TEXT, "summary": _TEXT, "rights": _TEXT,
    "content": ("type", "src"),
    "link": ("href", "rel", "type", "hreflang", "title", "length"),
    "category": ("term", "scheme", "label"),
    "generator": ("uri", "version"),
}
_ATOM_REQUIRED = {"link": ("href",), "category": ("term",)}
# Elements that hold only elements; the others hold text (or XHTML).
_ATOM_CONTAINERS = {"feed", "entry", "source", "author", "contributor"}
_ATOM_PLAIN = {"name", "email", "uri", "id", "updated", "published", "icon", "logo",
               "generator"}

# RSS 2.0 (our rss2.rng): attributes each element may carry, required ones and
# small closed sets of values.  Elements not listed take no attributes.
_RSS_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "rss": ("version",),
    "enclosure": ("url", "length", "type"),
    "guid": ("isPermaLink",),
    "source": ("url",),
    "category": ("domain",),
    "cloud": ("domain", "port", "path", "registerProcedure", "protocol"),
}
_RSS_REQUIRED = {
    "rss": ("version",),
    "enclosure": ("url", "length", "type"),
    "source": ("url",),
    "cloud": ("domain", "port", "path", "registerProcedure", "protocol"),
}
_RSS_VALUES = {
    ("guid", "isPermaLink"): ("true", "false"),
    ("cloud", "protocol"): ("xml-rpc", "soap", "http-post"),
}
_RSS_CONTAINERS = {"rss", "channel", "item", "image", "textInput", "skipHours", "skipDays"}


def explain(root: etree._Element, fmt: str) -> Iterator[tuple[etree._Element, str]]:
    """The faults found, in document order, each with what to say about it."""
    if fmt == "atom1":
        yield from _atom(root)
    elif fmt == "rss2":
        yield from _rss(root)


def _shown(value: str, limit: int = 40) -> str:
    value = " ".join(value.split())
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _stray_text(node: etree._Element) -> str | None:
    """Non-blank text directly inside ``node`` (not inside its children)."""
    for piece in (node.text, *(child.tail for child in node)):
        if piece and piece.strip():
            return piece
    return None


def _atom(node: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    local = etree.QName(node).localname
    allowed = _ATOM_ATTRIBUTES.get(local)
    if allowed is None:
        yield node, (f"<{local}> is not an Atom 1.0 element; extensions belong in a "
                     "namespace of their own")
        return
    lang = node.get(_XML_LANG)
    if lang is not None and not _LANGUAGE_TAG.fullmatch(lang):
        yield node, f"xml:lang {_shown(lang)} is not a language tag"
    for name in map(str, node.attrib):
        if not name.startswith("{") and name not in allowed:
            yield node, (f"<{local}> has no attribute {name!r} in Atom 1.0; an extension "
                         "attribute needs a namespace")
    for name in _ATOM_REQUIRED.get(local, ()):
        if node.get(name) is None:
            yield node, f"<{local}> has no {name} attribute, which it requires"
    if local == "content" and node.get("src") is not None and (
            len(node) or (node.text or "").strip()):
        yield node, "<content src> must be empty: its content is at the src URL"
    if (node.get("type") or "").strip() == "xhtml":
        yield from _xhtml_content(node)
    if local in _ATOM_PLAIN and len(node):
        child = node[0]
        yield child, f"<{local}> holds text only, not elements such as <{_qname(child)}>"
    if local not in _ATOM_CONTAINERS:
        return
    stray = _stray_text(node)
    if stray is not None:
        yield node, f"text {_shown(stray)} is not allowed directly inside <{local}>"
    for child in node:
        if isinstance(child.tag, str) and child.tag.startswith(f"{{{ATOM_NS}}}"):
            yield from _atom(child)


_XHTML_NS = "http://www.w3.org/1999/xhtml"
# The feed's own vocabularies: their elements are entry metadata, never content.
_MISPLACED = {ATOM_NS: "Atom", "http://www.w3.org/2007/app": "the Atom Publishing Protocol"}


def _xhtml_content(construct: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """Elements inside a ``type="xhtml"`` div that are not XHTML content.

    Other namespaces (SVG, MathML, any extension) are allowed there; an
    element in no namespace (a forgotten xmlns) or of Atom or AtomPub is not.
    """
    for div in construct:
        if not isinstance(div.tag, str) or div.tag != f"{{{_XHTML_NS}}}div":
            continue
        stack = list(div)
        while stack:
            el = stack.pop(0)
            if not isinstance(el.tag, str):
                continue
            ns = etree.QName(el).namespace
            if ns is None:
                yield el, (f"<{el.tag}> inside XHTML content has no namespace; it is not "
                           "XHTML (declare xmlns=\"http://www.w3.org/1999/xhtml\" on it "
                           "or leave xmlns=\"\" off)")
            elif ns in _MISPLACED:
                yield el, (f"<{_qname(el)}> of {_MISPLACED[ns]} does not belong inside "
                           "XHTML content; it is entry metadata")
            elif ns == _XHTML_NS:
                stack[0:0] = list(el)


def _rss(node: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag.startswith("{"):
        return  # extensions: any namespace, any content
    if tag == "rss" and node.get("version") not in (None, "2.0"):
        yield node, f'version {_shown(node.get("version", ""))} is not "2.0"'
    allowed = _RSS_ATTRIBUTES.get(tag, ())
    for name in map(str, node.attrib):
        if not name.startswith("{") and name not in allowed:
            yield node, (f"<{tag}> has no attribute {name!r} in RSS 2.0; an extension "
                         "attribute needs a namespace")
    for name in _RSS_REQUIRED.get(tag, ()):
        if node.get(name) is None:
            yield node, f"<{tag}> has no {name} attribute, which it requires"
    for (element, name), values in _RSS_VALUES.items():
        value = node.get(name)
        if tag == element and value is not None and value not in values:
            yield node, (f"{name}={_shown(value)} on <{tag}> is not one of "
                         + ", ".join(values))
    if tag not in _RSS_CONTAINERS:
        return
    stray = _stray_text(node)
    if stray is not None:
        yield node, f"text {_shown(stray)} is not allowed directly inside <{tag}>"
    for child in node:
        if isinstance(child.tag, str):
            yield from _rss(child)


def _qname(node: etree._Element) -> str:
    local = etree.QName(node).localname
    return f"{node.prefix}:{local}" if node.prefix else local
