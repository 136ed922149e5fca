"""Hostile config and entries: every one a short ``file:line`` error, fast, never a hang.

A config or entries file may come from anyone (a pull request, a CMS
export); whatever it holds, feedwright must answer with an error a person
can read -- not an internal error, not a hang, not a message megabytes long.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tests.helpers import BASIC
from tests.helpers import NOW
from tests.helpers import make_site

import feedwright
from feedwright.errors import ConfigError
from feedwright.errors import FeedwrightError
from feedwright.errors import InputError

#: A classic "billion laughs": nine lines that expand to 10**9 values.
BOMB_LINES = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'] + [
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
]
BOMB = "\n".join(BOMB_LINES) + "\n"

#: Longest message any hostile input may produce.
MAX_MESSAGE = 2_000


def fails_fast(config: Path, error: type[FeedwrightError] = FeedwrightError) -> str:
    """Build config; it must raise error quickly with a short message, returned."""
    start = time.perf_counter()
    with pytest.raises(error) as caught:
        feedwright.build(config, now=NOW, cache=False)
    assert time.perf_counter() - start < 1.0
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
