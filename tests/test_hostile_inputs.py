"""Hostile config and entries: every one a short ``file:line`` error, fast, never a hang.

A config or entries file may come from anyone (a pull request, a CMS
export); whatever it holds, feedwright must answer with an error a person
can read -- not an internal error, not a hang, not a message megabytes long.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import feedparser
import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from tests.helpers import BASIC
from tests.helpers import NOW
from tests.helpers import make_site

import feedwright
from feedwright.errors import ConfigError
from feedwright.errors import FeedwrightError
from feedwright.errors import InputError
from feedwright.errors import quoted

#: A classic "billion laughs": nine lines that expand to 10**9 values.
BOMB_LINES = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'] + [
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
]
BOMB = "\n".join(BOMB_LINES) + "\n"

#: Longest message any hostile input may produce.
MAX_MESSAGE = 2_000


def fails_fast(
    config: Path, error: type[FeedwrightError] = FeedwrightError, seconds: float = 1.0
) -> str:
    """Build config; it must raise error within seconds with a short message, returned."""
    start = time.perf_counter()
    with pytest.raises(error) as caught:
        feedwright.build(config, now=NOW, cache=False)
    assert time.perf_counter() - start < seconds
    message = str(caught.value)
    assert len(message) < MAX_MESSAGE, message[:300]
    assert caught.value.exit_code == 2
    return message


# --- 1. alias bombs ----------------------------------------------------------


def test_alias_bomb_as_config(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC, extra_config="x_bomb:\n  " + BOMB.replace("\n", "\n  "))
    message = fails_fast(config, ConfigError)
    assert "billion laughs" in message
    assert f"{config}:" in message


def test_alias_bomb_as_entries_file(tmp_path: Path) -> None:
    config = make_site(tmp_path, BOMB)
    message = fails_fast(config, InputError)
    assert "billion laughs" in message
    assert f"{tmp_path / 'entries.yaml'}:9" in message  # the alias that expands most


def test_alias_bomb_as_front_matter(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    config.write_text(config.read_text().replace("[entries.yaml]", "[posts/*.md]"))
    (tmp_path / "posts").mkdir()
    post = tmp_path / "posts" / "bomb.md"
    post.write_text("---\ntitle: Bomb\ndate: 2026-03-01\n" + BOMB + "---\nBody.\n")
    message = fails_fast(config, InputError)
    assert "billion laughs" in message
    assert str(post) in message


def test_an_alias_inside_itself_is_refused(tmp_path: Path) -> None:
    config = make_site(tmp_path, "- &a\n  title: Loop\n  summary: [*a]\n")
    assert "alias inside the value it refers to" in fails_fast(config, InputError)


def test_ordinary_aliases_still_work(tmp_path: Path) -> None:
    entries = (
        "- &first\n  title: First post\n  published: 2026-03-01\n  slug: first\n"
        "  summary: Shared.\n  tags: [a]\n"
        "- <<: *first\n  title: Second post\n  slug: second\n"
    )
    result = feedwright.build(make_site(tmp_path, entries), now=NOW, cache=False)
    assert result is not None


# --- 2. long values are quoted short ----------------------------------------

HUGE = "a" * 4_000_000

ENTRY_FIELDS = {  # JSON Lines: its C parser reads 4 MB fast, PyYAML takes a second
    "published": f'"{HUGE}"',
    "updated": f'"2026-03-01T10:00{HUGE}"',
    "url": f'"{HUGE}"',
    "tags": f'"{HUGE}, b"',
    "author": f'{{"name": ["{HUGE}"]}}',
    "summary": f'["{HUGE}"]',
}


@pytest.mark.parametrize("field", sorted(ENTRY_FIELDS))
def test_a_huge_entry_value_is_quoted_short(tmp_path: Path, field: str) -> None:
    entry = {"title": '"Post"', "published": '"2026-03-01"', "slug": '"post"'}
    entry[field] = ENTRY_FIELDS[field]
    config = make_site(tmp_path, "")
    (tmp_path / "entries.jsonl").write_text(
        "{" + ", ".join(f'"{k}": {v}' for k, v in entry.items()) + "}\n")
    config.write_text(config.read_text().replace("entries.yaml", "entries.jsonl"))
    message = fails_fast(config, InputError)
    assert "characters)" in message or "..." in message, message  # cut, not whole


#: A long value for config.yaml (PyYAML reads 4 MB in about a second: one test does).
LONG = "a" * 400_000


CONFIG_FIELDS = {
    "site.base_url": ("  base_url: https://example.org/\n", f"  base_url: {HUGE}\n"),
    "site.language": ("  author: tester\n", f"  author: tester\n  language: {LONG}\n"),
    "site.timezone": ("  author: tester\n", f"  author: tester\n  timezone: {LONG}\n"),
    "permalink": ("output: feeds\n", f"output: feeds\npermalink: {LONG}\n"),
    "tags.path": ("output: feeds\n", f"output: feeds\ntags:\n  path: {LONG}\n"),
    "content": ("output: feeds\n", f"output: feeds\ncontent: {LONG}\n"),
    "formats": ("output: feeds\n", f"output: feeds\nformats: [{LONG}]\n"),
}


@pytest.mark.parametrize("field", sorted(CONFIG_FIELDS))
def test_a_huge_config_value_is_quoted_short(tmp_path: Path, field: str) -> None:
    config = make_site(tmp_path, BASIC)
    old, new = CONFIG_FIELDS[field]
    config.write_text(config.read_text().replace(old, new, 1))
    message = fails_fast(config, ConfigError, seconds=10)
    assert field.rpartition(".")[2] in message


def test_quoted_cuts_and_says_the_length() -> None:
    assert quoted("aaaa") == "'aaaa'"
    assert quoted("a" * 4_000_000, limit=4) == "'aaaa…' (4,000,000 characters)"
    assert len(quoted(["x" * 10**6] * 1000)) < 400
    assert quoted(10**200) == "a number of 201 digits"


# --- 3. nesting, long numbers, characters XML cannot carry, long paths ------


def nested(depth: int) -> str:
    """A JSON/YAML flow value depth lists deep."""
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [150, 100_000])
@pytest.mark.parametrize("suffix", ["yaml", "json", "jsonl"])
def test_deep_nesting_in_entries(tmp_path: Path, suffix: str, depth: int) -> None:
    value = nested(depth)
    text = {
        "yaml": f"- title: Deep\n  published: 2026-03-01\n  tags: {value}\n",
        "json": f'[{{"title": "Deep", "published": "2026-03-01", "tags": {value}}}]',
        "jsonl": f'{{"title": "Deep", "published": "2026-03-01", "tags": {value}}}\n',
    }[suffix]
    config = make_site(tmp_path, "")
    (tmp_path / f"entries.{suffix}").write_text(text)
    config.write_text(config.read_text().replace("entries.yaml", f"entries.{suffix}"))
    message = fails_fast(config, InputError, seconds=5)
    assert f"entries.{suffix}:" in message or f"entries.{suffix}: " in message
    assert "internal" not in message


def test_deep_nesting_in_config(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC, extra_config=f"x_deep: {nested(100_000)}\n")
    assert "nested" in fails_fast(config, ConfigError, seconds=5)


@pytest.mark.parametrize("suffix", ["yaml", "json", "jsonl"])
def test_a_number_too_long_to_read(tmp_path: Path, suffix: str) -> None:
    digits = "9" * 6_000
    text = {
        "yaml": f"- title: Long\n  published: 2026-03-01\n  word_count: {digits}\n",
        "json": f'[{{"title": "Long", "published": "2026-03-01", "word_count": {digits}}}]',
        "jsonl": f'{{"title": "Long", "published": "2026-03-01", "word_count": {digits}}}\n',
    }[suffix]
    config = make_site(tmp_path, "")
    (tmp_path / f"entries.{suffix}").write_text(text)
    config.write_text(config.read_text().replace("entries.yaml", f"entries.{suffix}"))
    message = fails_fast(config, InputError)
    assert "number" in message and f"entries.{suffix}" in message


BAD_CHARACTERS = ["\x00", "\x01", "\x0b", "\x1f", "\ufffe", "\uffff", "\ud800"]


@pytest.mark.parametrize("char", BAD_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("field", ["title", "summary", "content", "slug", "tags", "author", "id"])
def test_a_character_xml_cannot_carry_in_an_entry(tmp_path: Path, field: str, char: str) -> None:
    escaped = f"\\u{ord(char):04x}"  # JSON escapes: YAML refuses most of these itself
    value = f'["a{escaped}b"]' if field == "tags" else f'"a{escaped}b"'
    text = f'{{"title": "Post", "published": "2026-03-01", "slug": "post", "{field}": {value}}}\n'
    config = make_site(tmp_path, "")
    (tmp_path / "entries.jsonl").write_text(text)
    config.write_text(config.read_text().replace("entries.yaml", "entries.jsonl"))
    message = fails_fast(config, InputError)
    assert f"entries.jsonl:1: {field}" in message
    assert f"U+{ord(char):04X}" in message


@pytest.mark.parametrize("key", ["title", "description", "author", "language"])
def test_a_character_xml_cannot_carry_in_the_config(tmp_path: Path, key: str) -> None:
    site = {"title": "Test site", "base_url": "https://example.org/", "author": "tester"}
    site[key] = "a\\x01b"  # a YAML escape: YAML refuses the raw character itself
    config = make_site(tmp_path, BASIC)
    config.write_text("site:\n" + "".join(f'  {k}: "{v}"\n' for k, v in site.items())
                      + "inputs: [entries.yaml]\n")
    message = fails_fast(config, ConfigError)
    assert f"site.{key}" in message and "U+0001" in message


def test_a_nul_in_the_markdown_body(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    config.write_text(config.read_text().replace("[entries.yaml]", "[posts/*.md]"))
    (tmp_path / "posts").mkdir()
    post = tmp_path / "posts" / "nul.md"
    post.write_text("---\ntitle: Nul\ndate: 2026-03-01\n---\nBody \x0c with a form feed.\n")
    message = fails_fast(config, InputError)
    assert str(post) in message and "U+000C" in message


@pytest.mark.parametrize(("key", "old", "new"), [
    ("output", "output: feeds\n", "output: {}\n"),
    ("path", "output: feeds\n", "output: feeds\ntags:\n  path: {}/{{tag}}/\n"),
    ("inputs", "inputs: [entries.yaml]\n", "inputs: [{}]\n"),
])
@pytest.mark.parametrize("length", [300, 5_000])
def test_a_path_too_long(tmp_path: Path, key: str, old: str, new: str, length: int) -> None:
    config = make_site(tmp_path, BASIC)
    config.write_text(config.read_text().replace(old, new.format("a" * length)))
    message = fails_fast(config, ConfigError)
    assert key in message and "too long" in message
    assert not (tmp_path / "feeds").exists()


def test_a_four_million_character_output(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    config.write_text(config.read_text().replace("output: feeds", f"output: {HUGE}"))
    message = fails_fast(config, ConfigError, seconds=10)
    assert "output" in message and "4,000,000 bytes" in message


# --- 4. any value: a short FeedwrightError, or feeds that are valid ----------

_scalars = (
    st.text(max_size=40)
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.booleans()
    | st.none()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["2026-03-01", "2026-03-01T10:00:00Z", "https://example.org/x", "a, b"])
)
#: Any JSON value a hand-written file may hold, a few levels deep; text (and lists
#: of text) weighted up, as most keys take them and a build that succeeds is
#: where a value can still break a feed.
VALUES = (
    st.text(max_size=40)
    | st.lists(st.text(max_size=12), max_size=3)
    | st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.text(max_size=8), inner, max_size=3), max_leaves=8)
)

ENTRY_KEYS = ["title", "published", "updated", "slug", "url", "id", "summary", "content",
              "tags", "author", "authors", "word_count", "reading_time", "draft"]
CONFIG_KEYS = [("site", "title"), ("site", "description"), ("site", "author"),
               ("site", "language"), ("site", "base_url"), (None, "permalink"),
               (None, "limit"), (None, "content"), (None, "feeds_url")]


def _check_built(tmp_path: Path, config: Path) -> None:
    """Build; a FeedwrightError must be short, a success must write valid feeds."""
    try:
        result = feedwright.build(config, now=NOW, cache=False)
    except FeedwrightError as exc:
        assert len(str(exc)) < MAX_MESSAGE
        return
    for document in result.documents:
        data = (result.output / document).read_bytes()
        report = feedwright.validate(data, name=document, strict=True, now=NOW)
        assert report.valid, (document, [i.message for i in report.issues][:3])
        if document.endswith(".xml"):
            parsed = feedparser.parse(data)
            assert not parsed.bozo, (document, parsed.get("bozo_exception"))


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(ENTRY_KEYS), value=VALUES)
def test_any_entry_value(tmp_path_factory: pytest.TempPathFactory, key: str,
                         value: object) -> None:
    tmp_path = tmp_path_factory.mktemp("entry")
    entry: dict[str, object] = {"title": "Post", "published": "2026-03-01", "slug": "post",
                                "summary": "A post.", "tags": ["a"]}
    entry[key] = value
    config = make_site(tmp_path, "")
    (tmp_path / "entries.jsonl").write_text(json.dumps(entry) + "\n", encoding="utf-8")
    config.write_text(config.read_text().replace("entries.yaml", "entries.jsonl"))
    _check_built(tmp_path, config)


@settings(max_examples=50, deadline=None)
@given(where=st.sampled_from(CONFIG_KEYS), value=VALUES)
def test_any_config_value(tmp_path_factory: pytest.TempPathFactory,
                          where: tuple[str | None, str], value: object) -> None:
    tmp_path = tmp_path_factory.mktemp("config")
    config = make_site(tmp_path, BASIC)
    data = {"site": {"title": "Test site", "base_url": "https://example.org/",
                     "author": "tester"}, "inputs": ["entries.yaml"], "output": "feeds"}
    section, key = where
    target: dict[str, object] = data["site"] if section else data  # type: ignore[assignment]
    target[key] = value
    config.write_text(json.dumps(data), encoding="utf-8")  # JSON is YAML, escapes and all
    _check_built(tmp_path, config)


def _jsonl_site(tmp_path: Path, entry: dict[str, object]) -> Path:
    config = make_site(tmp_path, "")
    (tmp_path / "entries.jsonl").write_text(json.dumps(entry) + "\n", encoding="utf-8")
    config.write_text(config.read_text().replace("entries.yaml", "entries.jsonl"))
    return config


def test_a_tag_too_long_for_its_folder(tmp_path: Path) -> None:
    config = _jsonl_site(tmp_path, {"title": "P", "published": "2026-03-01", "tags": ["a" * 300]})
    message = fails_fast(config, InputError)
    assert "entries.jsonl:1: tags: the folder" in message and "(300 characters)" in message
    assert not (tmp_path / "feeds").exists()


def test_a_huge_unknown_key_is_quoted_short(tmp_path: Path) -> None:
    config = _jsonl_site(tmp_path, {"title": "P", "published": "2026-03-01", "a" * 100_000: 1})
    assert "unknown key" in fails_fast(config, InputError)
