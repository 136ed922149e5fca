"""The build cache: unchanged entries are neither rendered nor checked again,
and nothing it remembers can let an invalid feed through."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from tests.conftest import NOW
from tests.test_build import BASIC
from tests.test_build import entries
from tests.test_build import make_site
from tests.test_build import snapshot

import feedwright.render as render_pkg
from feedwright import InvalidFeedError
from feedwright import build
from feedwright.build import CACHE_FOLDER
from feedwright.cache import BuildCache


def count_renders(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls = {"rss": 0, "atom": 0}
    for fmt in calls:
        real = render_pkg._ENTRY[fmt]

        def counting(entry, real=real, fmt=fmt):  # type: ignore[no-untyped-def]
            calls[fmt] += 1
            return real(entry)

        monkeypatch.setitem(render_pkg._ENTRY, fmt, counting)
    return calls


def test_second_build_renders_only_new_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site(tmp_path, BASIC)
    calls = count_renders(monkeypatch)
    build(config, now=NOW)
    assert calls == {"rss": 3, "atom": 3}
    first = snapshot(tmp_path / "feeds")
    (tmp_path / "entries.yaml").write_text(
        entries(("Fourth post", "2026-03-04", "a")) + BASIC, encoding="utf-8"
    )
    result = build(config, now=NOW)
    assert calls == {"rss": 4, "atom": 4}  # only the new entry was rendered
    assert "tags/b/rss.xml" not in result.changed
    # what the cache gives back is byte for byte what a fresh build makes
    fresh = tmp_path / "fresh"
    build(config, out=fresh, cache=False, now=NOW)
    assert snapshot(fresh).keys() == snapshot(tmp_path / "feeds").keys()
    for rel, (data, _) in snapshot(fresh).items():
        assert (tmp_path / "feeds" / rel).read_bytes() == data
    assert first  # the first build wrote something


def test_a_cached_pass_does_not_let_a_new_problem_through(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW)
    before = snapshot(tmp_path / "feeds")
    (tmp_path / "entries.yaml").write_text(
        BASIC + "- title: Twin\n  published: 2026-03-03T00:00:00Z\n  tags: [a]\n"
        "- title: Twin again\n  published: 2026-03-03T00:00:00Z\n  tags: [a]\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidFeedError, match="atom-duplicate-updated"):
        build(config, now=NOW)
    assert snapshot(tmp_path / "feeds") == before


def test_the_cache_is_tied_to_the_code(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW)
    [file] = (tmp_path / CACHE_FOLDER).glob("build-*.pickle")
    cache = BuildCache.load(tmp_path / CACHE_FOLDER, file.stem.removeprefix("build-"))
    assert len([k for k in cache.fragments if not k.startswith(b"cut")]) == 6
    assert cache.passed
    assert BuildCache.load(tmp_path / CACHE_FOLDER, "other-code").fragments == {}


def test_a_damaged_cache_is_an_empty_cache(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW)
    [file] = (tmp_path / CACHE_FOLDER).glob("build-*.pickle")
    file.write_bytes(b"not a pickle")
    build(config, out=tmp_path / "again", now=NOW)
    assert (tmp_path / "again" / "rss.xml").read_bytes() == (
        tmp_path / "feeds" / "rss.xml"
    ).read_bytes()
    fragments, passed = pickle.loads(file.read_bytes())
    assert len([k for k in fragments if not k.startswith(b"cut")]) == 6


def test_no_cache_remembers_nothing(tmp_path: Path) -> None:
    build(make_site(tmp_path, BASIC), cache=False, now=NOW)
    assert not (tmp_path / CACHE_FOLDER).exists()
