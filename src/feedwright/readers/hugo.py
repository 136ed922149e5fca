"""A Hugo site's posts, with the URLs, titles and dates Hugo itself gives them.

Posts are the regular Markdown pages of the site's main sections
(``content/<section>/**``): ``mainSections`` when the site sets it, else
Hugo's own pick, the section with the most regular pages (each subsection
counting five).  A page bundle's ``index.md`` is a post (its other files are
the bundle's resources); ``_index.md`` is a section's list page and a page
at the top of ``content/`` (``about.md``) is a stray page: neither is a post.

Each post is read with the Markdown reader's parts (``readers/front_matter.py``
for the front matter at its lines, ``readers/markdown.py`` for rendering,
summary, shortcode removal and notices), with Hugo's rules on top:

* Dates: a date or datetime without an offset is in the site's ``timeZone``
  (UTC when unset), a date alone at midnight; so every date is aware, as in
  Hugo.  ``publishDate`` is the publication date when given, else ``date``;
  ``lastmod`` is the update; ``expiryDate`` is ``RawEntry.expires``.
* URLs: the absolute URL Hugo gives the page (``readers/hugo_urls.py``).
* Drafts, scheduled and expired posts are returned, flagged (``draft``, the
  date, ``expires``): leaving them out, and saying so, is the caller's job.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from datetime import tzinfo
from pathlib import Path
from urllib.parse import urlsplit

from feedwright.errors import ConfigError
from feedwright.errors import InputError
from feedwright.errors import quoted
from feedwright.mapping import Fields
from feedwright.readers.front_matter import split_front_matter
from feedwright.readers.hugo_config import HugoSite
from feedwright.readers.hugo_config import load_hugo_config
from feedwright.readers.hugo_urls import PageValues
from feedwright.readers.hugo_urls import absolute
from feedwright.readers.hugo_urls import default_link
from feedwright.readers.hugo_urls import link_from_url
from feedwright.readers.hugo_urls import page_link_from_pattern
from feedwright.readers.hugo_urls import urlize
from feedwright.readers.markdown import KEYS
from feedwright.readers.markdown import front_authors
from feedwright.readers.markdown import front_tags
from feedwright.readers.markdown import render_body
from feedwright.readers.notices import Notices
from feedwright.readers.raw import RawEntry
from feedwright.readers.raw import read_text

__all__ = ["HugoSite", "load_hugo_config", "read_hugo_site", "urlize"]

#: The front matter keys read (lower case): the Markdown reader's and Hugo's expiry.
_KNOWN = frozenset(KEYS) | {"expirydate", "unpublishdate"}

#: Hugo's ``Date``: ``date``, else ``publishDate`` (and aliases), else ``lastmod``.
DATE_KEYS = ("date", "publishdate", "pubdate", "published", "lastmod", "modified")
#: Hugo's ``PublishDate``: ``publishDate`` (and aliases), else ``date``.
PUBLISH_KEYS = ("publishdate", "pubdate", "published", "date")
LASTMOD_KEYS = ("lastmod", "modified")
EXPIRY_KEYS = ("expirydate", "unpublishdate")

#: The suffixes Hugo reads as Markdown.
MARKDOWN = (".md", ".markdown", ".mdown")
#: Content Hugo renders with other tools; in a main section these are left out, with a notice.
OTHER_CONTENT = (".html", ".htm", ".org", ".adoc", ".asciidoc", ".ad", ".pandoc", ".pdc", ".rst")
OTHER = "left out Hugo pages that are not Markdown, which feedwright cannot render"

#: A date, or a datetime with ``T`` or a space, seconds and offset optional.
_WHEN = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*"
    r"([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$"
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class _Page:
    """A regular page found under the content folder."""

    path: Path
    #: Folders from the content folder to the page (a bundle's: to the bundle's parent).
    dirs: tuple[str, ...]
    #: The file's name without suffix; a bundle's folder name.
    name: str
    sections: tuple[str, ...]


def read_hugo_site(root: Path, notices: Notices, *, base_url: str | None = None
                   ) -> list[RawEntry]:
    """The posts of the Hugo site at root, in file order, drafts and all.

    Args:
        root: The site's folder (where ``hugo.toml`` or ``config.toml`` is).
        notices: Told of shortcodes removed and pages in formats left out.
        base_url: Instead of the site's ``baseURL`` (Hugo's ``--baseURL``).

    Raises:
        ConfigError: No Hugo site, a bad setting, no absolute ``baseURL``.
        InputError: A post that cannot be read (front matter, a date, an
            absolute ``url``), at ``file:line``.
    """
    site = load_hugo_config(root)
    base = base_url or site.base_url
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"baseURL: a feed needs the site's absolute URL, got {quoted(base)}; set "
                          "baseURL = 'https://example.org/' in the Hugo config",
                          str(site.config_file))
    if not site.content_dir.is_dir():
        raise ConfigError(f"no content folder {site.content_dir}", str(site.config_file))
    pages = find_pages(site.content_dir)
    main = set(site.main_sections or main_section(pages, site.content_dir))
    entries = []
    for page in pages:
        if not page.sections or page.sections[0] not in main:
            continue
        if page.path.suffix.lower() not in MARKDOWN:
            notices.add(OTHER, page.path.suffix, str(page.path))
            continue
        entries.append(_read_post(site, base, page, notices))
    return entries


def find_pages(content: Path) -> list[_Page]:
    """Every regular page: leaf bundles' ``index.*`` and the files beside no ``index.*``."""
    pages: list[_Page] = []
    suffixes = MARKDOWN + OTHER_CONTENT
    for folder, dirnames, filenames in os.walk(content):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(folder)
        dirs = here.relative_to(content).parts
        files = sorted(f for f in filenames if not f.startswith(".") and not f.endswith("~")
                       and Path(f).suffix.lower() in suffixes)
        bundle = next((f for f in files if Path(f).stem == "index"), None)
        if bundle is not None and dirs:  # a leaf bundle: the rest is its resources
            dirnames[:] = []
            pages.append(_Page(here / bundle, dirs[:-1], dirs[-1], _sections(content, dirs)))
            continue
        for name in files:
            if Path(name).stem != "_index":
                pages.append(_Page(here / name, dirs, Path(name).stem, _sections(content, dirs)))
    return pages


