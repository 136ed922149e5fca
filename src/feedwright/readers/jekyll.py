"""A Jekyll site's posts as RawEntries: Jekyll's conventions, Jekyll's URLs.

Posts are the files in ``_posts`` (and its subfolders, and ``<folder>/_posts``
anywhere Jekyll reads, whose folders above ``_posts`` become categories) named
``YYYY-MM-DD-slug.<ext>`` (front matter optional, as in Jekyll); Markdown
ones are read (``markdown_ext``, by default ``.md`` and ``.markdown`` among
others), others are left out with a notice.  Each
field follows what Jekyll 4.3 and jekyll-feed 0.17 do with it:

- date: front matter ``date`` (``2026-03-02 02:30:00 +0000``, with or without
  offset: without, the site's ``timezone``), else the file name's day at
  midnight in the site's zone; always an aware datetime in that zone.
- ``published: false`` makes the entry a draft (Jekyll's "unpublished");
  posts dated in the future come back with their date, for the caller to
  leave out or keep.
- ``categories`` / ``category`` and ``tags`` / ``tag``: a list, or a string
  split at spaces (Jekyll's rule; a singular ``category`` or ``tag`` is one
  name); categories come first among the entry's tags, as in jekyll-feed.
- title: front matter ``title``, else the slug in words ("hello-world" →
  "Hello World"), as Jekyll does.
- summary: ``description``, else front matter ``excerpt``, else the text
  before the excerpt separator (the post's ``excerpt_separator``, the
  site's, else Jekyll's blank line; the whole post when it has none), as
  plain text: jekyll-feed's ``<summary>``.
- URL: ``jekyll_urls.py``, from the post's ``permalink``, a default's, the
  posts collection's or the site's style.

The body is rendered as kramdown does by default for the things that
show in a feed: CommonMark with tables, strikethrough, smart quotes,
en dashes and ellipses (not kramdown's heading ids).  Liquid is removed
and told to ``Notices`` (``markdown.remove_templates``).
Front matter defaults (``_config.yml`` ``defaults``) apply to every key read.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from datetime import tzinfo
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from feedwright.errors import ConfigError
from feedwright.errors import FeedwrightError
from feedwright.errors import InputError
from feedwright.errors import quoted
from feedwright.located import LocatedDict
from feedwright.mapping import Fields
from feedwright.model import Author
from feedwright.readers.front_matter import FrontMatter
from feedwright.readers.front_matter import split_front_matter
from feedwright.readers.jekyll_config import JekyllSite
from feedwright.readers.jekyll_config import author_of
from feedwright.readers.jekyll_config import load_jekyll_config
from feedwright.readers.jekyll_defaults import defaults_for
from feedwright.readers.jekyll_urls import absolute_url
from feedwright.readers.jekyll_urls import jekyll_feed_id
from feedwright.readers.jekyll_urls import placeholders
from feedwright.readers.jekyll_urls import relative_url
from feedwright.readers.jekyll_urls import unknown_placeholder
from feedwright.readers.markdown import WORDS_PER_MINUTE
from feedwright.readers.markdown import plain_text
from feedwright.readers.markdown import remove_templates
from feedwright.readers.notices import Notices
from feedwright.readers.raw import RawEntry

__all__ = ["JekyllSite", "load_jekyll_config", "read_jekyll_site"]

#: The front matter keys read; Jekyll's keys are its own otherwise (layout, …).
KEYS = (
    "title", "date", "published", "categories", "category", "tags", "tag", "permalink", "slug",
    "excerpt", "excerpt_separator", "description", "author", "authors", "last_modified_at",
)

#: kramdown, Jekyll's renderer, makes quotes curly and ``--`` and ``...`` typographic
#: by default (tests/data/sites/jekyll-edge/jekyll-feed.xml shows "It’s “quoted” – and…").
_KRAMDOWN_LIKE = MarkdownIt("commonmark", {"html": True, "typographer": True}).enable(
    ["table", "strikethrough", "smartquotes", "replacements"])

#: A post's file name (Jekyll's DATE_FILENAME_MATCHER): a date, a slug, an extension.
_POST_NAME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})-(.*)(\.[^.]+)$")

#: What Ruby's ``Time.parse`` reads in Jekyll sites: a day, maybe a time, maybe an offset.
_WHEN = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?"
    r"\s*(?:(?P<zone>[Zz]|UTC?|GMT|[ECMP][SD]T)|(?P<sign>[+-])(?P<hh>\d{2}):?(?P<mm>\d{2}))?"
)

#: The zone names Ruby's ``Time.parse`` knows besides offsets (hours from UTC).
_ZONES = {"Z": 0, "UT": 0, "UTC": 0, "GMT": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
          "MST": -7, "MDT": -6, "PST": -8, "PDT": -7}

#: Jekyll's front matter test (``Utils.has_yaml_header?``).
_YAML_HEADER = re.compile(r"\A---\s*\n")

#: Jekyll's pattern for a Markdown link reference definition kept in an excerpt.
_LINK_REF = re.compile(r"^ {0,3}(\[[^\]]+\])(:.+)$", re.MULTILINE)

#: Names of files and folders Jekyll never reads (EntryFilter's special and backup files).
_SPECIAL = re.compile(r"^[._#~]|~$")

NOT_MARKDOWN = "left out posts feedwright cannot render (not Markdown)"
NOT_DATED = ("left out files in _posts not named YYYY-MM-DD-title.md, which Jekyll does not "
             "publish as posts")


def read_jekyll_site(
    root: Path, notices: Notices, *, jekyll_feed_ids: bool = False
) -> list[RawEntry]:
    """Every post of the Jekyll site in root, newest first (see the module's docstring).

    Args:
        root: The site's folder (holding ``_config.yml``).
        notices: Told of files left out and of Liquid tags removed.
        jekyll_feed_ids: Give each entry the ``<id>`` jekyll-feed gives it, so a
            site moving from jekyll-feed does not make readers show every post
            again as new; otherwise ids are left to feedwright.

    Raises:
        ConfigError: ``_config.yml`` cannot be used (no ``url``, a bad value).
        InputError: A post that cannot be read, at ``file:line``.
    """
    site = load_jekyll_config(root)
    if site.url is None:
        raise ConfigError("url: not set; a feed's links must be absolute: add the site's "
                          "address, e.g. url: https://example.com", site.at("url"))
    found: list[tuple[RawEntry, str]] = []
    for path, relative in _post_files(site, notices):
        entry = read_jekyll_post(site, path, relative, notices, jekyll_feed_ids=jekyll_feed_ids)
        if entry is not None:
            found.append((entry, relative))
    # Jekyll's order: by date, then by path (Document#<=>); a feed lists newest first.
    found.sort(key=lambda pair: (pair[0].published, pair[1]), reverse=True)
    return [entry for entry, _ in found]


def _excluded(site: JekyllSite, relative: str) -> bool:
    return any(relative == e.strip("/") or relative.startswith(e.strip("/") + "/")
               for e in site.exclude)


def _post_files(site: JekyllSite, notices: Notices | None) -> Iterator[tuple[Path, str]]:
    """Each post file with its path from the site's source, in a stable order."""
    base = site.root / site.collections_dir if site.collections_dir else site.root
    for folder, dirs, _files in os.walk(base):
        here = Path(folder)
        rel_here = here.relative_to(base).as_posix()
        dirs[:] = sorted(
            d for d in dirs
            if not _SPECIAL.search(d) and not _excluded(site, f"{rel_here}/{d}".lstrip("./"))
        )
        posts = here / "_posts"
        if not posts.is_dir():
            continue
        for path in sorted(posts.rglob("*")):
            inner = path.relative_to(posts).parts
            if not path.is_file() or any(_SPECIAL.search(part) for part in inner):
                continue
            relative = path.relative_to(base).as_posix()
            if not _POST_NAME.match(path.name):
                if notices is not None:
                    notices.add(NOT_DATED, path.name, str(path))
                continue
            yield path, relative


def _empty() -> LocatedDict:
    empty = LocatedDict()
    empty.line = 1
    empty.key_lines = {}
    return empty


def _when(text: str, tz: tzinfo) -> datetime:
    """A time as Jekyll reads one, in the site's zone; ValueError when it is none."""
    match = _WHEN.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{quoted(text)} is not a date Jekyll reads; write YYYY-MM-DD, or "
                         "YYYY-MM-DD HH:MM:SS +HHMM")
    year, month, day, hour, minute, second, fraction = match.groups()[:7]
    zone: tzinfo = tz
    if match["zone"]:
        zone = timezone(timedelta(hours=_ZONES[match["zone"].upper()]))
    elif match["sign"]:
        offset = timedelta(hours=int(match["hh"]), minutes=int(match["mm"]))
        zone = timezone(-offset if match["sign"] == "-" else offset)
    try:
        naive = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                         int(second or 0), int((fraction or "0")[:6].ljust(6, "0")))
    except ValueError as exc:
        raise ValueError(f"{quoted(text)} is not a real date or time: {exc}") from None
    return naive.replace(tzinfo=zone).astimezone(tz)


