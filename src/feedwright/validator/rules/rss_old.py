"""RSS 1.0, RSS 0.90 and RSS 0.91: the elements each specification requires.

RSS 1.0 (https://web.resource.org/rss/1.0/spec) and Netscape's RSS 0.90 are
RDF documents: ``<rdf:RDF>`` holding a ``<channel>``, then ``<image>``,
``<item>`` and ``<textinput>`` elements side by side, in the RSS 1.0 or the
0.90 namespace.  RSS 0.91 is ``<rss version="0.91">`` and is also judged by
the RSS rules (rss.py, rss_values.py); it differs from 0.92 and 2.0 in
requiring an item's title and link.  These rules check what each
specification requires, not the whole vocabulary: no schema, no values.
They run only on these formats, never on RSS 2.0, Atom or JSON Feed.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from feedwright.validator.document import Document
from feedwright.validator.rules import Finding
from feedwright.validator.rules import rule
from feedwright.validator.rules._xml import items
from feedwright.validator.rules._xml import text

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RSS1_NS = "http://purl.org/rss/1.0/"
RSS090_NS = "http://my.netscape.com/rdf/simple/0.9/"
ABOUT = f"{{{RDF_NS}}}about"

RDF_FORMATS = ("rss1", "rss09x")

# What each RDF-based version requires of each element (RSS 1.0 sections
# 5.3-5.6; RSS 0.90 has the same elements, without <items>).
_REQUIRED_1_0 = {
    "channel": ("title", "link", "description", "items"),
    "image": ("title", "url", "link"),
    "item": ("title", "link"),
    "textinput": ("title", "description", "name", "link"),
}
_REQUIRED_0_90 = {**_REQUIRED_1_0, "channel": ("title", "link", "description")}


def _rdf_namespace(doc: Document) -> str | None:
    """The RSS namespace of an ``<rdf:RDF>`` feed (1.0 or 0.90), None for anything else."""
    ns: str | None = doc.memo("rdf.namespace", lambda: _find_namespace(doc.root))
    return ns


def _find_namespace(root: etree._Element) -> str | None:
    if root.tag != f"{{{RDF_NS}}}RDF":
        return None
    for ns in (RSS1_NS, RSS090_NS):
        if root.find(f"{{{ns}}}channel") is not None:
            return ns
    return None


def _parts(doc: Document, ns: str) -> Iterator[tuple[str, etree._Element]]:
    """The channel and the image, item and textinput elements, in document order."""
    wanted = {f"{{{ns}}}{name}": name for name in _REQUIRED_1_0}
    for el in doc.root:
        name = wanted.get(el.tag) if isinstance(el.tag, str) else None
        if name is not None:
            yield name, el


@rule("rss1-missing-element", "error", "a required element is missing",
      formats=RDF_FORMATS,
      w3c=("MissingElement", "MissingTitle", "MissingLink", "MissingDescription"))
def rdf_missing_element(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RSS 1.0 (and Netscape's RSS 0.90 before it) requires a `<channel>` to
    have a `<title>`, `<link>` and `<description>` (and, in 1.0, the
    `<items>` list of its items), each `<item>` a `<title>` and a `<link>`,
    an `<image>` its `<title>`, `<url>` and `<link>`, and a `<textinput>`
    its `<title>`, `<description>`, `<name>` and `<link>` (W3C:
    MissingElement). Readers show an item without a title as "(untitled)"
    and cannot open one without a link; without a channel title the feed
    is listed by its URL. A reader keyed on links (an RSS 1.0 item has no
    guid) cannot tell items without one apart.

    ## How to fix
    Add the element the message names, in the RSS 1.0 namespace
    (`http://purl.org/rss/1.0/`), or publish RSS 2.0 or Atom instead.
    """
    ns = _rdf_namespace(doc)
    if ns is None:
        return
    required = _REQUIRED_1_0 if ns == RSS1_NS else _REQUIRED_0_90
    for name, el in _parts(doc, ns):
        for child in required[name]:
            if el.find(f"{{{ns}}}{child}") is None:
                yield Finding(node=el, detail=f"<{name}> has no <{child}>")


@rule("rss1-missing-about", "error", "an RSS 1.0 element has no rdf:about",
      formats=("rss1",), w3c=("MissingAttribute",))
def rdf_missing_about(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    In RSS 1.0 the `<channel>`, each `<item>`, `<image>` and `<textinput>`
    is an RDF resource named by its `rdf:about` URI (sections 5.3-5.6;
    W3C: MissingAttribute); the channel's `<items>` list points at the
    items by those URIs. RDF-aware readers cannot connect an item without
    one to the channel, and drop it or the whole feed.

    ## How to fix
    Give each of these elements `rdf:about="…"`, normally its `<link>`'s URL
    (the channel's: the feed's own URL).
    """
    if _rdf_namespace(doc) != RSS1_NS:
        return
    for name, el in _parts(doc, RSS1_NS):
        if not (el.get(ABOUT) or "").strip():
            yield Finding(node=el, detail=f"<{name}>")


@rule("rss091-item-missing-element", "error", "an RSS 0.91 <item> lacks its <title> or <link>",
      formats=("rss09x",), w3c=("MissingElement",))
def rss091_item_missing_element(doc: Document) -> Iterator[Finding]:
    """## Why it matters
    RSS 0.91 requires every `<item>` to have both a `<title>` and a
    `<link>` (RSS 0.92 and 2.0 later made each optional, needing only a
    title or a description). Readers show an item without a title as
    "(untitled)", cannot open one without a link, and, as an RSS 0.91 item
    has no `<guid>`, key items on their link: CommaFeed does not store an
    item with neither guid nor link, and Feedbin makes a new entry of it
    on every fetch.

    ## How to fix
    Give each item a `<title>` and a `<link>`, or declare
    `<rss version="2.0">` and add a `<guid>` to each item.
    """
    if doc.root.tag != "rss" or doc.root.get("version", "").strip() != "0.91":
        return
    for item in items(doc.root):
        missing = [tag for tag in ("title", "link") if not text(item.find(tag))]
        if missing:
            yield Finding(node=item, detail=" and ".join(f"<{tag}>" for tag in missing)
                          + " missing or empty")

