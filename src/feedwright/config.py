"""Load and check config.yaml in one place, into a frozen Config.

Unknown keys are errors, never ignored: a typo must not silently turn a
setting off.  Every error names the key, its line and what is expected.
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
from feedwright.formats import DEFAULT_FORMATS
from feedwright.formats import FORMATS
from feedwright.located import LocatedDict
from feedwright.located import load_yaml
from feedwright.model import Author
from feedwright.model import join_url

DEFAULT_CONFIG = "config.yaml"


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


class _Section:
    """Reads one mapping of the config, remembering which keys were used."""

    def __init__(self, data: Any, where: str, file: str, line: int) -> None:
        self.file = file
        self.where = where
        if data is None:
            data = LocatedDict()
            data.key_lines = {}
            data.line = line
        if not isinstance(data, dict):
            raise ConfigError(f"{where or 'the config'} must be a mapping", f"{file}:{line}")
        self.data: dict[Any, Any] = data
        self.line = getattr(data, "line", line)
        self.key_lines: dict[Any, int] = getattr(data, "key_lines", {})
        self.allowed: set[str] = set()

    def name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def at(self, key: str) -> str:
        return f"{self.file}:{self.key_lines.get(key, self.line)}"

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.name(key)}: {message}", self.at(key))

    def get(self, key: str, default: Any = None, *, required: bool = False) -> Any:
        self.allowed.add(key)
        if key not in self.data or self.data[key] is None:
            if required:
                raise ConfigError(
                    f"{self.name(key)} is required", f"{self.file}:{self.line}"
                )
            return default
        return self.data[key]

    def text(self, key: str, default: str | None = None, *, required: bool = False) -> str:
        value = self.get(key, default, required=required)
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(key, f"expected a non-empty string, got {value!r}")
        return value

    def integer(self, key: str, default: int) -> int:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(key, f"expected a whole number >= 0, got {value!r}")
        return value

    def section(self, key: str) -> _Section:
        return _Section(self.get(key), self.name(key), self.file, self.key_lines.get(key, 1))

    def done(self) -> None:
        for key in self.data:
            if key not in self.allowed:
                known = ", ".join(sorted(self.allowed))
                raise self.fail(str(key), f"unknown key (known keys here: {known})")


def _absolute_url(sec: _Section, key: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise sec.fail(key, f"expected an absolute http(s) URL, got {value!r}")
    return value


def _author(sec: _Section, key: str, value: Any) -> Author:
    if isinstance(value, str) and value.strip():
        return Author(value.strip())
    if isinstance(value, dict):
        sub = _Section(value, sec.name(key), sec.file, sec.key_lines.get(key, sec.line))
        author = Author(
            sub.text("name", required=True),
            sub.get("email"),
            sub.get("uri"),
        )
        sub.done()
        return author
    raise sec.fail(key, f"expected a name or {{name, email, uri}}, got {value!r}")


def _timezone(sec: _Section) -> tzinfo:
    name = sec.text("timezone", "UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder, e.g. 'Europe'
        raise sec.fail(
            "timezone", f"unknown IANA timezone {name!r} (e.g. UTC, Europe/Berlin)"
        ) from None


def _time_of_day(sec: _Section) -> time:
    value = sec.get("time_of_day", "00:00")
    if isinstance(value, int):  # YAML 1.1 reads 12:30 as a sexagesimal number
        value = f"{value // 60:02d}:{value % 60:02d}"
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise sec.fail("time_of_day", f'expected "HH:MM" or "HH:MM:SS", got {value!r}') from None


def _pattern(sec: _Section, tag: str, raw: Any, line: int) -> re.Pattern[str]:
    if not isinstance(raw, str) or not raw:
        raise ConfigError(
            f"tags.rules.{tag}: expected words or /regexes/, got {raw!r}", f"{sec.file}:{line}"
        )
    if len(raw) > 2 and raw.startswith("/") and raw.endswith("/"):
        try:
            return re.compile(raw[1:-1], re.IGNORECASE)
        except re.error as exc:
            raise ConfigError(
                f"tags.rules.{tag}: bad regular expression {raw!r}: {exc}", f"{sec.file}:{line}"
            ) from None
    return re.compile(r"(?<!\w)" + re.escape(raw) + r"(?!\w)", re.IGNORECASE)


def _tag_rules(sec: _Section) -> tuple[TagRule, ...]:
    rules = sec.get("rules", {})
    if not isinstance(rules, dict):
        raise sec.fail("rules", "expected a mapping of tag: [words or /regexes/]")
    lines: dict[Any, int] = getattr(rules, "key_lines", {})
    out = []
    for tag, raw in rules.items():
        line = lines.get(tag, sec.line)
        if not isinstance(tag, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", tag):
            raise ConfigError(
                f"tags.rules: tag {tag!r} must be lowercase letters, digits and '-'",
                f"{sec.file}:{line}",
            )
        items = raw if isinstance(raw, list) else [raw]
        item_lines = getattr(raw, "item_lines", [line] * len(items))
        patterns = tuple(
            _pattern(sec, tag, p, ln) for p, ln in zip(items, item_lines, strict=True)
        )
        out.append(TagRule(tag, patterns))
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
    except Exception as exc:  # InputError from the loader: a config problem here
        raise ConfigError(getattr(exc, "message", str(exc)), getattr(exc, "source", file)) from None
    root = _Section(data, "", file, 1)
    folder = path.parent

    site_sec = root.section("site")
    base_url = _absolute_url(site_sec, "base_url", site_sec.text("base_url", required=True))
    title = site_sec.text("title", required=True)
    site = Site(
        title=title,
        base_url=base_url,
        description=site_sec.text("description", title),
        language=site_sec.text("language", "en"),
        author=_author(site_sec, "author", site_sec.get("author", required=True)),
        timezone=_timezone(site_sec),
        time_of_day=_time_of_day(site_sec),
    )
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", site.language):
        raise site_sec.fail(
            "language", f"expected a language tag like en or en-GB, got {site.language!r}"
        )
    site_sec.done()

    inputs = root.get("inputs", required=True)
    if isinstance(inputs, str):
        inputs = [inputs]
    if not isinstance(inputs, list) or not inputs or not all(isinstance(i, str) for i in inputs):
        raise root.fail("inputs", "expected a list of file globs, e.g. [archive/*.txt]")
    files: list[Path] = []
    for pattern in inputs:
        matched = sorted(
            Path(p).resolve() for p in glob.glob(str(folder / pattern), recursive=True)
        )
        matched = [p for p in matched if p.is_file()]
        if not matched:
            raise root.fail("inputs", f"{pattern!r} matches no file (relative to {folder})")
        files.extend(p for p in matched if p not in files)

    permalink = root.text("permalink", "/posts/{slug}/")
    if "{slug}" not in permalink:
        raise root.fail("permalink", f"must contain {{slug}}, got {permalink!r}")
    try:
        permalink.format(slug="x", year="2026", month="01", day="01")
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        raise root.fail(
            "permalink", f"unknown placeholder {exc}; use {{slug}}, {{year}}, {{month}}, {{day}}"
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
        or any(f not in FORMATS for f in formats)
        or len(set(formats)) != len(formats)
    ):
        raise root.fail("formats", f"expected a list drawn from {list(FORMATS)}, got {formats!r}")

    tags_sec = root.section("tags")
    tag_path = tags_sec.text("path", "tags/{tag}/")
    if "{tag}" not in tag_path:
        raise tags_sec.fail("path", f"must contain {{tag}}, got {tag_path!r}")
    config = Config(
        path=path,
        site=site,
        inputs=tuple(files),
        permalink=permalink,
        output=(folder / root.text("output", "feeds")).resolve(),
        feeds_url=feeds_url,
        formats=tuple(formats),
        limit=root.integer("limit", 20),
        tag_limit=tags_sec.integer("limit", 20),
        tag_path=tag_path,
        tag_rules=_tag_rules(tags_sec),
    )
    tags_sec.done()
    root.done()
    return config
