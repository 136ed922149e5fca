"""The build cache: unchanged entries are neither rendered nor checked again,
and nothing it remembers can let an invalid feed through."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest
from tests.helpers import BASIC
from tests.helpers import NOW
from tests.helpers import entries
from tests.helpers import make_site
from tests.helpers import snapshot

import feedwright.gate as gate_module
import feedwright.io as io_module
import feedwright.pipeline as build_module
import feedwright.render as render_pkg
from feedwright import InvalidFeedError
from feedwright import StaleFeedsError
from feedwright import build
from feedwright.cache import BuildCache
from feedwright.pipeline import CACHE_FOLDER

#: Before every entry of BASIC was published.
BEFORE = datetime(2026, 2, 1, tzinfo=UTC)


def count_renders(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls = {"rss": 0, "atom": 0}
    for fmt in calls:
        renderer = render_pkg.RENDERERS[fmt]
        real = renderer.fragment

        def counting(entry, real=real, fmt=fmt):  # type: ignore[no-untyped-def]
            calls[fmt] += 1
            return real(entry)

        monkeypatch.setattr(renderer, "fragment", counting)
    return calls


def fingerprint(site: Path) -> str:
    """The fingerprint the one cache in ``site`` was written under."""
    [state] = (site / CACHE_FOLDER).glob("build-*.state")
    return state.name.removeprefix("build-").removesuffix(".state")


def spy(monkeypatch: pytest.MonkeyPatch, owner: object, name: str,
        note: Callable[..., object]) -> list[object]:
    """``note(*args)`` of every call of ``owner.name``, which still does its work."""
    seen: list[object] = []
    real = getattr(owner, name)

    def spying(*args):  # type: ignore[no-untyped-def]
        seen.append(note(*args))
        return real(*args)

    monkeypatch.setattr(owner, name, spying)
    return seen


def entry_fragments(cache: BuildCache) -> list[bytes]:
    """The keys of the entries' own fragments (not cut-down ones, not heads)."""
    return [k for k in cache.fragments if not k.startswith((b"cut", b"head"))]


