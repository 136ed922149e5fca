"""``feedwright init``: a site's folder → the ``feedwright.yaml`` that builds its feeds.

A Hugo or Jekyll site's settings (title, base URL, language, time zone, author) are
copied from the generator's own config, each with a comment naming where it
came from; its posts and URLs are then read by the generator's rules at every build
(``source:``), so they follow the site.  A folder of Markdown files gets
``inputs:``.  What could not be filled in is written as a commented line and
said to the caller: the build refuses to run until it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from feedwright.config import CONFIG_NAMES
from feedwright.errors import UsageError
from feedwright.io import atomic_write
from feedwright.readers.hugo_config import find_hugo_config
from feedwright.readers.hugo_config import load_hugo_config
from feedwright.readers.jekyll_config import find_config as find_jekyll_config
from feedwright.readers.jekyll_config import load_jekyll_config

#: The file ``init`` writes (``build`` looks for it first).
CONFIG_NAME = CONFIG_NAMES[0]


@dataclass
class Scaffold:
    """What ``init`` found in a folder and will write."""

    #: "hugo", "jekyll" or "markdown".
    kind: str
    #: The config text, comments and all.
    text: str
    #: What could not be filled in, one line each (also in the text as comments).
    missing: list[str] = field(default_factory=list)


def _value(text: str) -> str:
    # JSON strings are YAML strings: quotes, colons and '#' stay text.
    return json.dumps(text, ensure_ascii=False)


class _Lines:
    """The config's lines, and what is missing from them."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.missing: list[str] = []

    def put(self, key: str, value: str | None, origin: str, *, indent: str = "  ",
            needed: str | None = None) -> None:
        """``key: value  # origin``; when value is None, a commented line saying
        what to write (``needed``) and a note in ``missing``."""
        if value:
            self.lines.append(f"{indent}{key}: {_value(value)}  # {origin}")
        elif needed is not None:
            self.lines.append(f"{indent}# {key}: …  # {needed}")
            self.missing.append(f"{key}: {needed}")


#: A site setting: (key, value or None, where it came from, what to write when missing).
_Setting = tuple[str, "str | None", str, "str | None"]


def _generator(kind: str, name: str, where: str, settings: list[_Setting], built: str,
               command: str) -> Scaffold:
    """The config of a generator's site: its settings copied, its tree as the source."""
    out = _Lines()
    out.lines += [
        f"# {CONFIG_NAME}: written by `feedwright init` from {where} ({name}).",
        "# The site's settings are copied here; its posts, their URLs and dates are",
        f"# read from the {name} tree by {name}'s rules at every build (source:).",
        "site:",
    ]
    for key, value, origin, needed in settings:
        out.put(key, value, f"{where}: {origin}", needed=needed)
    out.lines += [
        "source:",
        f"  generator: {kind}",
        "  root: .",
        "formats: [rss, atom, json]",
        f"# {name} writes the site to {built}/: the feeds go beside it, served at /feeds/.",
        f"# Run `feedwright build` after `{command}`.",
        f"output: {built}/feeds",
        "feeds_url: /feeds/",
        *_OPTIONAL,
    ]
    return Scaffold(kind, "\n".join(out.lines) + "\n", out.missing)


#: What a site may turn on later, commented out: each line works as it is
#: once its "# " goes (README: "Archives", "WebSub").
_OPTIONAL = [
    "# Older posts as RFC 5005 archive pages readers can walk:",
    "# archives: {per_page: 100}",
    "# WebSub hubs every feed names; `feedwright build --ping` tells them of changes:",
    "# websub: {hubs: [https://pubsubhubbub.appspot.com/]}",
]

_TITLE = "the site's title (required)"
_AUTHOR = "the author's name (required; {} has none)"


def _hugo(root: Path) -> Scaffold:
    site = load_hugo_config(root)
    where = site.config_file.relative_to(root).as_posix()
    return _generator("hugo", "Hugo", where, [
        ("title", site.title, "title", _TITLE),
        ("base_url", site.base_url if site.base_url.startswith("http") else None, "baseURL",
         "the site's absolute URL, e.g. https://example.org/ (required; Hugo's baseURL "
         "is not an absolute URL)"),
        ("language", site.language_code, "languageCode", None),
        ("timezone", site.time_zone, "timeZone", None),
        ("author", site.author.name if site.author else None, "author",
         _AUTHOR.format("params.author")),
    ], "public", "hugo")


def _jekyll(root: Path) -> Scaffold:
    site = load_jekyll_config(root)
    where = site.config_file.relative_to(root).as_posix()
    base = (site.url or "").rstrip("/") + "/" + site.baseurl.strip("/")
    return _generator("jekyll", "Jekyll", where, [
        ("title", site.title, "title", _TITLE),
        ("base_url", base.rstrip("/") + "/" if site.url else None, "url + baseurl",
         "the site's absolute URL, e.g. https://example.org/ (required; _config.yml has "
         "no url)"),
        ("description", site.description, "description", None),
        ("timezone", site.timezone, "timezone", None),
        ("author", site.author.name if site.author else None, "author",
         _AUTHOR.format("_config.yml")),
    ], "_site", "jekyll build")


def _markdown(root: Path) -> Scaffold:
    out = _Lines()
    out.lines += [
        f"# {CONFIG_NAME}: written by `feedwright init` for a folder of Markdown files.",
        "site:",
    ]
    out.put("title", None, "", needed="the site's title (required)")
    out.put("base_url", None, "", needed="the site's absolute URL, e.g. https://example.org/ "
            "(required)")
    out.put("author", None, "", needed="the author's name (required)")
    out.lines += [
        'inputs: ["**/*.md"]',
        "permalink: /posts/{slug}/  # where the site serves each post",
        "formats: [rss, atom, json]",
        "output: feeds",
        *_OPTIONAL,
    ]
    return Scaffold("markdown", "\n".join(out.lines) + "\n", out.missing)


def scaffold(root: Path) -> Scaffold:
    """The ``feedwright.yaml`` for the site in ``root``.

    Raises:
        UsageError: Neither a Hugo site nor a folder holding Markdown files.
        ConfigError: The site's own config cannot be read (file:line).
    """
    if find_hugo_config(root) is not None:
        return _hugo(root)
    if find_jekyll_config(root) is not None and (root / "_posts").is_dir():
        return _jekyll(root)
    if next(root.rglob("*.md"), None) is not None:
        return _markdown(root)
    raise UsageError("no Hugo site (hugo.toml, config.toml …), no Jekyll site (_config.yml "
                     "with _posts/) and no Markdown files here; "
                     "run `feedwright init` in the site's folder, or name it", str(root))


def init(root: Path, *, force: bool = False) -> tuple[Path, Scaffold]:
    """Write ``root/feedwright.yaml`` for the site there.

    Raises:
        UsageError: The file exists (and not ``force``), or no site is there.
    """
    target = root / CONFIG_NAME
    if target.exists() and not force:
        raise UsageError("already exists; pass --force to write it again", str(target))
    made = scaffold(root)
    atomic_write(target, made.text.encode("utf-8"))
    return target, made