class _Post:
    """A post's front matter over the defaults that apply to it: each key read from
    the first that gives it, each error pointed at the line that gave the value."""

    def __init__(self, front: Fields, defaults: Fields) -> None:
        self.front = front
        self.defaults = defaults

    def owner(self, key: str) -> Fields | None:
        """Which of the two gives key (None: neither)."""
        if self.front.get(key) is not None:
            return self.front
        if self.defaults.get(key) is not None:
            return self.defaults
        return None

    def get(self, key: str) -> Any:
        owner = self.owner(key)
        return None if owner is None else owner.get(key)

    def text(self, key: str) -> str | None:
        owner = self.owner(key)
        return None if owner is None else owner.text(key)

    def fail(self, key: str, message: str) -> FeedwrightError:
        return (self.owner(key) or self.front).fail(key, message)


def _names(fields: Fields, key: str, *, split: bool) -> list[str]:
    """Names under key: a list of names, or a string (split at spaces when split)."""
    value = fields.get(key)
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in values:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise fields.fail(key, f"expected a name or a list of names, got {quoted(value)}")
        text = str(item)
        out.extend(text.split() if split and isinstance(value, str) else [text.strip()])
    return [name for name in out if name]


def _categories(post: _Post, relative: str) -> list[str]:
    """Jekyll's categories: the folders above ``_posts``, the defaults', the post's,
    then a singular ``category``; once each, in that order."""
    above = relative.split("_posts", 1)[0].strip("/")
    found = [part for part in above.split("/") if part]
    for source in (post.defaults, post.front):
        found += _names(source, "categories", split=True)
    singular = post.owner("category")
    if singular is not None:
        found += _names(singular, "category", split=False)
    return list(dict.fromkeys(found))


