"""XML helpers for rule modules: namespaces, format groups, element access.

Rules run on *any* well-formed document of their format, so every helper
here tolerates missing elements and empty text: it returns None or an
empty result instead of raising.
"""

from __future__ import annotations

from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
A = f"{{{ATOM_NS}}}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

RSS = ("rss2", "rss09x")
RSS2 = ("rss2",)
ATOM = ("atom1",)
BOTH = ("rss2", "rss09x", "atom1")


# --- element access -------------------------------------------------------


def text(el: etree._Element | None) -> str:
    """The element's own text, stripped ('' when absent)."""
    if el is None:
        return ""
    return (el.text or "").strip()


def all_text(el: etree._Element) -> str:
    """All text inside ``el`` (for text constructs that may hold markup)."""
    return "".join(t for t in el.itertext() if isinstance(t, str))


def children(parent: etree._Element | None, tag: str) -> list[etree._Element]:
    """Direct children named ``tag`` (Clark notation)."""
    if parent is None:
        return []
    return list(parent.iterchildren(tag))


def channel(root: etree._Element) -> etree._Element | None:
    """The RSS <channel>, or None when the document has none."""
    return next(root.iterchildren("channel"), None)


def items(root: etree._Element) -> list[etree._Element]:
    """RSS items, in document order."""
    return children(channel(root), "item")


def entries(root: etree._Element) -> list[etree._Element]:
    """Atom entries, in document order."""
    return children(root, A + "entry")


def base_in_scope(el: etree._Element) -> str | None:
    """The nearest xml:base on ``el`` or an ancestor, when any."""
    node: etree._Element | None = el
    while node is not None:
        base = node.get(XML_BASE)
        if base is not None:
            return base
        node = node.getparent()
    return None


def atom_links(parent: etree._Element | None) -> list[etree._Element]:
    """atom:link children of ``parent`` (Atom feeds and RSS channels alike)."""
    return children(parent, A + "link")


def alternates(parent: etree._Element) -> list[etree._Element]:
    """``parent``'s atom:link children whose relation is "alternate"."""
    return [li for li in atom_links(parent) if rel_of(li) == "alternate"]


def rel_of(link: etree._Element) -> str:
    """A link's relation; RFC 4287 4.2.7.2: absent means "alternate"."""
    rel = (link.get("rel") or "alternate").strip()
    prefix = "http://www.iana.org/assignments/relation/"
    return rel[len(prefix):] if rel.startswith(prefix) else rel



def first(parent: etree._Element | None, tag: str) -> etree._Element | None:
    """First direct child named ``tag``."""
    if parent is None:
        return None
    return next(parent.iterchildren(tag), None)


def local(el: etree._Element) -> str:
    """Local name of an element ('' for comments and processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def text_type(el: etree._Element) -> str:
    """An Atom text construct's type (default "text")."""
    return (el.get("type") or "text").strip()
