"""feedgen extensions: reading time and word count, and namespace declarations.

The numbers ride in Dublin Core, which every reader tolerates and the W3C
validator knows (an own namespace draws its UnknownNamespace warning):
``dc:format`` "13 min read" (DCMI: format includes the resource's duration)
and ``dcterms:extent`` = the word count (its size; W3C checks it is a
positive integer).  See README, "Reading time and word count".
"""

from __future__ import annotations

from typing import Any

from feedgen.ext.base import BaseEntryExtension
from feedgen.ext.base import BaseExtension
from lxml import etree

from feedwright.render.fragments import DC_NS
from feedwright.render.fragments import DCTERMS_NS


class ReadingStats(BaseEntryExtension):  # type: ignore[misc]
    """Adds ``dc:format`` (reading time) and ``dcterms:extent`` (word count)."""

    def __init__(self) -> None:
        self.minutes: int | None = None
        self.words: int | None = None

    def set(self, minutes: int | None, words: int | None) -> None:
        self.minutes, self.words = minutes, words

    def extend_ns(self) -> dict[str, str]:
        return {"dc": DC_NS, "dcterms": DCTERMS_NS}

    def _extend(self, entry: Any) -> Any:
        if self.minutes:
            etree.SubElement(entry, f"{{{DC_NS}}}format").text = f"{self.minutes} min read"
        if self.words:  # W3C: a positive integer
            etree.SubElement(entry, f"{{{DCTERMS_NS}}}extent").text = str(self.words)
        return entry

    extend_rss = _extend
    extend_atom = _extend


def namespaces_only(nsmap: dict[str, str]) -> type[BaseExtension]:
    """A feed extension that only declares ``nsmap`` on the root, for spliced fragments."""

    class Declare(BaseExtension):  # type: ignore[misc]
        def extend_ns(self) -> dict[str, str]:
            return dict(nsmap)

    return Declare
