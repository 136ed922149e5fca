"""The feed formats feedwright writes: one data-only table, read by every layer.

A format is named once here (as config.yaml names it) with the facts other
modules need about it; its renderer is ``feedwright/render/<module>.py``
(registered in ``render/__init__.py``), and the validator knows it under
``validator_name``.  Adding a format starts here: see docs/dev.md, "Adding a
format".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """What the layers need to know about one output format."""

    #: As config.yaml, Output.format and the renderer registry name it.
    name: str
    #: The file each feed is written to, inside the feed's folder.
    file_name: str
    #: The media type readers expect it served with (self links carry it).
    media_type: str
    #: The validator's name for the format (report.REPORT_FORMATS, the JSON contract).
    validator_name: str


#: Every format feedwright writes, by name, in the order documents are made.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("rss", "rss.xml", "application/rss+xml", "rss2"),
        Format("atom", "atom.xml", "application/atom+xml", "atom1"),
        Format("json", "feed.json", "application/feed+json", "jsonfeed1"),
    )
}

#: The formats a config that names none gets (those feedwright wrote first:
#: adding one would put new files beside every deploy's feeds unasked).
DEFAULT_FORMATS = ("rss", "atom")
