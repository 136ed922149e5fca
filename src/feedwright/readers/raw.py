"""RawEntry: what a reader found, before the site's defaults are applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime

from feedwright.model import Author


@dataclass(frozen=True)
class RawEntry:
    """An entry as written in its input file; ``resolve`` turns it into an Entry."""

    title: str
    #: A date (takes the site's timezone and time of day) or an aware datetime.
    published: date | datetime
    #: ``file:line`` of the entry's first line.
    source: str
    summary: str = ""
    updated: datetime | None = None
    slug: str | None = None
    url: str | None = None
    id: str | None = None
    content: str | None = None
    tags: tuple[str, ...] = ()
    authors: tuple[Author, ...] = ()
    reading_time: int | None = None
    word_count: int | None = None
    draft: bool = False
