"""Load and check config.yaml in one place, into a frozen Config.

Unknown keys are errors, never ignored: a typo must not silently turn a
setting off.  Every error names the key, its line and what is expected.
The checking is ``mapping.Fields``'s, the same as an entries file's.
"""

from __future__ import annotations

import glob
import re
from dataclasses import dataclass
from dataclasses import field
from datetime import time
from datetime import tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo
from zoneinfo import ZoneInfoNotFoundError

from feedwright.errors import ConfigError
from feedwright.errors import InputError
from feedwright.errors import quoted
from feedwright.formats import DEFAULT_FORMATS
from feedwright.formats import FORMATS
from feedwright.located import load_yaml
from feedwright.mapping import Fields
from feedwright.mapping import bad_character
from feedwright.mapping import parse_author
from feedwright.model import Author
from feedwright.model import join_url
from feedwright.model import slugify

#: The config files ``feedwright build`` looks for, in order: a Hugo site may
#: keep a ``config.yaml`` of its own, so feedwright's own name comes first.
CONFIG_NAMES = ("feedwright.yaml", "config.yaml")


@dataclass(frozen=True)
class TagRule:
    """A tag and the patterns that give it to an entry."""

    tag: str
    #: Compiled, case-insensitive; a word matches whole words only.
    patterns: tuple[re.Pattern[str], ...]

    def matches(self, text: str) -> bool:
        return any(p.search(text) for p in self.patterns)


@dataclass(frozen=True)
class Site:
    title: str
    #: Absolute http(s) URL; every URL in the feeds hangs off it.
    base_url: str
    description: str
    language: str
    author: Author
    #: Timezone for date-only entries.
    timezone: tzinfo
    #: Time of day for date-only entries.
    time_of_day: time
    #: Absolute URL of the site's small square icon, if any.
    icon: str | None = None
    #: Absolute URL of the site's logo, if any.
    logo: str | None = None
    #: The feeds' copyright notice, if any.
    copyright: str | None = None


@dataclass(frozen=True)
class Allowed:
    """A warning code the config accepts on purpose (``gate: {allow: [...]}``).

    Which codes exist, and which are warnings, is the validator's to say;
    config sits below it (docs/dev.md, "Import direction"), so the build
    checks them when it starts (``gate.allowed_codes``) and names ``at``.
    """

    code: str
    #: ``file:line`` of the code in the config.
    at: str


#: What ``content`` may say: the entries' full HTML in every format, or their summaries only.
CONTENT_MODES = ("full", "summary")
#: What a post dated after the build is: left out until its time (as Hugo
#: and Jekyll do), or an error that stops the build.
FUTURE_MODES = ("skip", "error")
#: What a person who opens an XML feed in a browser sees: "css", a page
#: styled by the stylesheet written beside the feeds (works in every browser,
#: XSLT or not); "xslt", an XSLT transform to HTML (browsers are removing
#: XSLT: on request only); "none", the browser's raw XML view.
BROWSER_VIEWS = ("css", "xslt", "none")


#: The site generators whose trees feedwright reads by their own rules.
GENERATORS = ("hugo", "jekyll")
SOURCE_KEYS = ("generator", "root")


@dataclass(frozen=True)
class Source:
    """A site generator's tree: which generator, and its folder."""

    generator: str
    #: The site's folder (where hugo.toml or _config.yml is), absolute.
    root: Path


@dataclass(frozen=True)
class Archives:
    """``archives``: the feed's whole history as RFC 5005 archive pages."""

    #: Entries per archive page (> 0).
    per_page: int
    #: Whether each tag's feeds are archived too (the main feed always is).
    tags: bool = False


