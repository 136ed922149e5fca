"""Entries → FeedSet: tag them, order them, cut them, and name every output.

Newest first; Python's sort is stable, so entries sharing a timestamp keep
the archive's order (readers that sort by date then agree with the archive).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from feedwright.config import ARCHIVED_FORMATS
from feedwright.config import Config
from feedwright.config import TagRule
from feedwright.errors import InputError
from feedwright.formats import FORMATS
from feedwright.model import Entry
from feedwright.model import Feed
from feedwright.model import FeedSet
from feedwright.model import History
from feedwright.model import Output


def apply_tag_rules(entries: Sequence[Entry], rules: Sequence[TagRule]) -> list[Entry]:
    """Add the tags whose rules match an entry's title or summary.

    Listing pages carry no tags, so rules give them topics; tags an entry
    already has come first, rule tags follow in config order.
    """
    out = []
    for entry in entries:
        text = f"{entry.title}\n{entry.summary}"
        found = [r.tag for r in rules if r.tag not in entry.tags and r.matches(text)]
        out.append(replace(entry, tags=entry.tags + tuple(found)) if found else entry)
    return out


def newest_first(entries: Sequence[Entry]) -> list[Entry]:
    """Sort by publication time, newest first, ties in archive order."""
    return sorted(entries, key=lambda e: e.published, reverse=True)


#: The browser stylesheet's file, at the top of the output folder, by
#: ``browser_view`` (config.BROWSER_VIEWS); "none" names none.
STYLESHEETS = {"css": "feed.css", "xslt": "feed.xsl"}


def stylesheet_href(config: Config, folder: str) -> str | None:
    """The stylesheet an XML feed in ``folder`` names, relative to the feed.

    Relative, not absolute from ``feeds_url``: the same bytes then work
    wherever the folder is served (a staging host, a preview from disk,
    ``file://``), and a browser only ever resolves it against the feed it
    opened; feed readers ignore the instruction.
    """
    name = STYLESHEETS.get(config.browser_view)
    return None if name is None else "../" * folder.count("/") + name


def _outputs(config: Config, folder: str) -> tuple[Output, ...]:
    paths = [(fmt, folder + FORMATS[fmt].file_name) for fmt in config.formats]
    href = stylesheet_href(config, folder)
    return tuple(
        Output(fmt, path, config.feeds_url + path,
               href if FORMATS[fmt].media_type.endswith("+xml") else None)
        for fmt, path in paths
    )


def _cut(entries: list[Entry], limit: int) -> tuple[Entry, ...]:
    return tuple(entries[:limit] if limit else entries)


def archive_path(folder: str, fmt: str, page: int) -> str:
    """Where archive page ``page`` (1 = the oldest) of the feed in ``folder`` is
    written, in format ``fmt``: ``<folder>archive/<stem>-<page>.xml``, e.g.
    ``archive/rss-3.xml``, ``tags/python/archive/atom-1.xml``."""
    stem = FORMATS[fmt].file_name.rsplit(".", 1)[0]
    return f"{folder}archive/{stem}-{page}.xml"


#: What ``archive_path`` makes: ``archive/<stem>-<page>.xml`` in any folder.
_STEMS = "|".join(re.escape(FORMATS[f].file_name.rsplit(".", 1)[0]) for f in ARCHIVED_FORMATS)
_ARCHIVE_PAGE = re.compile(rf"(?:.*/)?archive/(?:{_STEMS})-[1-9][0-9]*\.xml")


def is_archive_path(path: str) -> bool:
    """Whether ``path`` (relative, POSIX) is where ``archive_path`` puts an archive page."""
    return _ARCHIVE_PAGE.fullmatch(path) is not None


def _archived(feed: Feed, ordered: list[Entry], limit: int, per_page: int,
              config: Config, folder: str) -> tuple[Feed, list[Feed]]:
    """``feed`` as an archived feed (RFC 5005 section 4): the subscription feed
    and its archive pages, oldest page first.

    Pages are cut oldest first: page 1 holds the oldest ``per_page`` entries,
    page 2 the next, and the newest page what is left over, so adding an entry
    changes only the newest page (and the page before it when a new page
    starts: it gains its ``next-archive`` link).  The subscription feed holds
    the newest ``limit`` entries and the pages every older one, each entry in
    exactly one document.  A lone archive page would link to no other archive
    (RFC 5005 readers, and W3C's ArchiveIncomplete, take that for a broken
    chain), so until the older entries fill more than one page they stay in
    the subscription feed (which then holds up to ``limit + per_page``).
    """
    older = len(ordered) - limit
    formats = [o.format for o in feed.outputs if o.format in ARCHIVED_FORMATS]
    if older <= per_page:
        return replace(feed, entries=tuple(ordered)), []
    oldest_first = ordered[limit:][::-1]
    count = -(-older // per_page)
    here = {o.format: o.url for o in feed.outputs}
    href = stylesheet_href(config, folder + "archive/")

    def url(fmt: str, page: int) -> str:
        return config.feeds_url + archive_path(folder, fmt, page)

    pages = []
    for page in range(1, count + 1):
        links = [(fmt, "current", here[fmt]) for fmt in formats]
        if page > 1:
            links += [(fmt, "prev-archive", url(fmt, page - 1)) for fmt in formats]
        if page < count:
            links += [(fmt, "next-archive", url(fmt, page + 1)) for fmt in formats]
        chunk = oldest_first[(page - 1) * per_page : page * per_page]
        pages.append(replace(
            feed,
            title=f"{feed.title} · archive {page}",
            description=f"{feed.description} (archive page {page}; page 1 is the oldest)",
            entries=tuple(chunk[::-1]),
            outputs=tuple(Output(fmt, archive_path(folder, fmt, page), url(fmt, page), href)
                          for fmt in formats),
            history=History(True, tuple(links)),
        ))
    subscription = replace(
        feed, entries=tuple(ordered[:limit]),
        history=History(False, tuple((fmt, "prev-archive", url(fmt, count)) for fmt in formats)))
    return subscription, pages


def build_feedset(entries: Sequence[Entry], config: Config) -> FeedSet:
    """The main feed and one feed per tag, in a stable order (main, then tags sorted).

    Args:
        entries: Every entry, in archive order.
        config: The checked config.
    """
    site = config.site
    ordered = newest_first(apply_tag_rules(entries, config.tag_rules))
    archives: list[Feed] = []
    feeds = [
        Feed(
            tag="",
            title=site.title,
            description=site.description,
            home_url=site.base_url,
            language=site.language,
            author=site.author,
            entries=_cut(ordered, config.limit),
            outputs=_outputs(config, ""),
            icon=site.icon,
            logo=site.logo,
            copyright=site.copyright,
            hubs=config.hubs,
        )
    ]
    if config.archives:
        feeds[0], pages = _archived(feeds[0], ordered, config.limit,
                                    config.archives.per_page, config, "")
        archives += pages
    by_tag: dict[str, list[Entry]] = {}
    for entry in ordered:
        for tag in entry.tags:
            by_tag.setdefault(tag, []).append(entry)
    folders: dict[str, str] = {}
    for tag in sorted(by_tag):
        folder = config.tag_folder(tag)
        if folder in folders:
            raise InputError(
                f"tags {folders[folder]!r} and {tag!r} would share the folder {folder}; "
                "rename one of them",
                by_tag[tag][0].source,
            )
        folders[folder] = tag
        feeds.append(
            Feed(
                tag=tag,
                title=f"{site.title} · {tag}",
                description=f"Posts tagged “{tag}” on {site.title}.",
                home_url=site.base_url,
                language=site.language,
                author=site.author,
                entries=_cut(by_tag[tag], config.tag_limit),
                outputs=_outputs(config, folder),
                icon=site.icon,
                logo=site.logo,
                copyright=site.copyright,
                hubs=config.hubs,
            )
        )
    if config.archives and config.archives.tags:
        for i, feed in enumerate(feeds[1:], 1):
            feeds[i], pages = _archived(feed, by_tag[feed.tag], config.tag_limit,
                                        config.archives.per_page, config,
                                        config.tag_folder(feed.tag))
            archives += pages
    return FeedSet(tuple(feeds), tuple(archives))
