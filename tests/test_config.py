"""config.yaml: the bundled one loads, defaults apply, and every mistake names key and line."""

from __future__ import annotations

import textwrap
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tests.helpers import DATA
from tests.helpers import REPO

from feedwright.config import load_config
from feedwright.errors import ConfigError
from feedwright.model import Author

CONFIGS = DATA / "config"


def test_bundled_config_loads() -> None:
    config = load_config(REPO / "config.yaml")
    assert config.path == REPO / "config.yaml"
    assert config.site.title == "martinuke0's blog"
    assert config.site.base_url == "https://blog.example.org/"
    assert config.site.author == Author("martinuke0")
    assert config.site.timezone == ZoneInfo("UTC")
    assert config.site.time_of_day == time(0, 0)
    assert [p.name for p in config.inputs] == ["000_c3e0ca055b8300cb.txt",
                                               "003_712d61e5a37ea785.txt"]
    assert all(p.is_absolute() and p.parent == REPO / "archive" for p in config.inputs)
    assert config.permalink == "/posts/{slug}/"
    assert config.output == (REPO / "feeds").resolve()
    assert config.feeds_url == "https://blog.example.org/feeds/"
    assert config.formats == ("rss", "atom", "json")
    assert (config.limit, config.tag_limit, config.tag_path) == (20, 20, "tags/{tag}/")
    assert [r.tag for r in config.tag_rules] == [
        "vector-search", "rag", "llm", "distributed-systems", "security", "ml-infrastructure",
        "payments", "rust"]


def test_bundled_tag_rules_match_case_insensitively_on_whole_words() -> None:
    rules = {r.tag: r for r in load_config(REPO / "config.yaml").tag_rules}
    assert rules["rag"].matches("Scaling Production RAG Systems")
    assert rules["rag"].matches("Retrieval\u2011Augmented Generation")
    assert not rules["rag"].matches("a ragged edge")
    assert rules["rust"].matches("written in Rust.")
    assert not rules["rust"].matches("trusted and rusty")
    assert rules["llm"].matches("serving llms at scale")
    assert rules["payments"].matches("PAYMENT systems")


def test_defaults_when_optional_keys_are_missing() -> None:
    path = CONFIGS / "minimal.yaml"
    config = load_config(path)
    site = config.site
    assert (site.title, site.description, site.language) == ("Test Blog", "Test Blog", "en")
    assert site.base_url == "https://blog.example.org/blog/"
    assert site.timezone == ZoneInfo("UTC")
    assert site.time_of_day == time(0, 0)
    assert config.inputs == (CONFIGS / "archive" / "page.txt",)
    assert config.permalink == "/posts/{slug}/"
    assert config.output == CONFIGS / "feeds"
    assert config.feeds_url == "https://blog.example.org/blog/feeds/"
    assert config.formats == ("rss", "atom")
    assert (config.limit, config.tag_limit, config.tag_path, config.tag_rules) == (
        20, 20, "tags/{tag}/", ())


def test_every_key_set() -> None:
    config = load_config(CONFIGS / "full.yaml")
    site = config.site
    assert site.author == Author("Ann Lee", "ann@example.org", "https://ann.example.org/")
    assert (site.description, site.language) == ("Notes.", "en-GB")
    assert site.timezone == ZoneInfo("Europe/Berlin")
    assert site.time_of_day == time(23, 59, 59)  # unquoted in the file
    assert [p.name for p in config.inputs] == ["page.txt", "all-fields.yaml"]
    assert config.permalink == "/{year}/{month}/{day}/{slug}.html"
    assert config.output == DATA / "out" / "feeds"
    assert config.feeds_url == "https://cdn.example.net/feeds/"
    assert config.formats == ("atom",)
    assert (config.limit, config.tag_limit, config.tag_path) == (0, 5, "topics/{tag}/")
    assert [(r.tag, len(r.patterns)) for r in config.tag_rules] == [("rag", 2), ("rust", 1)]


def _line(path: Path, needle: str) -> int:
    [line] = [n for n, text in enumerate(path.read_text().splitlines(), 1) if needle in text]
    return line


