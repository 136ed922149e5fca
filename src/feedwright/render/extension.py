"""feedgen extensions: reading time and word count, and namespace declarations.

Readers ignore elements in namespaces they do not know, so the numbers ride
along in feedwright's own namespace without disturbing anyone (README,
"Reading time and word count").
"""

from __future__ import annotations

from typing import Any

from feedgen.ext.base import BaseEntryExtension
from feedgen.ext.base import BaseExtension
from lxml import etree

from feedwright.render.fragments import FW_NS
from feedwright.render.fragments import FW_PREFIX


class ReadingStats(BaseEntryExtension):  # type: ignore[misc]
    """Adds ``fw:readingTime`` (minutes) and ``fw:wordCount`` to an item or entry."""

    def __init__(self) -> None:
        self.minutes: int | None = None
        self.words: int | None = None

    def set(self, minutes: int | None, words: int | None) -> None:
        self.minutes, self.words = minutes, words

    def extend_ns(self) -> dict[str, str]:
        return {FW_PREFIX: FW_NS}

    def _extend(self, entry: Any) -> Any:
        for name, value in (("readingTime", self.minutes), ("wordCount", self.words)):
            if value is not None:
                etree.SubElement(entry, f"{{{FW_NS}}}{name}").text = str(value)
        return entry

    extend_rss = _extend
    extend_atom = _extend


def namespaces_only(nsmap: dict[str, str]) -> type[BaseExtension]:
    """A feed extension that only declares ``nsmap`` on the root, for spliced fragments."""

    class Declare(BaseExtension):  # type: ignore[misc]
        def extend_ns(self) -> dict[str, str]:
            return dict(nsmap)

    return Declare
