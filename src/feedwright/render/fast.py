"""What the lxml fast path for entry fragments shares between formats.

``rss.fragment`` and ``atom.fragment`` build an entry's ``<item>`` /
``<entry>`` with lxml directly; feedgen is the reference for their bytes
(``rss.reference_fragment``, ``atom.reference_fragment``) and
``tests/render/test_fastpath.py`` holds the two byte-identical over
generated entries.  Each builds the very tree feedgen builds for an entry
(the same elements, in the same order, with the same texts and attributes)
and serialises it with the same serializer, so the escaping, the refusal of
characters XML cannot carry and the bytes are feedgen's.  What it leaves
out is the work around that tree, about half of feedgen's time per
fragment (the rest is lxml's own: setting and escaping the texts):

- no ``FeedEntry``: no argument checks (``ensure_format``), no extension
  registry, no default ``updated`` read from the clock;
- the pretty-printing whitespace is set while the tree is built (what
  ``etree.indent`` writes: a container's text and every child's tail,
  ``children`` and ``close``) instead of by indenting the tree afterwards;
- the root declares the document root's namespaces from the start, so its
  children take the document's prefixes with no ``cleanup_namespaces``, and
  the declarations come off the start tag as one known string (``bare``);
- an entry's content (~6 kB of HTML: most of a fragment's bytes and of
  lxml's time) is set and escaped once for RSS and Atom alike
  (``escaped``) and spliced into each format's serialised tree (``fill``);
- the RSS date is formatted without switching the process locale to "C"
  and back (feedgen's ``formatRFC2822``, ``rfc822``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from lxml import etree

from feedwright.errors import FeedwrightError
from feedwright.render.fragments import DC_NS
from feedwright.render.fragments import DCTERMS_NS

if TYPE_CHECKING:
    from feedwright.model import Entry

#: What strftime's %a and %b say in the "C" locale, which feedgen switches to.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def template(tag: str, nsmap: dict[str, str]) -> tuple[etree._Element, bytes]:
    """A fragment's root, to copy each fragment's root from, and its start tag
    as lxml writes it.

    The root declares the document root's namespaces so that its children
    use the document's prefixes; ``bare`` takes them off again.  Copying it
    (``copy.copy``, ~0.9 us) is ~4x cheaper than making it anew with its
    namespaces; the template itself is never changed.
    """
    root = etree.Element(tag, nsmap=nsmap)
    empty: bytes = etree.tostring(root)
    return root, empty[:-2] + b">"  # b"<item xmlns:…/>" → b"<item xmlns:…>"


def bare(data: bytes, declared: bytes, tag: str) -> bytes:
    """``data``, serialised from a root whose start tag is ``declared``
    (``template``), with that start tag's declarations taken off: the
    document root makes them (what ``fragments.element_bytes`` does)."""
    if not data.startswith(declared):  # pragma: no cover - lxml changed how it declares
        raise FeedwrightError(f"unexpected start tag in a fragment: {data[:200]!r}")
    return b"<" + tag.encode() + data[len(declared) - 1:]


def children(parent: etree._Element, level: int) -> Callable[[str, str | None], etree._Element]:
    """A maker of the children of ``parent``, which sits at depth ``level``.

    Each child (``tag``, ``text``) comes with the line break and indentation
    ``etree.indent`` would give it; ``close`` sets the last one's tail.
    """
    inner = "\n" + "  " * (level + 1)
    parent.text = inner
    sub = etree.SubElement

    def child(tag: str, text: str | None) -> etree._Element:
        element = sub(parent, tag)
        element.text = text
        element.tail = inner
        return element

    return child


def close(parent: etree._Element, level: int) -> None:
    """The last child's tail: a line break and the indentation of ``parent``."""
    parent[-1].tail = "\n" + "  " * level


_DC_FORMAT = f"{{{DC_NS}}}format"
_DCTERMS_EXTENT = f"{{{DCTERMS_NS}}}extent"


def reading(add: Callable[[str, str | None], etree._Element], entry: Entry) -> None:
    """The entry's reading time and word count as Dublin Core, the same in
    RSS and Atom (what ``extension`` writes through feedgen)."""
    if entry.reading_time:
        add(_DC_FORMAT, f"{entry.reading_time} min read")
    if entry.word_count:
        add(_DCTERMS_EXTENT, str(entry.word_count))


def aware(moment: datetime) -> datetime:
    """``moment``, refused as feedgen refuses it when it has no time zone."""
    if moment.tzinfo is None:
        raise ValueError("Datetime object has no timezone info")  # feedgen's words
    return moment


def rfc822(moment: datetime) -> str:
    """feedgen's ``formatRFC2822`` (``%a, %d %b %Y %H:%M:%S %z`` in the "C"
    locale) without touching the process locale: English day and month
    names, what "C" gives, and the numbers from ``strftime``."""
    day = _DAYS[moment.weekday()]
    month = _MONTHS[moment.month - 1]
    return moment.strftime(f"{day}, %d {month} %Y %H:%M:%S %z")


@functools.lru_cache(maxsize=4)
def escaped(text: str) -> bytes:
    """``text`` as lxml writes it as an element's text: escaped, UTF-8, and
    refused with lxml's error if XML cannot carry a character of it.

    The RSS and the Atom fragment of an entry are made one after the other
    (``gate.render_and_check``), so the second finds the first's bytes here.
    An element's text is escaped the same whatever the element.
    """
    holder = etree.Element("t")
    holder.text = text
    data: bytes = etree.tostring(holder, encoding="utf-8")
    return data[len(b"<t>"):-len(b"</t>")]


def fill(data: bytes, empty: bytes, text: bytes) -> bytes:
    """``data`` with the element serialised as ``empty`` (``b'<tag a="v"/>'``,
    the one element of the fragment written so) given ``text`` (``escaped``).

    Markup is the only ``<`` in serialised XML, so ``empty`` is found where
    the element is and nowhere in a text.
    """
    at = data.index(empty)
    name = empty[1:-2].split(b" ", 1)[0]
    return b"".join((data[:at], empty[:-2], b">", text, b"</", name, b">",
                     data[at + len(empty):]))
