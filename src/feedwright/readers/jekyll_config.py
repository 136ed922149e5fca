"""A Jekyll site's ``_config.yml``: what a feed of its posts needs, read with file:line.

Read: ``url``, ``baseurl``, ``title`` (else ``name``), ``description``,
``timezone``, ``permalink`` (a style name -- ``date``, ``pretty``,
``ordinal``, ``none``, ``weekdate`` -- or a template), ``collections``
(each one's ``permalink``; ``collections.posts.permalink`` overrides the
site's for posts, as Jekyll's own ``add_default_collections`` does),
``author`` (a name or ``{name, email, uri}``; other keys of the mapping,
which themes add, are ignored), ``excerpt_separator``, ``future``,
``defaults`` (front matter defaults: ``scope.path`` as a prefix or a glob,
``scope.type``, and ``values``; each post takes the sets that apply to it
with Jekyll's precedence, see ``defaults_for``), ``markdown_ext``,
``collections_dir`` and ``exclude``; and ``_data/authors.yml``, where
jekyll-feed looks author names up.  Every other key is Jekyll's or a
plugin's and is left alone.

Jekyll's own defaults hold where a key is missing: permalink ``date``,
excerpt separator a blank line, ``future: false``.  Without ``timezone``
Jekyll uses the building machine's zone; this uses UTC (what CI machines
run in) and says so in ``JekyllSite.timezone`` being None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo
from zoneinfo import ZoneInfoNotFoundError

from feedwright.errors import ConfigError
from feedwright.errors import InputError
from feedwright.errors import quoted
from feedwright.located import LocatedDict
from feedwright.located import load_yaml
from feedwright.mapping import AUTHOR_KEYS
from feedwright.mapping import Fields
from feedwright.mapping import parse_author
from feedwright.model import Author
from feedwright.readers.jekyll_urls import STYLES
from feedwright.readers.jekyll_urls import template_for
from feedwright.readers.jekyll_urls import unknown_placeholder

#: The config files Jekyll looks for, first found wins.
CONFIG_FILES = ("_config.yml", "_config.yaml")

#: The top-level keys read; the rest belong to Jekyll, themes and plugins.
CONFIG_KEYS = (
    "url", "baseurl", "title", "name", "description", "timezone", "permalink", "collections",
    "author", "excerpt_separator", "future", "defaults", "markdown_ext", "collections_dir",
    "exclude",
)

#: Jekyll's Markdown extensions when ``markdown_ext`` is not set.
MARKDOWN_EXT = ("markdown", "mkdown", "mkdn", "mkd", "md")

#: Folders Jekyll never reads, besides those the site excludes (Jekyll's DEFAULT_EXCLUDES).
DEFAULT_EXCLUDES = (
    ".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock", "node_modules",
    "vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/",
)


@dataclass(frozen=True)
class FrontMatterDefault:
    """One set of ``defaults`` in ``_config.yml``."""

    #: ``scope.path`` as written ("" applies everywhere); may be a glob.
    path: str
    #: ``scope.type`` (``post`` read as ``posts``, as Jekyll does), or None for every type.
    type: str | None
    #: ``values``, with the config file's lines.
    values: LocatedDict


@dataclass(frozen=True)
class JekyllSite:
    """What a Jekyll site's config says, for reading its posts and writing feedwright's config."""

    #: The site's folder.
    root: Path
    #: The config file read.
    config_file: Path
    #: ``url``: scheme and host (None when the site does not set one).
    url: str | None
    #: ``baseurl``: the path the site is served under ("" at the host's root).
    baseurl: str
    #: ``title``, else ``name``.
    title: str | None
    description: str | None
    #: ``timezone`` as written (an IANA name), None when not set.
    timezone: str | None
    #: That zone (UTC when not set).
    tz: tzinfo
    #: ``permalink`` as written (Jekyll's default: ``date``).
    permalink: str
    #: The template posts' URLs are made from: ``collections.posts.permalink``,
    #: else the site's ``permalink`` (a style name expanded).
    post_permalink: str
    #: Each collection's label and its ``permalink`` (None when not set).
    collections: Mapping[str, str | None]
    author: Author | None
    #: What ends a post's excerpt (Jekyll's default: a blank line).
    excerpt_separator: str
    #: ``future``: whether Jekyll publishes posts dated after the build.
    future: bool
    defaults: tuple[FrontMatterDefault, ...]
    #: The file extensions (without dot) Jekyll renders as Markdown.
    markdown_ext: tuple[str, ...]
    collections_dir: str
    #: ``exclude`` plus Jekyll's own excluded folders.
    exclude: tuple[str, ...]
    #: ``_data/authors.yml``: an author's key and who it stands for (jekyll-feed
    #: looks a post's or the site's author name up there).
    authors: Mapping[str, Author] = field(default_factory=dict)
    #: The line of each key read, for ``at``.
    lines: Mapping[str, int] = field(default_factory=dict)

    def at(self, key: str) -> str:
        """``file:line`` of a top-level key (the file alone when it is not there)."""
        line = self.lines.get(key)
        return f"{self.config_file}:{line}" if line else str(self.config_file)


def _known(data: LocatedDict, keys: tuple[str, ...]) -> LocatedDict:
    """The mapping's keys that are read, with their lines; the rest are someone else's."""
    out = LocatedDict((k, v) for k, v in data.items() if k in keys)
    out.line = data.line
    out.key_lines = {k: n for k, n in getattr(data, "key_lines", {}).items() if k in keys}
    return out


def author_of(owner: Fields, key: str, value: Any) -> Author:
    """An author as Jekyll sites write one: a name, or a mapping whose ``name``,
    ``email`` and ``uri`` are read (themes add ``twitter``, ``url``… which no feed holds)."""
    if isinstance(value, LocatedDict):
        value = _known(value, AUTHOR_KEYS)
    return parse_author(owner, key, value)


def _timezone(fields: Fields) -> tuple[str | None, tzinfo]:
    name = fields.text("timezone")
    if name is None:
        return None, UTC
    try:
        return name, ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder, e.g. 'America'
        raise fields.fail("timezone", f"unknown IANA time zone {quoted(name)} (e.g. "
                          "America/New_York, Europe/Berlin)") from None


def _url(fields: Fields) -> str | None:
    url = fields.text("url")
    if url is None or not url.strip():
        return None
    if not url.startswith(("http://", "https://")):
        raise fields.fail("url", f"expected the site's address, e.g. https://example.com, "
                          f"got {quoted(url)}")
    return url.strip()


def _collections(fields: Fields) -> tuple[dict[str, str | None], dict[str, int]]:
    """Each collection's permalink, and the line of each one given."""
    value = fields.get("collections", {})
    if isinstance(value, list):
        return {str(label): None for label in value}, {}
    if not isinstance(value, dict):
        raise fields.fail("collections", f"expected a mapping of collections, got {quoted(value)}")
    out: dict[str, str | None] = {}
    lines: dict[str, int] = {}
    for label, meta in value.items():
        if meta is None:
            out[str(label)] = None
            continue
        section = Fields(_known(meta, ("permalink",)) if isinstance(meta, LocatedDict) else meta,
                         ("permalink",), where=fields.at("collections"),
                         name=f"collections.{label}", file=fields.file, error=ConfigError)
        out[str(label)] = section.text("permalink")
        if "permalink" in section.key_lines:
            lines[str(label)] = section.key_lines["permalink"]
    return out, lines