def count_checks(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """(document name, rules) of every document the gate validates."""
    return spy(monkeypatch, gate_module, "check", lambda work: (work.name, work.relations_only))


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


def test_kept_fragments_that_never_passed_are_checked_before_they_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site(tmp_path, BASIC, "future: error\n")
    build(config, now=NOW)
    cache = BuildCache.load(tmp_path / CACHE_FOLDER, fingerprint(tmp_path))
    cache.save(set(cache.fragments), set(), cache.files)  # forget what passed
    renders = count_renders(monkeypatch)
    stages: dict[str, tuple[int, int]] = {}
    # before the entries were written they are in the future: kept fragments must fail
    with pytest.raises(InvalidFeedError, match=r"date-in-future.*\(entry at .*entries.yaml:"):
        build(config, out=tmp_path / "again", now=BEFORE,
              progress=lambda stage, done, total: stages.update({stage: (done, total)}))
    assert renders == {"rss": 0, "atom": 0}  # taken from the cache, not rendered
    assert stages["checking entries"] == (2, 2)  # one document per format
    assert not (tmp_path / "again").exists()


def test_the_cache_is_tied_to_the_code(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW)
    cache = BuildCache.load(tmp_path / CACHE_FOLDER, fingerprint(tmp_path))
    assert len(entry_fragments(cache)) == 6
    assert cache.passed
    assert len(cache.files) == len(snapshot(tmp_path / "feeds"))
    assert BuildCache.load(tmp_path / CACHE_FOLDER, "other-code").fragments == {}


def test_a_damaged_cache_is_an_empty_cache(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW)
    for file in (tmp_path / CACHE_FOLDER).glob("build-*"):
        file.write_bytes(b"not a pickle")
    build(config, out=tmp_path / "again", now=NOW)
    assert (tmp_path / "again" / "rss.xml").read_bytes() == (
        tmp_path / "feeds" / "rss.xml"
    ).read_bytes()
    cache = BuildCache.load(tmp_path / CACHE_FOLDER, fingerprint(tmp_path))
    assert len(entry_fragments(cache)) == 6


def test_no_cache_remembers_nothing(tmp_path: Path) -> None:
    build(make_site(tmp_path, BASIC), cache=False, now=NOW)
    assert not (tmp_path / CACHE_FOLDER).exists()


def reads_of_outputs(monkeypatch: pytest.MonkeyPatch, out: Path) -> list[object]:
    """Every output file the build reads back to compare with what it made."""
    return spy(monkeypatch, io_module, "_held",
               lambda path, content: path.relative_to(out).as_posix())


def test_files_the_last_build_wrote_are_neither_read_back_nor_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site(tmp_path, BASIC)
    out = tmp_path / "feeds"
    build(config, now=NOW)
    read = reads_of_outputs(monkeypatch, out)
    checked = count_checks(monkeypatch)
    (tmp_path / "entries.yaml").write_text(
        entries(("Fourth post", "2026-03-04", "a")) + BASIC, encoding="utf-8"
    )
    result = build(config, now=NOW)
    changed = {"rss.xml", "atom.xml", "tags/a/rss.xml", "tags/a/atom.xml"}
    assert set(result.changed) == changed
    assert set(read) == changed  # tags/b/* were made from the same recipe
    assert {name for name, _ in checked} >= changed
    assert not {name for name, _ in checked} & {"tags/b/rss.xml", "tags/b/atom.xml"}
    # a no-change rebuild reads and checks nothing at all
    read.clear()
    checked.clear()
    assert build(config, now=NOW).changed == ()
    assert read == []
    assert checked == []


def test_a_file_changed_by_hand_is_noticed_though_its_recipe_is_the_same(
    tmp_path: Path,
) -> None:
    config = make_site(tmp_path, BASIC)
    out = tmp_path / "feeds"
    build(config, now=NOW)
    made = (out / "tags" / "b" / "atom.xml").read_bytes()
    (out / "tags" / "b" / "atom.xml").write_bytes(made.replace(b"First post", b"Frist post"))
    with pytest.raises(StaleFeedsError, match="tags/b/atom.xml"):
        build(config, check=True, now=NOW)
    assert build(config, now=NOW).changed == ("tags/b/atom.xml",)
    assert (out / "tags" / "b" / "atom.xml").read_bytes() == made
    # a file put back by hand with the same bytes is not rewritten either
    (out / "rss.xml").write_bytes((out / "rss.xml").read_bytes())
    assert build(config, now=NOW).changed == ()


def test_a_deleted_file_is_written_again(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    out = tmp_path / "feeds"
    build(config, now=NOW)
    made = (out / "tags" / "a" / "rss.xml").read_bytes()
    (out / "tags" / "a" / "rss.xml").unlink()
    assert build(config, now=NOW).changed == ("tags/a/rss.xml",)
    assert (out / "tags" / "a" / "rss.xml").read_bytes() == made


def test_new_fragments_are_appended_and_the_store_is_kept(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW)
    folder = tmp_path / CACHE_FOLDER
    name = f"build-{fingerprint(tmp_path)}"
    store = (folder / f"{name}.store").stat()
    assert not (folder / f"{name}.log").exists()
    # three more entries: the log stays smaller than the store, so it is appended to
    more = entries(("Fourth post", "2026-03-04", "a"))
    (tmp_path / "entries.yaml").write_text(more + BASIC, encoding="utf-8")
    build(config, now=NOW)
    assert (folder / f"{name}.store").stat().st_ino == store.st_ino  # not rewritten
    assert (folder / f"{name}.log").stat().st_size > 0
    cache = BuildCache.load(folder, fingerprint(tmp_path))
    assert len(entry_fragments(cache)) == 8


def test_a_log_cut_off_by_a_crash_keeps_what_came_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW)
    more = entries(("Fourth post", "2026-03-04", "a"))
    (tmp_path / "entries.yaml").write_text(more + BASIC, encoding="utf-8")
    build(config, now=NOW)
    folder = tmp_path / CACHE_FOLDER
    log = folder / f"build-{fingerprint(tmp_path)}.log"
    log.write_bytes(log.read_bytes()[:-7])
    calls = count_renders(monkeypatch)
    build(config, out=tmp_path / "again", now=NOW)
    assert calls == {"rss": 1, "atom": 1}  # only the entry of the cut-off frame
    assert snapshot(tmp_path / "again").keys() == snapshot(tmp_path / "feeds").keys()
    for rel, (data, _) in snapshot(tmp_path / "again").items():
        assert (tmp_path / "feeds" / rel).read_bytes() == data
    assert not log.exists()  # the store was written whole again


def test_fragments_no_feed_uses_are_dropped_from_the_store(tmp_path: Path) -> None:
    many = entries(*[(f"Post {n}", f"2026-02-{n:02d}", "a") for n in range(1, 21)])
    config = make_site(tmp_path, many)
    build(config, now=NOW)
    (tmp_path / "entries.yaml").write_text(BASIC, encoding="utf-8")
    build(config, now=NOW)
    folder = tmp_path / CACHE_FOLDER
    assert not (folder / f"build-{fingerprint(tmp_path)}.log").exists()
    cache = BuildCache.load(folder, fingerprint(tmp_path))
    assert len(entry_fragments(cache)) == 6


def test_heads_of_unchanged_feeds_are_not_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW)
    first = {path: data for path, (data, _) in snapshot(tmp_path / "feeds").items()}
    made: dict[str, list[str]] = {"rss": [], "atom": []}
    for fmt in made:
        renderer = render_pkg.RENDERERS[fmt]
        real = renderer.head

        def making(feed, output, real=real, fmt=fmt):  # type: ignore[no-untyped-def]
            made[fmt].append(output.path)
            return real(feed, output)

        monkeypatch.setattr(renderer, "head", making)
    shutil.rmtree(tmp_path / "feeds")
    build(config, now=NOW)
    assert made == {"rss": [], "atom": []}
    assert {path: data for path, (data, _) in snapshot(tmp_path / "feeds").items()} == first
    # A new post in tag a: the heads of the main feed and of tag a carry its
    # date and are made again (the main feed's also for checking the new
    # entry); tag b's are the same bytes as before.
    (tmp_path / "entries.yaml").write_text(
        entries(("Fourth post", "2026-03-04", "a")) + BASIC, encoding="utf-8"
    )
    build(config, now=NOW)
    assert set(made["rss"] + made["atom"]) == {
        p for p in first if p.endswith(".xml") and not p.startswith("tags/b/")}
    # A new site title changes every head.
    for calls in made.values():
        calls.clear()
    config.write_text(config.read_text(encoding="utf-8").replace("Test site", "Renamed"),
                      encoding="utf-8")
    build(config, now=NOW)
    assert set(made["rss"] + made["atom"]) == {p for p in first if p.endswith(".xml")}
    for path, (data, _) in snapshot(tmp_path / "feeds").items():
        assert b"Renamed" in data or path == "feed.css"  # the stylesheet names no site