@dataclass(frozen=True)
class Config:
    """Everything a build needs to know, checked."""

    #: The config file; relative paths in it are relative to its folder.
    path: Path
    site: Site
    #: Input files, absolute: each glob's matches sorted, globs in config order.
    inputs: tuple[Path, ...]
    permalink: str
    #: Output directory, absolute.
    output: Path
    #: Absolute URL where the output directory is served.
    feeds_url: str
    formats: tuple[str, ...]
    #: Items in the main feeds; 0 = every entry.
    limit: int
    #: Items in each tag's feeds; 0 = every entry.
    tag_limit: int
    #: Per-tag folder pattern under ``output``, with ``{tag}``.
    tag_path: str
    tag_rules: tuple[TagRule, ...] = field(default_factory=tuple)
    #: "full": entries carry their HTML content in every format; "summary": summaries only.
    content: str = "full"
    #: Warning codes the gate lets through, each reported once per build.
    allow: tuple[Allowed, ...] = ()
    #: "skip": posts dated after the build are left out (and named once);
    #: "error": they stop the build.
    future: str = "skip"
    #: A site generator's tree read by its own rules (posts, URLs, dates),
    #: beside or instead of ``inputs``.
    source: Source | None = None
    #: One of BROWSER_VIEWS: the stylesheet each XML feed names for browsers.
    browser_view: str = "css"
    #: Write ``index.html`` (every feed, with autodiscovery links) in the output folder.
    index_page: bool = True
    #: Write ``feeds.opml`` (every feed, as an OPML 2.0 subscription list).
    opml: bool = True
    #: Bytes a feed may weigh: a feed over it stops the build (the gate); None: no budget.
    budget: int | None = None
    #: WebSub hubs (absolute http(s) URLs) every feed names, and ``build --ping`` notifies.
    hubs: tuple[str, ...] = ()
    #: RFC 5005 archive pages of the feeds' older entries; None: off.
    archives: Archives | None = None

    def tag_folder(self, tag: str) -> str:
        """The folder of a tag's feeds, relative to the output directory, ending
        in '/' (one spelling, for the feed set and for the readers' path checks)."""
        return self.tag_path.format(tag=slugify(tag) or "tag").strip("/") + "/"


#: The keys each part of config.yaml may have; anything else is an error.
ROOT_KEYS = (
    "site", "inputs", "permalink", "output", "feeds_url", "formats", "limit", "tags", "content",
    "gate", "future", "source", "browser_view", "index_page", "opml", "budget", "websub",
    "archives",
)
SITE_KEYS = (
    "title", "base_url", "description", "language", "author", "timezone", "time_of_day",
    "icon", "logo", "copyright",
)
TAGS_KEYS = ("path", "limit", "rules")
GATE_KEYS = ("allow",)
WEBSUB_KEYS = ("hubs",)
ARCHIVES_KEYS = ("per_page", "tags")
#: The formats that have archive pages (RFC 5005 is Atom's, carried into RSS
#: by ``atom:link``; JSON Feed has no such notion).
ARCHIVED_FORMATS = ("rss", "atom")