def _defaults(fields: Fields) -> tuple[FrontMatterDefault, ...]:
    """The valid sets of ``defaults``; like Jekyll, a set that is not a mapping with a
    ``values`` mapping is passed over (Jekyll warns and builds on)."""
    value = fields.get("defaults", [])
    if not isinstance(value, list):
        raise fields.fail("defaults", f"expected a list of {{scope, values}}, got {quoted(value)}")
    out = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("values"), LocatedDict):
            continue
        scope: dict[str, Any] = item["scope"] if isinstance(item.get("scope"), dict) else {}
        path = scope.get("path")
        kind = scope.get("type")
        kind = None if kind is None else str(kind)
        kind = {"post": "posts", "page": "pages", "draft": "drafts"}.get(kind or "", kind)
        out.append(FrontMatterDefault(path if isinstance(path, str) else "", kind,
                                      item["values"]))
    return tuple(out)


def _read_yaml(path: Path) -> Any:
    file = str(path)
    try:
        return load_yaml(path.read_text(encoding="utf-8"), file)
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc.reason} at byte {exc.start}", file) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file) from None


def _authors_data(root: Path) -> dict[str, Author]:
    """``_data/authors.yml`` (or ``.yaml``): each key's author, as jekyll-feed reads it
    (a mapping's ``name``, else the key itself; ``email`` and ``uri``)."""
    path = next((p for p in (root / "_data/authors.yml", root / "_data/authors.yaml")
                 if p.is_file()), None)
    if path is None:
        return {}
    data = _read_yaml(path)
    if not isinstance(data, dict):
        return {}
    out = {}
    for key, value in data.items():
        if not isinstance(value, LocatedDict):
            continue
        person = Fields(_known(value, AUTHOR_KEYS), AUTHOR_KEYS, where=f"{path}:{value.line}",
                        name=str(key), file=str(path), error=ConfigError)
        name = (person.text("name") or str(key)).strip()
        out[str(key)] = Author(name, person.text("email"), person.text("uri"))
    return out