def _sections(content: Path, dirs: tuple[str, ...]) -> tuple[str, ...]:
    """The page's section path: the first folder, down to the nearest with ``_index.*``."""
    for depth in range(len(dirs), 1, -1):
        if any((content.joinpath(*dirs[:depth]) / f"_index{s}").is_file()
               for s in MARKDOWN + OTHER_CONTENT):
            return dirs[:depth]
    return dirs[:1]


def main_section(pages: list[_Page], content: Path) -> tuple[str, ...]:
    """Hugo's pick when ``mainSections`` is unset: the top section with the most pages
    of its own plus five per subsection; a tie goes to the last by name, as in Hugo
    (pages are counted as files, drafts included)."""
    weights: dict[str, int] = {}
    subsections: dict[str, set[tuple[str, ...]]] = {}
    for page in pages:
        if not page.sections:
            continue
        top = page.sections[0]
        weights.setdefault(top, 0)
        if len(page.sections) == 1:
            weights[top] += 1
        else:
            subsections.setdefault(top, set()).add(page.sections[:2])
    best: tuple[str, ...] = ()
    most = 0
    for top in sorted(weights):
        weight = weights[top] + 5 * len(subsections.get(top, ()))
        if weight >= most:
            best, most = (top,), weight
    return best


def _read_post(site: HugoSite, base: str, page: _Page, notices: Notices) -> RawEntry:
    file = str(page.path)
    front = split_front_matter(read_text(page.path), file, _KNOWN)
    where = f"{file}:{front.line}"
    fields = Fields(front.data, _KNOWN, where=where, what="the front matter", file=file)
    title = fields.text("title")
    if title is None or not title.strip():
        raise InputError("title is required: add title = \"…\" to the front matter",
                         fields.at("title"))
    hugo_date = _first(fields, DATE_KEYS, site.tz)
    published = _first(fields, PUBLISH_KEYS, site.tz) or hugo_date
    if published is None:
        raise InputError("date is required: add date = 2026-03-31 (or a datetime) to the "
                         "front matter", where)
    updated = _first(fields, LASTMOD_KEYS, site.tz)
    if updated is not None and updated < published:  # Hugo allows it; a feed cannot
        updated = None
    slug = fields.text("slug") or ""
    url = fields.text("url")
    if url is not None and url.strip():
        if _SCHEME.match(url.strip()):
            raise fields.fail("url", f"{quoted(url)} is absolute; Hugo refuses URLs with a "
                              "protocol too: write the path, e.g. url = \"/post/x/\"")
        link = link_from_url(url.strip())
    else:
        values = PageValues(title=title, slug=slug, filename=page.name,
                            section=page.sections[0], sections=page.sections, dirs=page.dirs,
                            date=hugo_date)
        pattern = site.permalinks.get(page.sections[0])
        link = (page_link_from_pattern(pattern, values, site.ugly_urls) if pattern
                else default_link(values, site.ugly_urls))
    body = render_body(fields, front.body, file, notices)
    return RawEntry(
        title=title,
        published=published,
        source=where,
        summary=body.summary,
        updated=updated,
        slug=slug or None,
        url=absolute(base, link),
        content=body.content,
        tags=front_tags(fields),
        authors=front_authors(fields),
        reading_time=body.reading_time,
        word_count=body.word_count,
        draft=fields.flag("draft"),
        expires=_first(fields, EXPIRY_KEYS, site.tz),
    )


def _first(fields: Fields, keys: tuple[str, ...], tz: tzinfo) -> datetime | None:
    key = next((k for k in keys if fields.get(k) is not None), None)
    return None if key is None else hugo_when(fields, key, tz)


def hugo_when(fields: Fields, key: str, tz: tzinfo) -> datetime:
    """A front matter date as Hugo reads it: always aware, the site's zone where none is
    written, a date alone at midnight.

    Raises:
        InputError: Not a date Hugo and feedwright both read, at the key's line.
    """
    value = fields.get(key)
    if isinstance(value, datetime):
        return value if value.utcoffset() is not None else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=tz)
    match = _WHEN.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise fields.fail(key, f"expected a date such as 2026-03-31, 2026-03-31T10:00:00 or "
                          f"2026-03-31T10:00:00+02:00, got {quoted(value)}")
    day, clock, offset = match.groups()
    try:
        if clock is None:
            return datetime.combine(date.fromisoformat(day), datetime.min.time(), tz)
        when = datetime.fromisoformat(f"{day}T{clock}")
    except ValueError as exc:
        raise fields.fail(key, f"{quoted(value)} is not a real date or time: {exc}") from None
    if offset is None:
        return when.replace(tzinfo=tz)
    if offset in "Zz":
        return when.replace(tzinfo=UTC)
    digits = offset[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    return when.replace(tzinfo=timezone(delta if offset[0] == "+" else -delta))
