"""Serialising feedgen's elements into bytes that can be reused verbatim.

Per-tag feeds repeat the same entries many times over, so each entry is
serialised once and its bytes are spliced into every feed that holds it.
A fragment's namespace declarations are the document root's job, so they are
stripped from the fragment's own start tag (the root declares them all).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from feedwright.errors import FeedwrightError

#: Namespaces every document we write declares on its root element.
DC_NS = "http://purl.org/dc/elements/1.1/"
#: Dublin Core terms: ``dcterms:extent`` carries the word count (see README).
DCTERMS_NS = "http://purl.org/dc/terms/"

_XMLNS = re.compile(rb'\s+xmlns(?::[A-Za-z_][\w.-]*)?="[^"]*"')


def element_bytes(element: etree._Element, level: int, declared: dict[str, str]) -> bytes:
    """Serialise ``element`` indented for ``level``, without the root's declarations.

    Args:
        element: An item or entry built by feedgen.
        level: Its depth in the document (RSS items: 2, Atom entries: 1).
        declared: prefix → namespace declared on the document root.
    """
    host = etree.Element("host", nsmap=declared)
    host.append(element)
    etree.cleanup_namespaces(host, top_nsmap=declared)
    etree.indent(element, space="  ", level=level)
    element.tail = None
    data: bytes = etree.tostring(element, encoding="utf-8")
    end = data.index(b">")
    start_tag = _XMLNS.sub(b"", data[:end])
    if b"xmlns" in start_tag:  # pragma: no cover - a namespace we did not plan for
        raise FeedwrightError(f"unexpected namespace declaration in {start_tag!r}")
    return b"  " * level + start_tag + data[end:] + b"\n"


def split_head(document: bytes, close_tag: bytes) -> tuple[bytes, bytes]:
    """Split a serialised feed head before ``close_tag`` so fragments go between."""
    at = document.rindex(close_tag)
    line_start = document.rindex(b"\n", 0, at) + 1
    return document[:line_start], document[line_start:]


def line_skeleton(*tags: str) -> Callable[[bytes], bytes]:
    """A renderer's ``skeleton``: its fragments cut down to their first and last
    line and the lines of ``tags``, the elements that relate entries.

    Our fragments are pretty-printed, one such element per line, never the
    first.  The lines are found after a newline (a literal first byte is
    searched for at memchr speed; a MULTILINE '^' is tried at every byte), in
    a lookahead so that consecutive lines are all found.
    """
    names = "|".join(re.escape(t) for t in tags).encode()
    relating = re.compile(rb"\n(?=([ \t]*<(?:" + names + rb")\b[^\n]*\n))")

    def skeleton(fragment: bytes) -> bytes:
        first = fragment[: fragment.index(b"\n") + 1]
        last = fragment[fragment.rindex(b"\n", 0, len(fragment) - 1) + 1 :]
        return first + b"".join(relating.findall(fragment)) + last

    return skeleton