PACKAGE = Path(build_module.__file__).parent
SOURCES = sorted(p.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py"))


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("pkg") / "feedwright"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@pytest.mark.parametrize("module", SOURCES, ids=str)
def test_editing_any_module_of_the_package_changes_the_fingerprint(
    package_copy: Path, module: Path
) -> None:
    # The whole package, not a hand list: model.py once fell outside the
    # list, and a cached verdict outlived a change that a fresh build refused.
    from feedwright.cache import code_fingerprint

    before = code_fingerprint(package_copy)
    assert before == code_fingerprint.__wrapped__(PACKAGE)
    path = package_copy / module
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"\n# edited\n")
        assert code_fingerprint.__wrapped__(package_copy) != before
    finally:
        path.write_bytes(original)


def test_a_build_without_a_cache_takes_no_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Hashing the package costs every build; with no cache nothing uses it.
    def refuse() -> str:
        raise AssertionError("fingerprint taken")

    monkeypatch.setattr(build_module, "code_fingerprint", refuse)
    config = make_site(tmp_path, BASIC)
    assert build(config, now=NOW, cache=False).changed
    assert not (tmp_path / CACHE_FOLDER).exists()
    with pytest.raises(AssertionError, match="fingerprint taken"):
        build(config, now=NOW)  # with one, it is taken


def test_a_new_fingerprint_makes_every_entry_and_verdict_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW)
    calls = count_renders(monkeypatch)
    checked = count_checks(monkeypatch)
    build(config, now=NOW)
    assert calls == {"rss": 0, "atom": 0} and not checked  # the cache holds it all
    monkeypatch.setattr(build_module, "code_fingerprint", lambda: "0123456789abcdef")
    build(config, now=NOW, check=True)
    assert calls == {"rss": 3, "atom": 3}
    assert checked  # every fragment and head was judged again
    assert fingerprint(tmp_path) == "0123456789abcdef"


@pytest.mark.parametrize("library", ["feedgen", "lxml", "fastjsonschema"])
def test_a_new_version_of_a_library_that_shapes_output_changes_the_fingerprint(
    package_copy: Path, library: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from importlib import metadata

    from feedwright.cache import code_fingerprint

    before = code_fingerprint.__wrapped__(package_copy)
    real = metadata.version
    monkeypatch.setattr(metadata, "version",
                        lambda name: "999.0" if name == library else real(name))
    assert code_fingerprint.__wrapped__(package_copy) != before
