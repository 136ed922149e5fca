"""XML helpers for rule modules: namespaces, format groups, element access.

Rules run on *any* well-formed document of their format, so every helper
here tolerates missing elements and empty text: it returns None or an
empty result instead of raising.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Sequence
from contextlib import contextmanager
from contextvars import ContextVar

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


class Kids(dict[object, list[etree._Element]]):
    """A parent's children by tag (each list in document order), and in
    ``order`` every child with its tag, in document order."""

    __slots__ = ("order",)
    order: list[tuple[object, etree._Element]]


#: Each parent's children by tag, while one document's rules run (``indexed``).
_INDEX: ContextVar[dict[etree._Element, Kids] | None] = ContextVar("children_by_tag", default=None)


@contextmanager
def indexed() -> Iterator[None]:
    """Index each element's children by tag the first time a rule asks for them.

    Rules ask for the same children of every item again and again (dozens of
    lookups per item); walking an item's children once and answering from a
    dict after that is several times cheaper.  The one visit also notes each
    child's tag (``tagged_children``): lxml builds a new string each time
    ``.tag`` is read, so rules that look at every child read them from here.
    The index holds the element proxies, so lxml hands out the same ones
    meanwhile, and dies with the block.
    """
    token = _INDEX.set({})
    try:
        yield
    finally:
        _INDEX.reset(token)


def indexing() -> bool:
    """Whether the children are indexed now (``indexed``): a rule that would
    ask for one or two kinds of children of every item, and nothing else of
    them, is cheaper asking lxml for those alone when they are not."""
    return _INDEX.get() is not None


def _group(parent: etree._Element) -> Kids:
    # The children and their tags in one comprehension, then grouped: a
    # fifth cheaper than one loop doing both (10,000 items of 11 children).
    order: list[tuple[object, etree._Element]] = [(child.tag, child) for child in parent]
    kids = Kids()
    get = kids.get
    for tag, child in order:
        found = get(tag)
        if found is None:
            kids[tag] = [child]
        else:
            found.append(child)
    kids.order = order
    return kids


def _by_tag(index: dict[etree._Element, Kids], parent: etree._Element) -> Kids:
    kids = index[parent] = _group(parent)
    return kids


def by_tag(parent: etree._Element) -> Kids:
    """``parent``'s children grouped by tag (Clark notation), each list in
    document order; read it, never change it.  Answered from the index
    while rules run, so a rule that asks for several kinds of children of
    every item walks none of them again."""
    index = _INDEX.get()
    if index is None:
        return _group(parent)
    kids = index.get(parent)
    if kids is None:
        kids = _by_tag(index, parent)
    return kids


def tagged_children(parent: etree._Element) -> list[tuple[object, etree._Element]]:
    """``(tag, child)`` for every child of ``parent``, in document order
    (comments and processing instructions too: their tag is not a str)."""
    return by_tag(parent).order


# ``children`` and ``first`` are called dozens of times per entry: the index is
# looked up inline, and ``_by_tag`` is called only the first time.


def children(parent: etree._Element | None, tag: str) -> Sequence[etree._Element]:
    """Direct children named ``tag`` (Clark notation; a bare name is in no namespace).

    While rules run, the index's own list: a Sequence, read and never
    changed (a copy for each of ~100,000 calls cost more than the look-up).
    """
    if parent is None:
        return []
    index = _INDEX.get()
    if index is None:
        return list(parent.iterchildren(tag))
    kids = index.get(parent)
    if kids is None:
        kids = _by_tag(index, parent)
    return kids.get(tag, _NONE)


_NONE: tuple[etree._Element, ...] = ()


def channel(root: etree._Element) -> etree._Element | None:
    """The RSS <channel>, or None when the document has none (from the
    children index while rules run: two dozen rules ask for it per document)."""
    return first(root, "channel")


def items(root: etree._Element) -> Sequence[etree._Element]:
    """RSS items, in document order."""
    return children(channel(root), "item")


_CONTACTS = ("managingEditor", "webMaster")


def contact_nodes(root: etree._Element) -> Iterator[etree._Element]:
    """RSS elements that hold an e-mail contact: the channel's editor and
    webmaster, each item's author."""
    ch = channel(root)
    if ch is None:
        return
    for tag in _CONTACTS:
        yield from children(ch, tag)
    for it in children(ch, "item"):
        yield from children(it, "author")


def entries(root: etree._Element) -> Sequence[etree._Element]:
    """Atom entries, in document order; an entry document's root is its one entry."""
    if root.tag == A + "entry":
        return [root]
    return children(root, A + "entry")


def is_entry_document(root: etree._Element) -> bool:
    """True for an Atom entry document (RFC 4287 4.1.2: a root ``<entry>``)."""
    return root.tag == A + "entry"


def base_in_scope(el: etree._Element) -> str | None:
    """The nearest xml:base on ``el`` or an ancestor, when any."""
    node: etree._Element | None = el
    while node is not None:
        base = node.get(XML_BASE)
        if base is not None:
            return base
        node = node.getparent()
    return None


def atom_links(parent: etree._Element | None) -> Sequence[etree._Element]:
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
    index = _INDEX.get()
    if index is None:
        return next(parent.iterchildren(tag), None)
    kids = index.get(parent)
    if kids is None:
        kids = _by_tag(index, parent)
    found = kids.get(tag)
    return found[0] if found else None


def local(el: etree._Element) -> str:
    """Local name of an element ('' for comments and processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def text_type(el: etree._Element) -> str:
    """An Atom text construct's type (default "text")."""
    return (el.get("type") or "text").strip()