BAD = [
    ("unknown-top-level-key", "limt:",
     "limt: unknown key (known keys here: archives, browser_view, budget, content, feeds_url, "
     "formats, future, gate, index_page, inputs, limit, opml, output, permalink, site, source, "
     "tags, websub)"),
    ("unknown-site-key", "titel:",
     "site.titel: unknown key (known keys here: author, base_url, copyright, description, "
     "icon, language, logo, time_of_day, timezone, title)"),
    ("relative-base-url", "base_url:",
     "site.base_url: expected an absolute http(s) URL, got '/blog/'"),
    ("bad-timezone", "timezone:",
     "site.timezone: unknown IANA timezone 'Mars/Olympus_Mons' (e.g. UTC, Europe/Berlin)"),
    ("timezone-folder", "timezone:",
     "site.timezone: unknown IANA timezone 'Europe' (e.g. UTC, Europe/Berlin)"),
    ("bad-regex", "RAG(",
     "tags.rules.rag: bad regular expression '/\\\\bRAG(/': missing ), unterminated subpattern "
     "at position 5"),
    ("input-matches-nothing", "inputs:",
     f"inputs: 'drafts/*.md' matches no file (relative to {CONFIGS})"),
    ("unknown-format", "formats:",
     "formats: expected a list drawn from ['rss', 'atom', 'json'], got ['rss', 'rdf']"),
    ("negative-limit", "limit:", "limit: expected a whole number >= 0, got -1"),
    ("negative-tag-limit", "limit:", "tags.limit: expected a whole number >= 0, got -3"),
    ("permalink-without-slug", "permalink:",
     "permalink: must contain {slug}, got '/posts/{year}/{month}/'"),
    ("permalink-unknown-placeholder", "permalink:",
     "permalink: unknown placeholder 'title'; use {slug}, {year}, {month}, {day}"),
    ("permalink-attribute", "permalink:",
     "permalink: unknown placeholder 'str' object has no attribute 'real'; use {slug}, {year}, "
     "{month}, {day}"),
]


@pytest.mark.parametrize("name, needle, message", BAD, ids=[b[0] for b in BAD])
def test_bad_config_names_key_and_line(name: str, needle: str, message: str) -> None:
    path = CONFIGS / f"{name}.yaml"
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.message == message
    assert info.value.source == f"{path}:{_line(path, needle)}"
    assert info.value.exit_code == 2


def _write(folder: Path, text: str, name: str = "config.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pages").mkdir(exist_ok=True)
    for page in ("b.txt", "a.txt"):
        (folder / "pages" / page).write_text("")
    (folder / "extra.yaml").write_text("[]\n")
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


SITE = """\
site:
  title: T
  base_url: https://x.org/
  author: me
"""


def test_content_and_gate_allow_default_and_keep_each_codes_line(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, SITE + "inputs: [pages/*.txt]\n"))
    assert (config.content, config.allow) == ("full", ())
    path = _write(tmp_path, SITE + "inputs: [pages/*.txt]\ncontent: summary\ngate:\n  allow:\n"
                  "    - html-security-risk\n    - contains-relative-reference\n")
    config = load_config(path)
    assert config.content == "summary"
    assert [(a.code, a.at) for a in config.allow] == [
        ("html-security-risk", f"{path}:{_line(path, '- html')}"),
        ("contains-relative-reference", f"{path}:{_line(path, '- contains')}"),
    ]
    config = load_config(_write(tmp_path, SITE + "inputs: [pages/*.txt]\n"
                                "gate: {allow: html-security-risk}\n"))
    assert [a.code for a in config.allow] == ["html-security-risk"]


