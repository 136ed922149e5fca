"""Read the configured inputs into Entries: suffix → reader, then the site's defaults.

Readers return RawEntries as written; ``resolve`` applies the site (timezone,
time of day, permalinks, ids, default author), makes the links of each
entry's HTML absolute against its URL (or leaves the HTML out, with
``content: summary``), drops drafts, and refuses the same entry found twice,
naming both places.  What a reader went past without stopping (a shortcode
it removed) goes to the build's ``Notices``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Sequence
from datetime import UTC
from datetime import date
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from feedwright.config import Config
from feedwright.config import path_problem
from feedwright.errors import InputError
from feedwright.errors import quoted
from feedwright.links import make_absolute
from feedwright.mapping import bad_character
from feedwright.model import Entry
from feedwright.model import permalink
from feedwright.model import slugify
from feedwright.model import spread_same_day
from feedwright.model import tag_uri
from feedwright.readers.notices import Notices
from feedwright.readers.raw import RawEntry
from feedwright.readers.raw import frozen_builder
from feedwright.readers.structured import READERS as STRUCTURED
from feedwright.readers.structured import dump_yaml

__all__ = ["Notices", "RawEntry", "dump_yaml", "read_entries", "read_file", "resolve"]

#: A reader: a file's entries, telling ``Notices`` what it went past.
Reader = Callable[[Path, Notices], list[RawEntry]]


def _telling_nothing(read: Callable[[Path], list[RawEntry]]) -> Reader:
    """A reader that has nothing to tell (every line of its input is read)."""
    return lambda path, notices: read(path)


# The readers of Markdown, listing pages and generators' sites are imported
# when an input needs them: markdown-it and the site readers were a fifth of
# a build's imports, before it could start reading a JSON Lines archive.


def _read_page(path: Path) -> list[RawEntry]:
    from feedwright.readers.pages import read_page  # only for listing pages

    return read_page(path)


def _read_markdown(path: Path, notices: Notices) -> list[RawEntry]:
    from feedwright.readers.markdown import read_markdown  # markdown-it: only for Markdown

    return read_markdown(path, notices)


#: Suffix → reader; listing pages are plain text.
READERS: dict[str, Reader] = {
    ".txt": _telling_nothing(_read_page),
    **{suffix: _telling_nothing(read) for suffix, read in STRUCTURED.items()},
    ".md": _read_markdown,
    ".markdown": _read_markdown,
}


def read_file(path: Path, notices: Notices | None = None) -> list[RawEntry]:
    """Read one input file with the reader its suffix names.

    Args:
        path: The file.
        notices: Told what the reader went past (without: nobody is told).

    Raises:
        InputError: Unknown suffix, unreadable file or an unreadable entry.
    """
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        known = ", ".join(sorted(READERS))
        what = path.suffix or "files without a suffix"
        raise InputError(f"no reader for {quoted(what)} (known: {known})", str(path))
    return reader(path, Notices() if notices is None else notices)


def _check_text(raw: RawEntry, folder_problems: dict[str, str | None], config: Config) -> None:
    """Refuse an entry text field holding a character XML cannot carry.

    Every reader's entries pass here (the Markdown body and a pages.py
    entry too, which ``mapping.Fields.text`` never sees), so the error names
    the entry's place instead of the feed failing validation after rendering;
    an entry its reader has ``checked`` is not looked at again.  And a tag
    whose feeds' folder name would be too long for the file system
    (``folder_problems`` remembers each tag's verdict: a tag has many entries).
    """
    if not raw.checked:
        texts: list[tuple[str, str | None]] = [
            ("title", raw.title), ("summary", raw.summary), ("content", raw.content),
            ("url", raw.url), ("slug", raw.slug), ("id", raw.id), ("guid", raw.guid),
        ]
        texts += [("tags", tag) for tag in raw.tags]
        texts += [("author", part) for a in raw.authors for part in (a.name, a.email, a.uri)]
        # One test over all of them (tab joins them: XML carries it); the field
        # is looked for only when something is wrong.
        if bad_character("\t".join(text for _, text in texts if text)) is not None:
            for key, text in texts:
                problem = bad_character(text) if text else None
                if problem:
                    raise InputError(f"{key}: {problem}", raw.source)
    for tag in raw.tags:  # each tag's feeds get a folder
        if tag in folder_problems:
            problem = folder_problems[tag]
        else:
            problem = folder_problems[tag] = path_problem(config.tag_folder(tag))
        if problem:
            raise InputError(f"tags: the folder for the tag {quoted(tag)} {problem}; "
                             "shorten the tag", raw.source)


def _url(raw: RawEntry, config: Config) -> str:
    if raw.url:
        parts = urlsplit(raw.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(
                f"url: expected an absolute http(s) URL, got {quoted(raw.url)}", raw.source)
        return raw.url
    slug = raw.slug if raw.slug is not None else slugify(raw.title)
    if not slug:
        raise InputError(f"cannot make a URL: the title {quoted(raw.title)} has no ASCII "
                         "letters or digits; add a slug or url", raw.source)
    return permalink(config.site.base_url, config.permalink, slug, raw.published)


class _TagUris:
    """``tag_uri`` for many URLs, most of them under the site's base URL.

    A permalink is ``base_url.rstrip("/") + "/"`` (the prefix) plus a tail.
    When the prefix splits into a scheme, a host and a path, with nothing
    ``urlsplit`` strips or cuts at (``?``, ``#``, tab, CR, LF), and the tail
    holds none of those either, ``urlsplit`` of the whole URL has the prefix's
    host and the prefix's path followed by the tail, and no query: so only
    the prefix is split, once.  Any other URL goes to ``tag_uri``.
    """

    _CUTS = re.compile(r"[?#\t\r\n]")

    def __init__(self, base_url: str) -> None:
        self.prefix = base_url.rstrip("/") + "/"
        self.host = self.path = ""
        try:
            parts = urlsplit(self.prefix)
            host = parts.hostname
        except ValueError:
            return
        if parts.scheme and parts.netloc and not self._CUTS.search(self.prefix):
            self.host, self.path = f"{host}", parts.path

    def __call__(self, url: str, published: date) -> str:
        start = len(self.prefix)
        if self.path and url.startswith(self.prefix) and not self._CUTS.search(url, start):
            return f"tag:{self.host},{published.isoformat()}:{self.path}{url[start:]}"
        return tag_uri(url, published)


_new_entry = frozen_builder(Entry)


#: How the posts left out of a build are named, once per build.
LEFT_OUT = ("left out posts that are not to be published now (--drafts and --future "
            "bring drafts and scheduled posts in)")


def resolve(
    raws: Sequence[RawEntry], config: Config, *, now: datetime | None = None,
    notices: Notices | None = None, drafts: bool = False, future: bool = False,
) -> list[Entry]:
    """Turn RawEntries (in archive order) into the Entries to publish at ``now``.

    Drafts, posts dated after ``now`` (with ``future: skip``, the default) and
    posts whose ``expires`` has passed are left out, as Hugo and Jekyll leave
    them out of a site, and named once in ``notices``; ``drafts`` and
    ``future`` bring the first two in (a preview).

    Raises:
        InputError: The same entry (id or URL) twice, naming both places.
    """
    now = now or datetime.now(UTC)
    notices = Notices() if notices is None else notices
    skip_future = config.future == "skip" and not future
    for raw in raws:
        if raw.draft and not drafts:
            notices.add(LEFT_OUT, "draft", raw.source)
    live = [r for r in raws if drafts or not r.draft]
    days = [None if isinstance(r.published, datetime) else r.published for r in live]
    spread = spread_same_day(days, config.site.timezone, config.site.time_of_day)
    entries: list[Entry] = []
    seen_url: dict[str, str] = {}
    seen_id: dict[str, str] = {}
    seen_guid: dict[str, str] = {}
    make_id = _TagUris(config.site.base_url)
    author = config.site.author
    full = config.content == "full"
    folder_problems: dict[str, str | None] = {}
    for raw, time_given in zip(live, spread, strict=True):
        _check_text(raw, folder_problems, config)
        published = raw.published if isinstance(raw.published, datetime) else time_given
        assert published is not None
        # After the same-day spread, so a post that comes in later moves no other.
        if raw.expires is not None and raw.expires <= now:
            notices.add(LEFT_OUT, "expired", raw.source)
            continue
        if skip_future and published > now:
            notices.add(LEFT_OUT, "scheduled", raw.source)
            continue
        if raw.updated is not None and raw.updated < published:
            raise InputError(
                f"updated ({raw.updated.isoformat()}) is before published "
                f"({published.isoformat()}); an entry cannot change before it exists",
                raw.source,
            )
        url = _url(raw, config)
        entry_id = raw.id or make_id(url, published.date())
        if url in seen_url:
            raise _twice("URL", url, seen_url[url], raw.source)
        seen_url[url] = raw.source
        if entry_id in seen_id:
            raise _twice("id", entry_id, seen_id[entry_id], raw.source)
        seen_id[entry_id] = raw.source
        if raw.guid is not None:
            if raw.guid in seen_guid:
                raise _twice("guid", raw.guid, seen_guid[raw.guid], raw.source)
            seen_guid[raw.guid] = raw.source
        # The URL is known here, once per entry: every format gets the same links.
        content = raw.content if full else None
        if content:
            content = make_absolute(content, url)
        entries.append(
            _new_entry(
                id=entry_id,
                title=raw.title,
                url=url,
                summary=raw.summary,
                published=published,
                updated=raw.updated,
                content=content,
                authors=raw.authors or (author,),
                tags=raw.tags,
                reading_time=raw.reading_time,
                word_count=raw.word_count,
                pinned_id=raw.id is not None,
                pinned_guid=raw.guid,
                source=raw.source,
            )
        )
    return entries


def _twice(what: str, key: str, first: str, source: str) -> InputError:
    return InputError(
        f"the same entry twice: {what} {key} is also at {first}; give one of "
        "them another slug, url or id, or remove the duplicate",
        source,
    )


def _read_hugo_site(root: Path, notices: Notices) -> list[RawEntry]:
    from feedwright.readers.hugo import read_hugo_site  # only for a Hugo site

    return read_hugo_site(root, notices)


def _read_jekyll_site(root: Path, notices: Notices) -> list[RawEntry]:
    from feedwright.readers.jekyll import read_jekyll_site  # only for a Jekyll site

    return read_jekyll_site(root, notices)


#: Site generator (config ``source.generator``) → the reader of its tree,
#: which gives every post its URL by the generator's own rules.
SITE_READERS: dict[str, Reader] = {"hugo": _read_hugo_site, "jekyll": _read_jekyll_site}


def read_entries(
    config: Config, notices: Notices | None = None, *, now: datetime | None = None,
    drafts: bool = False, future: bool = False,
) -> list[Entry]:
    """Every entry of every configured input to publish at ``now``, in archive order.

    Args:
        config: The site.
        notices: Told what the readers went past and what was left out
            (``build`` prints them).
        now: The build time; default the clock.
        drafts: Publish drafts too (a preview).
        future: Publish posts dated after ``now`` too (a preview).

    Raises:
        InputError: Any input or entry that cannot be read.
    """
    raws: list[RawEntry] = []
    if config.source is not None:
        read_site = SITE_READERS[config.source.generator]
        raws.extend(read_site(config.source.root, Notices() if notices is None else notices))
    for path in config.inputs:
        raws.extend(read_file(path, notices))
    return resolve(raws, config, now=now, notices=notices, drafts=drafts, future=future)
