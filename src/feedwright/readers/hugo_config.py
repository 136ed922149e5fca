"""A Hugo site's own configuration, read for what a feed needs of it.

Hugo looks for ``hugo.toml|yaml|json`` first, then ``config.toml|yaml|json``,
then a ``config/_default/`` folder; so does ``load_hugo_config``.  A
``config.*`` file only counts as Hugo's when the site's content folder stands
beside it: feedwright's own ``config.yaml`` sits in such a folder too and must
never be misread as a Hugo site.  Hugo reads its keys without regard to case
(``baseURL``, ``baseurl``), and so does this.  What it reads: ``baseURL``,
``title``, ``languageCode``, ``timeZone``, ``permalinks`` (section → pattern,
also newer Hugo's ``[permalinks.page]``), ``mainSections`` (top level or
under ``params``), ``taxonomies``, the author (``params.author`` or
``author``), ``contentDir`` and ``uglyURLs``.  A file that does not parse,
a time zone that does not exist or a permalink pattern Hugo would refuse is a
``ConfigError`` at ``file:line``.
"""

from __future__ import annotations

import json
import re
import tomllib
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
from feedwright.located import json_error
from feedwright.located import load_yaml
from feedwright.model import Author
from feedwright.readers.hugo_urls import pattern_error

#: Config file names in Hugo's order of preference.
CONFIG_NAMES = tuple(f"{stem}.{ext}" for stem in ("hugo", "config")
                     for ext in ("toml", "yaml", "yml", "json"))

#: tomllib's place in its messages (as ``readers/front_matter.py`` reads it).
_TOML_AT = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$")


@dataclass(frozen=True)
class HugoSite:
    """What a feed needs of a Hugo site's configuration."""

    #: The site's folder.
    root: Path
    #: The file the settings were read from (``file:line`` in errors).
    config_file: Path
    #: ``baseURL`` as written ("" when not set: Hugo then takes it from the command line).
    base_url: str = ""
    title: str | None = None
    language_code: str | None = None
    #: ``timeZone`` as written; None: UTC, as in Hugo.
    time_zone: str | None = None
    #: The zone dates without an offset are read in.
    tz: tzinfo = UTC
    #: Section (lower case, as Hugo keys are) → permalink pattern.
    permalinks: dict[str, str] = field(default_factory=dict)
    #: ``mainSections`` when set; empty: Hugo's rule picks one (``readers/hugo.py``).
    main_sections: tuple[str, ...] = ()
    #: Singular → plural, e.g. ``tag`` → ``tags``.
    taxonomies: dict[str, str] = field(default_factory=dict)
    author: Author | None = None
    #: The content folder (``contentDir``, default ``content``), absolute.
    content_dir: Path = Path("content")
    #: ``uglyURLs``: ``/posts/x.html`` instead of ``/posts/x/``.
    ugly_urls: bool = False


def find_hugo_config(root: Path) -> Path | None:
    """The file Hugo would read its settings from, or None when root is no Hugo site."""
    for name in CONFIG_NAMES:
        path = root / name
        if path.is_file() and (name.startswith("hugo.") or _has_content(root, path)):
            return path
    default = root / "config" / "_default"
    for name in CONFIG_NAMES:
        if (default / name).is_file():
            return default / name
    return None


def _has_content(root: Path, path: Path) -> bool:
    """A ``config.*`` beside its content folder (``contentDir`` or ``content``)."""
    try:
        data = _lowered(_parse(path))
    except ConfigError:
        return (root / "content").is_dir()
    content = data.get("contentdir")
    return (root / (content if isinstance(content, str) and content else "content")).is_dir()