def _absolute_url(sec: Fields, key: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise sec.fail(key, f"expected an absolute http(s) URL, got {quoted(value)}")
    return value


def _image_url(sec: Fields, key: str, base_url: str) -> str | None:
    """An image's absolute URL: as given, or a path under base_url (as feeds_url)."""
    value = sec.text(key)
    if value is None:
        return None
    if not value.strip():
        raise sec.fail(key, "must not be empty (leave the key out for no image)")
    url = value if urlsplit(value).scheme else join_url(base_url, value)
    return _absolute_url(sec, key, url)


def _description(sec: Fields, title: str) -> str:
    """site.description, the title when not given; blank would leave RSS without one."""
    description = sec.text("description", title)
    if not description.strip():
        raise sec.fail("description", "must not be blank; leave it out to use the site's title")
    return description


def _timezone(sec: Fields) -> tzinfo:
    name = sec.text("timezone", "UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder, e.g. 'Europe'
        raise sec.fail(
            "timezone", f"unknown IANA timezone {quoted(name)} (e.g. UTC, Europe/Berlin)"
        ) from None


def _time_of_day(sec: Fields) -> time:
    value = sec.get("time_of_day", "00:00")
    if isinstance(value, int):  # YAML 1.1 reads 12:30 as a sexagesimal number
        value = f"{value // 60:02d}:{value % 60:02d}"
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise sec.fail(
            "time_of_day", f'expected "HH:MM" or "HH:MM:SS", got {quoted(value)}'
        ) from None


def _pattern(tag: str, raw: Any, at: str) -> re.Pattern[str]:
    if not isinstance(raw, str) or not raw:
        raise ConfigError(f"tags.rules.{tag}: expected words or /regexes/, got {quoted(raw)}", at)
    if len(raw) > 2 and raw.startswith("/") and raw.endswith("/"):
        try:
            return re.compile(raw[1:-1], re.IGNORECASE)
        except re.error as exc:
            raise ConfigError(
                f"tags.rules.{tag}: bad regular expression {quoted(raw)}: {exc}", at
            ) from None
    return re.compile(r"(?<!\w)" + re.escape(raw) + r"(?!\w)", re.IGNORECASE)


def _tag_rules(sec: Fields) -> tuple[TagRule, ...]:
    # Not a Fields: the keys of tags.rules are the user's own tag names.
    rules = sec.get("rules", {})
    if not isinstance(rules, dict):
        raise sec.fail("rules", "expected a mapping of tag: [words or /regexes/]")
    lines: dict[Any, int] = getattr(rules, "key_lines", {})
    out = []
    for tag, raw in rules.items():
        at = f"{sec.file}:{lines[tag]}" if tag in lines else sec.at("rules")
        if not isinstance(tag, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", tag):
            raise ConfigError(
                f"tags.rules: tag {quoted(tag)} must be lowercase letters, digits and '-'", at
            )
        items = raw if isinstance(raw, list) else [raw]
        places = sec.item_places(raw, at) if isinstance(raw, list) else [at]
        patterns = tuple(_pattern(tag, p, where) for p, where in zip(items, places, strict=True))
        out.append(TagRule(tag, patterns))
    return tuple(out)


def _source(root: Fields, folder: Path) -> Source | None:
    if root.get("source") is None:
        return None
    sec = root.section("source", SOURCE_KEYS)
    generator = sec.text("generator", required=True)
    if generator not in GENERATORS:
        raise sec.fail(
            "generator", f"expected one of {', '.join(GENERATORS)}, got {quoted(generator)}")
    where = (folder / sec.text("root", ".")).resolve()
    if not where.is_dir():
        raise sec.fail("root", f"{where} is not a folder")
    return Source(generator, where)


#: Longest file or folder name, and longest path, in bytes: Linux's NAME_MAX and
#: PATH_MAX, the tightest of the common limits (macOS allows 255 and 1024 for
#: a path; a path under that passes here and gets the system's own refusal).
NAME_MAX = 255
PATH_MAX = 4096


def path_problem(text: str) -> str | None:
    """What makes text unusable as a path on this system, or None.

    Checked before anything is read or rendered, so a path thousands of
    characters long is named at its key in the config instead of failing
    as "File name too long" when the feeds are written.
    """
    encoded = text.encode("utf-8", "surrogateescape")
    if len(encoded) > PATH_MAX:
        return f"is too long for a path ({len(encoded):,} bytes; at most {PATH_MAX:,})"
    longest = max(encoded.replace(b"\\", b"/").split(b"/"), key=len)
    if len(longest) > NAME_MAX:
        return (f"has a file or folder name too long ({len(longest):,} bytes; at most "
                f"{NAME_MAX})")
    return None


def find_config(folder: Path) -> Path:
    """The config file ``feedwright build`` uses in ``folder`` (CONFIG_NAMES).

    Raises:
        ConfigError: There is none.
    """
    for name in CONFIG_NAMES:
        if (folder / name).is_file():
            return folder / name
    raise ConfigError(f"no {' or '.join(CONFIG_NAMES)} here; write one (see README, "
                      "\"Configuration\") or pass --config PATH", str(folder.absolute()))


def _budget(root: Fields) -> int | None:
    """``budget: BYTES``, the most a feed may weigh (a whole number > 0), or None."""
    value = root.get("budget")
    if value is None:
        return None
    if type(value) is int and value > 0:  # type(): bool is a subclass of int
        return value
    raise root.fail("budget", "expected a number of bytes > 0, e.g. 4000000, "
                              f"got {quoted(value)}")


def _archives(root: Fields, tags_sec: Fields, formats: list[str]) -> Archives | None:
    """``archives: {per_page: N, tags: bool}``; per_page 0 or absent: off.

    The feeds keep their newest ``limit`` entries and the archive pages hold
    the rest, so a feed that shows every entry (``limit: 0``) has nothing to
    archive: that is refused rather than silently writing no archive.
    """
    sec = root.section("archives", ARCHIVES_KEYS)
    value = sec.get("per_page")
    if value is not None and not (type(value) is int and value >= 0):
        raise sec.fail("per_page", "expected a whole number of entries per archive page "
                                   f"> 0 (0 or absent: no archives), got {quoted(value)}")
    per_page = value or 0
    tags = sec.flag("tags", False)
    if not per_page:
        return None
    if not set(formats) & set(ARCHIVED_FORMATS):
        raise sec.fail("per_page", "archives are written for RSS and Atom only (JSON Feed "
                                   "has no archive pages); add rss or atom to formats")
    if root.count("limit", 20) == 0:
        raise root.fail("limit", "limit: 0 keeps every entry in the feed, so archives would "
                                 "hold none; set a limit > 0 or remove archives")
    if tags and tags_sec.count("limit", 20) == 0:
        raise tags_sec.fail("limit", "limit: 0 keeps every entry in each tag's feed, so "
                                     "archives.tags would archive none; set a limit > 0")
    return Archives(per_page, tags)


def _allow(sec: Fields) -> tuple[Allowed, ...]:
    """The codes of ``gate.allow``, each with its line; whether each is a
    warning the validator knows is checked by the build (``gate.allowed_codes``)."""
    codes = sec.get("allow", [])
    if isinstance(codes, str):
        codes = [codes]
    if not isinstance(codes, list):
        raise sec.fail("allow", "expected a list of warning codes, e.g. [html-security-risk]")
    places = sec.item_places(codes, sec.at("allow"))  # a single code, written as text: its key's
    out: list[Allowed] = []
    for code, at in zip(codes, places, strict=True):
        if not isinstance(code, str) or not code.strip():
            raise ConfigError(
                "gate.allow: expected a rule code such as html-security-risk, "
                f"got {quoted(code)}", at)
        if any(a.code == code for a in out):
            raise ConfigError(f"gate.allow: {code} is listed twice", at)
        out.append(Allowed(code, at))
    return tuple(out)


def _is_hub_url(value: object) -> bool:
    """An absolute http(s) URL with a host, nothing a feed's attribute cannot carry."""
    if not isinstance(value, str) or bad_character(value) or any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and (
            parts.port is None or parts.port > 0)
    except ValueError:  # a bad IPv6 literal or port
        return False


def _hubs(root: Fields) -> tuple[str, ...]:
    """``websub: {hubs: [URL, ...]}``: the WebSub hubs, each an absolute http(s)
    URL named at its own line; no ``websub`` key: none."""
    if root.get("websub") is None:
        return ()
    sec = root.section("websub", WEBSUB_KEYS)
    hubs = sec.get("hubs", required=True)
    example = "e.g. [https://pubsubhubbub.appspot.com/]"
    if not isinstance(hubs, list) or not hubs:
        raise sec.fail("hubs", f"expected a list of hub URLs, {example}, got {quoted(hubs)}")
    out: list[str] = []
    for hub, at in zip(hubs, sec.item_places(hubs, sec.at("hubs")), strict=True):
        if not _is_hub_url(hub):
            raise ConfigError(
                f"websub.hubs: expected an absolute http(s) URL, got {quoted(hub)}", at)
        if hub in out:
            raise ConfigError(f"websub.hubs: {hub} is listed twice", at)
        out.append(hub)
    return tuple(out)


def load_config(path: str | Path) -> Config:
    """Read and check a config file.

    Args:
        path: The config file.

    Returns:
        The checked Config, paths made absolute.

    Raises:
        ConfigError: The file is missing, not YAML, or any key is wrong.
    """
    path = Path(path).absolute()
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("config file not found (pass --config PATH)", file) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the config: {exc}", file) from None
    try:
        data = load_yaml(text, file)
    except InputError as exc:  # the loader's words; a config problem here
        raise ConfigError(exc.message, exc.source) from None
    if isinstance(data, dict) and data and not set(data) & set(ROOT_KEYS):
        # A generator's own config.yaml (Hugo's baseURL, title, …) is not
        # ours: say so, rather than list its keys as unknown.
        raise ConfigError(
            "this is not a feedwright config (none of its keys is ours: a site generator's "
            "own config?); write feedwright.yaml beside it, or pass --config PATH", f"{file}:1")
    root = Fields(
        {} if data is None else data, ROOT_KEYS, where=f"{file}:1", what="the config",
        file=file, error=ConfigError,
    )
    folder = path.parent

    site_sec = root.section("site", SITE_KEYS)
    base_url = _absolute_url(site_sec, "base_url", site_sec.text("base_url", required=True))
    title = site_sec.text("title", required=True)
    site = Site(
        title=title,
        base_url=base_url,
        description=_description(site_sec, title),
        language=site_sec.text("language", "en"),
        author=parse_author(site_sec, "author", site_sec.get("author", required=True)),
        timezone=_timezone(site_sec),
        time_of_day=_time_of_day(site_sec),
        icon=_image_url(site_sec, "icon", base_url),
        logo=_image_url(site_sec, "logo", base_url),
        copyright=site_sec.text("copyright"),
    )
    if site.copyright is not None and not site.copyright.strip():
        raise site_sec.fail("copyright", "must not be empty (leave the key out for none)")
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", site.language):
        raise site_sec.fail(
            "language", f"expected a language tag like en or en-GB, got {quoted(site.language)}"
        )

    source = _source(root, folder)
    inputs = root.get("inputs", [], required=source is None)
    if isinstance(inputs, str):
        inputs = [inputs]
    if not isinstance(inputs, list) or not all(isinstance(i, str) for i in inputs) or (
            source is None and not inputs):
        raise root.fail("inputs", "expected a list of file globs, e.g. [archive/*.txt]")
    files: list[Path] = []
    for pattern in inputs:
        problem = bad_character(pattern) or path_problem(pattern)
        if problem:
            raise root.fail("inputs", f"{quoted(pattern)} {problem}")
        matched = sorted(
            Path(p).resolve() for p in glob.glob(str(folder / pattern), recursive=True)
        )
        matched = [p for p in matched if p.is_file()]
        if not matched:
            raise root.fail("inputs", f"{quoted(pattern)} matches no file (relative to {folder})")
        files.extend(p for p in matched if p not in files)

    permalink = root.text("permalink", "/posts/{slug}/")
    if "{slug}" not in permalink:
        raise root.fail("permalink", f"must contain {{slug}}, got {quoted(permalink)}")
    try:
        permalink.format(slug="x", year="2026", month="01", day="01")
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        detail = str(exc) if len(str(exc)) <= 80 else quoted(str(exc))
        raise root.fail(
            "permalink", f"unknown placeholder {detail}; use {{slug}}, {{year}}, {{month}}, {{day}}"
        ) from None

    feeds_url = root.text("feeds_url", "/feeds/")
    if not urlsplit(feeds_url).scheme:
        feeds_url = join_url(base_url, feeds_url)
    feeds_url = _absolute_url(root, "feeds_url", feeds_url)
    if not feeds_url.endswith("/"):
        feeds_url += "/"

    formats = root.get("formats", list(DEFAULT_FORMATS))
    if (
        not isinstance(formats, list)
        or not formats
        or any(not isinstance(f, str) or f not in FORMATS for f in formats)
        or len(set(formats)) != len(formats)
    ):
        raise root.fail(
            "formats", f"expected a list drawn from {list(FORMATS)}, got {quoted(formats)}")

    tags_sec = root.section("tags", TAGS_KEYS)
    tag_path = tags_sec.text("path", "tags/{tag}/")
    if "{tag}" not in tag_path:
        raise tags_sec.fail("path", f"must contain {{tag}}, got {quoted(tag_path)}")
    problem = path_problem(tag_path)
    if problem:
        raise tags_sec.fail("path", f"{quoted(tag_path)} {problem}")
    output = root.text("output", "feeds")
    problem = path_problem(output)
    if problem:
        raise root.fail("output", f"{quoted(output)} {problem}")
    content = root.text("content", "full")
    if content not in CONTENT_MODES:
        raise root.fail("content", f"expected full or summary, got {quoted(content)}")
    future = root.text("future", "skip")
    if future not in FUTURE_MODES:
        raise root.fail("future", f"expected skip or error, got {quoted(future)}")
    browser_view = root.text("browser_view", "css")
    if browser_view not in BROWSER_VIEWS:
        raise root.fail("browser_view", f"expected one of {', '.join(BROWSER_VIEWS)}, "
                                        f"got {quoted(browser_view)}")
    config = Config(
        path=path,
        site=site,
        inputs=tuple(files),
        permalink=permalink,
        output=(folder / output).resolve(),
        feeds_url=feeds_url,
        formats=tuple(formats),
        limit=root.count("limit", 20),
        tag_limit=tags_sec.count("limit", 20),
        tag_path=tag_path,
        tag_rules=_tag_rules(tags_sec),
        content=content,
        allow=_allow(root.section("gate", GATE_KEYS)),
        future=future,
        source=source,
        browser_view=browser_view,
        index_page=root.flag("index_page", True),
        opml=root.flag("opml", True),
        budget=_budget(root),
        hubs=_hubs(root),
        archives=_archives(root, tags_sec, formats),
    )
    return config