def find_config(root: Path) -> Path | None:
    """The site's config file, or None when root holds none."""
    return next((root / n for n in CONFIG_FILES if (root / n).is_file()), None)


def load_jekyll_config(root: Path) -> JekyllSite:
    """Read a Jekyll site's ``_config.yml`` (see the module's docstring for the keys).

    Raises:
        ConfigError: No config file, or a key read with a value of the wrong
            type, an unknown time zone, a permalink with an unknown placeholder;
            at ``_config.yml:line``.
        InputError: The file is not UTF-8 or not valid YAML, at its line.
    """
    path = find_config(root)
    if path is None:
        raise ConfigError(f"no _config.yml in {root}: not a Jekyll site's folder", str(root))
    file = str(path)
    data = _read_yaml(path)
    if data is None:
        data = LocatedDict()
        data.key_lines = {}
    if not isinstance(data, LocatedDict):
        raise ConfigError("the config must be a mapping of keys to values", f"{file}:1")
    fields = Fields(_known(data, CONFIG_KEYS), CONFIG_KEYS, where=f"{file}:1",
                    what="the config", file=file, error=ConfigError)
    zone, tz = _timezone(fields)
    style = fields.get("permalink", "date")
    if not isinstance(style, str):
        raise fields.fail("permalink", f"expected a style ({', '.join(STYLES)}) or a template "
                          f"such as /:year/:month/:title/, got {quoted(style)}")
    collections, collection_lines = _collections(fields)
    post_permalink = collections.get("posts") or template_for(style)
    unknown = unknown_placeholder(post_permalink)
    if unknown is not None:
        where = (f"{file}:{collection_lines['posts']}" if "posts" in collection_lines
                 else fields.at("permalink"))
        raise ConfigError(f"permalink: unknown placeholder :{unknown} in {quoted(post_permalink)} "
                          "(Jekyll stops on it too); see https://jekyllrb.com/docs/permalinks/",
                          where)
    author = fields.get("author")
    authors = _authors_data(root)
    markdown_ext = fields.text("markdown_ext", ",".join(MARKDOWN_EXT))
    exclude = fields.get("exclude", [])
    if not isinstance(exclude, list):
        raise fields.fail("exclude", f"expected a list of paths, got {quoted(exclude)}")
    return JekyllSite(
        root=root,
        config_file=path,
        url=_url(fields),
        baseurl=fields.text("baseurl", ""),
        title=fields.text("title") or fields.text("name"),
        description=fields.text("description"),
        timezone=zone,
        tz=tz,
        permalink=style,
        post_permalink=post_permalink,
        collections=collections,
        author=(authors[author] if isinstance(author, str) and author in authors
                else author_of(fields, "author", author) if author is not None else None),
        excerpt_separator=str(fields.get("excerpt_separator", "\n\n")),
        future=fields.flag("future"),
        defaults=_defaults(fields),
        markdown_ext=tuple(e.strip().lower() for e in markdown_ext.split(",") if e.strip()),
        collections_dir=fields.text("collections_dir", "").strip("/"),
        exclude=tuple(str(e) for e in exclude) + DEFAULT_EXCLUDES,
        authors=authors,
        lines=dict(fields.key_lines),
    )