def load_hugo_config(root: Path) -> HugoSite:
    """Read the Hugo site at root.

    Raises:
        ConfigError: No Hugo config there, one that does not parse, a wrong
            value (unknown time zone, unknown permalink placeholder); at
            ``file:line`` where known.
    """
    path = find_hugo_config(root)
    if path is None:
        names = ", ".join(CONFIG_NAMES)
        raise ConfigError(f"no Hugo site here: none of {names} (a config.* counts only beside "
                          "a content/ folder), nor config/_default/", str(root))
    data = _lowered(_parse(path))
    text = path.read_text(encoding="utf-8")
    if path.parent.name == "_default":  # config/_default/<key>.toml holds that key's table
        for part in sorted(path.parent.iterdir()):
            key = part.stem.lower()
            if part != path and part.suffix in (".toml", ".yaml", ".yml", ".json") \
                    and key not in ("hugo", "config"):
                data.setdefault(key, _lowered(_parse(part)))
    params = data.get("params") if isinstance(data.get("params"), dict) else {}
    assert isinstance(params, dict)

    def text_of(key: str, where: dict[str, Any] = data) -> str | None:
        value = where.get(key)
        if value is None or isinstance(value, str):
            return value
        raise ConfigError(f"{key}: expected text, got {quoted(value)}", _at(path, text, key))

    zone_name = text_of("timezone")
    zone: tzinfo = UTC
    if zone_name:
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ConfigError(f"timeZone: unknown IANA time zone {quoted(zone_name)} (e.g. "
                              "Europe/Berlin)", _at(path, text, "timezone")) from None
    content = text_of("contentdir") or "content"
    return HugoSite(
        root=root,
        config_file=path,
        base_url=text_of("baseurl") or "",
        title=text_of("title"),
        language_code=text_of("languagecode"),
        time_zone=zone_name,
        tz=zone,
        permalinks=_permalinks(data.get("permalinks"), path, text),
        main_sections=_main_sections(data, params, path, text),
        taxonomies={str(k): str(v) for k, v in _mapping(data, "taxonomies", path, text).items()},
        author=_author(params.get("author", data.get("author"))),
        content_dir=root / content,
        ugly_urls=data.get("uglyurls") is True,
    )


def _parse(path: Path) -> dict[str, Any]:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the Hugo config: {exc}", file) from None
    data: Any
    if path.suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            at = _TOML_AT.search(str(exc))
            line = f":{at[1]}" if at and at[1] else ""
            what = str(exc)[: at.start()] if at else str(exc)
            raise ConfigError(f"not valid TOML: {what}", file + line) from None
    elif path.suffix == ".json":
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            problem = json_error(exc, file)
            raise ConfigError(problem.message, problem.source) from None
    else:
        try:
            data = load_yaml(text, file)
        except InputError as exc:
            raise ConfigError(exc.message, exc.source) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError("the Hugo config must be a mapping of keys to values", file)
    return data


def _lowered(value: Any) -> Any:
    """Keys lower-cased all the way down, as Hugo reads them."""
    if isinstance(value, dict):
        return {str(k).lower(): _lowered(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lowered(v) for v in value]
    return value


def _at(path: Path, text: str, key: str, after: str | None = None) -> str:
    """``file:line`` of key (the first after the line naming ``after``), else the file."""
    lines = text.split("\n")
    start = 0
    if after is not None:
        start = next((i for i, line in enumerate(lines) if after in line.lower()), 0)
    wanted = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*[=:]""", re.IGNORECASE)
    for number in range(start, len(lines)):
        if wanted.match(lines[number]):
            return f"{path}:{number + 1}"
    return str(path)


def _mapping(data: dict[str, Any], key: str, path: Path, text: str) -> dict[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{key}: expected a table of keys to values, got {quoted(value)}",
                          _at(path, text, key))
    return value


def _permalinks(value: Any, path: Path, text: str) -> dict[str, str]:
    """Section → pattern, each checked as Hugo does (unknown placeholder: Hugo's
    "permalink ill-formed", said with the placeholder and the ones known)."""
    table = _mapping({"permalinks": value}, "permalinks", path, text)
    if isinstance(table.get("page"), dict):  # newer Hugo: [permalinks.page]
        table = table["page"]
    out: dict[str, str] = {}
    for section, pattern in table.items():
        if isinstance(pattern, dict):  # [permalinks.section], .term…: not pages
            continue
        where = _at(path, text, section, after="permalinks")
        if not isinstance(pattern, str):
            raise ConfigError(f"permalinks.{section}: expected a pattern such as "
                              f"'/:year/:month/:title/', got {quoted(pattern)}", where)
        problem = pattern_error(pattern)
        if problem:
            raise ConfigError(f"permalinks.{section}: {problem} in {quoted(pattern)}", where)
        out[section.strip("/")] = pattern
    return out


def _main_sections(data: dict[str, Any], params: dict[str, Any], path: Path,
                   text: str) -> tuple[str, ...]:
    value = data.get("mainsections", params.get("mainsections"))
    if value is None:
        return ()
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(f"mainSections: expected a list of section names, got {quoted(value)}",
                          _at(path, text, "mainsections"))
    return tuple(v.strip("/") for v in values)


def _author(value: Any) -> Author | None:
    """``params.author`` (or ``author``): a name, or a table with ``name`` and ``email``."""
    if isinstance(value, str) and value.strip():
        return Author(value.strip())
    if isinstance(value, dict) and isinstance(value.get("name"), str) and value["name"].strip():
        email = value.get("email")
        return Author(value["name"].strip(), email if isinstance(email, str) else None)
    return None