def _tags(post: _Post) -> list[str]:
    """``tag`` (one name or a list), else ``tags`` (a list, or a string split at spaces)."""
    singular = post.owner("tag")
    if singular is not None:
        return _names(singular, "tag", split=False)
    plural = post.owner("tags")
    return _names(plural, "tags", split=True) if plural is not None else []


def _authors(post: _Post, site: JekyllSite) -> tuple[Author, ...]:
    """``author`` (a name or a mapping), else every one of ``authors``; a name that is
    a key of ``_data/authors.yml`` is the author it stands for (jekyll-feed's rule)."""
    key = "author" if post.get("author") is not None else "authors"
    owner = post.owner(key)
    if owner is None:
        return ()
    value = owner.get(key)
    values = value if isinstance(value, list) else [value]
    return tuple(site.authors[v] if isinstance(v, str) and v in site.authors
                 else author_of(owner, key, v) for v in values)


def _summary(post: _Post, body: str, site: JekyllSite) -> str:
    """jekyll-feed's ``<summary>``: ``description``, else the excerpt, as plain text."""
    given = post.text("description") or post.text("excerpt")
    if given is not None:
        return plain_text(given)
    separator = post.get("excerpt_separator")
    separator = site.excerpt_separator if separator is None else str(separator)
    if not separator:
        return ""
    head, found, tail = body.partition(separator)
    if found and tail:
        # Jekyll keeps the reference links the excerpt uses (Excerpt#extract_excerpt).
        used = [m[0] for m in _LINK_REF.finditer(tail) if m[1] in head]
        if used:
            head += "\n\n" + "\n".join(used)
    else:
        head = body
    return plain_text(_KRAMDOWN_LIKE.render(head))