def test_relative_paths_resolve_against_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "site"
    path = _write(folder, SITE + "inputs: [extra.yaml, pages/*.txt, pages/a.txt]\noutput: out\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    config = load_config(Path("..") / "site" / "config.yaml")
    assert config.path.resolve() == path
    # globs in config order, each glob's matches sorted, no file twice
    assert [p.resolve() for p in config.inputs] == [
        folder / "extra.yaml", folder / "pages" / "a.txt", folder / "pages" / "b.txt"]
    assert all(p.is_absolute() for p in config.inputs)
    assert config.output == folder / "out"


@pytest.mark.parametrize(
    "extra, key, message",
    [
        ("inputs: []\n", "inputs:", "inputs: expected a list of file globs, e.g. [archive/*.txt]"),
        ("inputs: [pages/*.txt]\nlimit: 2.5\n", "limit:",
         "limit: expected a whole number >= 0, got 2.5"),
        ("inputs: [pages/*.txt]\nlimit: true\n", "limit:",
         "limit: expected a whole number >= 0, got True"),
        ("inputs: [pages/*.txt]\nformats: [rss, rss]\n", "formats:",
         "formats: expected a list drawn from ['rss', 'atom', 'json'], got ['rss', 'rss']"),
        ("inputs: [pages/*.txt]\nformats: []\n", "formats:",
         "formats: expected a list drawn from ['rss', 'atom', 'json'], got []"),
        ("inputs: [pages/*.txt]\nformats: [{rss: 1}]\n", "formats:",
         "formats: expected a list drawn from ['rss', 'atom', 'json'], got [{'rss': 1}]"),
        ("inputs: [pages/*.txt]\ntags:\n  path: tags/\n", "path:",
         "tags.path: must contain {tag}, got 'tags/'"),
        ("inputs: [pages/*.txt]\ntags:\n  rules:\n    Vector Search: [vector]\n", "Vector",
         "tags.rules: tag 'Vector Search' must be lowercase letters, digits and '-'"),
        ("inputs: [pages/*.txt]\ntags:\n  rules:\n    rag: [retrieval, 3]\n", "rag:",
         "tags.rules.rag: expected words or /regexes/, got 3"),
        ("inputs: [pages/*.txt]\ntags:\n  colour: red\n", "colour:",
         "tags.colour: unknown key (known keys here: limit, path, rules)"),
        ("inputs: [pages/*.txt]\ncontent: excerpt\n", "content:",
         "content: expected full or summary, got 'excerpt'"),
        ("inputs: [pages/*.txt]\ngate:\n  alow: [x]\n", "alow:",
         "gate.alow: unknown key (known keys here: allow)"),
        ("inputs: [pages/*.txt]\ngate:\n  allow: {html-security-risk: yes}\n", "allow:",
         "gate.allow: expected a list of warning codes, e.g. [html-security-risk]"),
        ("inputs: [pages/*.txt]\ngate:\n  allow:\n    - not-html\n    - 3\n", "- 3",
         "gate.allow: expected a rule code such as html-security-risk, got 3"),
        ("inputs: [pages/*.txt]\ngate:\n  allow:\n    - not-html\n    -  not-html\n",
         "-  not-html",
         "gate.allow: not-html is listed twice"),
    ],
    ids=["inputs-empty", "limit-float", "limit-bool", "formats-duplicate", "formats-empty",
         "formats-not-names",
         "tag-path-without-tag", "tag-name-invalid", "tag-pattern-not-text", "unknown-tags-key",
         "content-unknown", "gate-unknown-key", "gate-allow-not-a-list", "gate-allow-not-text",
         "gate-allow-twice"],
)
def test_more_bad_values(tmp_path: Path, extra: str, key: str, message: str) -> None:
    path = _write(tmp_path, SITE + extra)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.message == message
    assert info.value.source == f"{path}:{_line(path, key)}"


@pytest.mark.parametrize(
    "site_extra, key, message",
    [
        ("  language: english\n", "language:",
         "site.language: expected a language tag like en or en-GB, got 'english'"),
        ('  time_of_day: "noon"\n', "time_of_day:",
         "site.time_of_day: expected \"HH:MM\" or \"HH:MM:SS\", got 'noon'"),
        ("  author: {name: me, phone: 1}\n", "phone",
         "site.author.phone: unknown key (known keys here: email, name, uri)"),
        ("  base_url: ftp://x.org/\n", "ftp",
         "site.base_url: expected an absolute http(s) URL, got 'ftp://x.org/'"),
    ],
    ids=["language", "time-of-day", "author-unknown-key", "base-url-ftp"],
)
def test_bad_site_values(tmp_path: Path, site_extra: str, key: str, message: str) -> None:
    site = "site:\n  title: T\n" + site_extra
    if "base_url" not in site_extra:
        site += "  base_url: https://x.org/\n"
    if "author" not in site_extra:
        site += "  author: me\n"
    path = _write(tmp_path, site + "inputs: [pages/*.txt]\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.message == message
    assert info.value.source == f"{path}:{_line(path, key)}"


@pytest.mark.parametrize(
    "value, expected",
    [('"09:30"', time(9, 30)), ("09:30", time(9, 30)), ("12:30", time(12, 30)),
     ("23:59:59", time(23, 59, 59)), ('"07:05:03"', time(7, 5, 3))],
    ids=["quoted", "leading-zero", "unquoted-sexagesimal", "unquoted-hms", "quoted-hms"],
)
def test_time_of_day_forms(tmp_path: Path, value: str, expected: time) -> None:
    path = _write(tmp_path, SITE + f"  time_of_day: {value}\ninputs: [pages/*.txt]\n")
    assert load_config(path).site.time_of_day == expected


def test_required_keys(tmp_path: Path) -> None:
    path = _write(tmp_path, "site:\n  base_url: https://x.org/\n  author: me\ninputs: [x]\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == f"{path}:2: site.title is required"
    path = _write(tmp_path, SITE)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == f"{path}:1: inputs is required"


def test_missing_and_unparsable_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nope.yaml")
    assert str(info.value) == (
        f"{tmp_path / 'nope.yaml'}: config file not found (pass --config PATH)")
    path = _write(tmp_path, SITE + "inputs: [a\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.source == f"{path}:6"
    assert info.value.message.startswith("not valid YAML: ")
    path = _write(tmp_path, "- just\n- a list\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == f"{path}:1: the config must be a mapping, got list ['just', 'a list']"