def read_jekyll_post(
    site: JekyllSite,
    path: Path,
    relative: str,
    notices: Notices | None,
    *,
    jekyll_feed_ids: bool = False,
) -> RawEntry | None:
    """One post, or None when Jekyll would not publish the file as a post.

    Args:
        site: The site's config.
        path: The file.
        relative: Its path from the site's source (``_posts/2026-03-10-x.md``).
        notices: Told what was left out or removed.
        jekyll_feed_ids: See ``read_jekyll_site``.

    Raises:
        InputError: Front matter, a date or a permalink that cannot be read.
    """
    file = str(path)
    name = _POST_NAME.match(path.name)
    assert name is not None
    day, file_slug, extension = name.groups()
    if extension.lstrip(".").lower() not in site.markdown_ext:
        if notices is not None:
            notices.add(NOT_MARKDOWN, extension, file)
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc.reason} at byte {exc.start}", file) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file) from None
    text = text.removeprefix("\ufeff")
    # Jekyll publishes a dated file in _posts without front matter too: all body.
    front = (split_front_matter(text, file, KEYS) if _YAML_HEADER.match(text)
             else FrontMatter(_empty(), 1, text))
    where = f"{file}:{front.line}"
    post = _Post(
        Fields(front.data, KEYS, where=where, what="the front matter", file=file),
        Fields(defaults_for(site, relative, "posts", KEYS), KEYS, where=site.at("defaults"),
               name="defaults", file=str(site.config_file), error=ConfigError),
    )
    date_text = post.get("date")
    try:
        if date_text is None:
            published = _when(day, site.tz)
        elif not isinstance(date_text, str):
            raise ValueError(f"expected a date such as 2026-03-10 10:00:00 +0100, "
                             f"got {quoted(date_text)}")
        else:
            published = _when(date_text, site.tz)
    except ValueError as exc:
        if date_text is None:
            raise InputError(f"the file name's date: {exc}", file) from None
        raise post.fail("date", str(exc)) from None
    updated = None
    if post.get("last_modified_at") is not None:
        changed = post.get("last_modified_at")
        try:
            updated = _when(str(changed), site.tz)
        except ValueError as exc:
            raise post.fail("last_modified_at", str(exc)) from None
    slug_value = post.get("slug")
    slug = str(slug_value) if slug_value is not None else re.sub(r"\.*\Z", "", file_slug)
    published_flag = post.get("published")
    if published_flag is not None and not isinstance(published_flag, bool):
        raise post.fail("published", f"expected true or false, got {quoted(published_flag)}")
    categories = _categories(post, relative)
    template = post.text("permalink") or site.post_permalink
    unknown = unknown_placeholder(template)
    if unknown is not None:
        raise post.fail("permalink", f"unknown placeholder :{unknown} in {quoted(template)} "
                        "(Jekyll stops on it too); see https://jekyllrb.com/docs/permalinks/")
    values = placeholders(slug=slug, basename=path.stem, relative_path=relative,
                          categories=tuple(categories), local=published)
    assert site.url is not None
    path_url = relative_url(template, values)
    url = absolute_url(site.url, site.baseurl, path_url)
    # Jekyll eats the blank lines after the closing fence (Document::YAML_FRONT_MATTER_REGEXP).
    body = remove_templates(re.sub(r"\A(?:[ \t]*\n)+", "", front.body), file, notices)
    content = _KRAMDOWN_LIKE.render(body)
    title = post.text("title")
    words = len(plain_text(content).split()) if content.strip() else None
    return RawEntry(
        title=title.strip() if title and title.strip() else
        " ".join(w.capitalize() for w in slug.split("-")),
        published=published,
        source=where,
        summary=_summary(post, body, site),
        updated=updated,
        slug=slug,
        url=url,
        id=jekyll_feed_id(site.url, site.baseurl, path_url, slug) if jekyll_feed_ids else None,
        content=content if content.strip() else None,
        tags=tuple(dict.fromkeys(categories + _tags(post))),
        authors=_authors(post, site),
        reading_time=math.ceil(words / WORDS_PER_MINUTE) if words is not None else None,
        word_count=words,
        draft=published_flag is False,
    )
