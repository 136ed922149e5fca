"""RFC 5005 archived feeds (``archives: {per_page: N}``): pages, walks, stability, tampering."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from lxml import etree
from tests.helpers import NOW
from tests.helpers import make_site
from tests.helpers import snapshot

from feedwright import ConfigError
from feedwright import InvalidFeedError
from feedwright import build
from feedwright import validate
from feedwright.cli import cli
from feedwright.config import load_config
from feedwright.feedset import build_feedset
from feedwright.gate import check_archive_walks
from feedwright.model import History
from feedwright.readers import Notices
from feedwright.readers import read_entries
from feedwright.render import render

FEEDS_URL = "https://example.org/feeds/"
FH = "{http://purl.org/syndication/history/1.0}"
ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(count: int, start: int = 1, tags: str = "") -> str:
    """``count`` entries, one a day from 2020-01-01, post-1 the oldest."""
    first = date(2020, 1, 1)
    return "".join(
        f"- title: Post {i}\n  published: {first + timedelta(days=i)}\n  slug: post-{i}\n"
        f"  summary: Summary of post {i}.\n  tags: [{tags}]\n"
        for i in range(start, start + count))


def _site(tmp_path: Path, count: int, config: str) -> Path:
    return make_site(tmp_path, _entries(count), config)


def _add(config: Path, count: int, start: int) -> None:
    with open(config.parent / "entries.yaml", "a", encoding="utf-8") as out:
        out.write(_entries(count, start))


def _walk(feeds: Path, name: str) -> tuple[list[str], list[str]]:
    """Follow prev-archive from the subscription feed ``name`` as a reader does
    (feedparser): the entry ids met, in order, and the documents visited."""
    ids: list[str] = []
    visited: list[str] = []
    path: str | None = name
    while path is not None:
        assert path not in visited, f"the walk loops at {path}"
        visited.append(path)
        parsed = feedparser.parse((feeds / path).read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        ids += [entry.id for entry in parsed.entries]
        links = {link["rel"]: link["href"] for link in parsed.feed.links}
        if path != name:
            assert links["current"] == FEEDS_URL + name
            assert links["self"] == FEEDS_URL + path
        prev = links.get("prev-archive")
        path = None if prev is None else prev.removeprefix(FEEDS_URL)
    return ids, visited


def _all_ids(feeds: Path, name: str) -> list[str]:
    """Every entry's id as the feed names it, newest first (a feed of every entry)."""
    return [e.id for e in feedparser.parse((feeds / name).read_bytes()).entries]


def _identity(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns


# --- the walk and the stability of pages, 1,000 entries -----------------------


def test_a_walk_from_each_feed_meets_every_entry_once_in_order_and_pages_stay(
    tmp_path: Path, runner: CliRunner,
) -> None:
    # 1,000 entries: the feed keeps 20, the 980 others fill 10 pages of 98.
    config = _site(tmp_path, 1000, "limit: 20\narchives:\n  per_page: 98\n")
    result = build(config, now=NOW)
    feeds = tmp_path / "feeds"
    pages = sorted(p for p in result.documents if p.startswith("archive/"))
    assert pages == sorted(f"archive/{s}-{k}.xml" for s in ("rss", "atom") for k in range(1, 11))

    # Every entry once, newest first, through the whole chain, in both formats:
    # the same ids as a feed of every entry (limit 0, no archives) shows.
    every = tmp_path / "every"
    every.mkdir()
    build(_site(every, 1000, "limit: 0\n"), now=NOW)
    for fmt in ("rss", "atom"):
        ids, visited = _walk(feeds, f"{fmt}.xml")
        assert visited == [f"{fmt}.xml"] + [f"archive/{fmt}-{k}.xml" for k in range(10, 0, -1)]
        assert len(ids) == len(set(ids)) == 1000
        assert ids == _all_ids(every / "feeds", f"{fmt}.xml")
        # Page 1 holds the oldest 98, the subscription feed the newest 20.
        oldest = feedparser.parse((feeds / f"archive/{fmt}-1.xml").read_bytes())
        assert [e.title for e in oldest.entries] == [f"Post {i}" for i in range(98, 0, -1)]
        newest = feedparser.parse((feeds / f"{fmt}.xml").read_bytes())
        assert [e.title for e in newest.entries] == [f"Post {i}" for i in range(1000, 980, -1)]

    # One more entry starts page 11: page 10 gains its next-archive link; no
    # older page is touched (same inode, same mtime).
    before = {p: _identity(feeds / p) for p in result.documents + result.files}
    _add(config, 1, 1001)
    out = runner.invoke(cli, ["build", "--config", str(config)], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "Traceback" not in out.output
    # 24 documents (2 feeds, 22 pages) and 3 files beside them; 6 written.
    assert "wrote 6 of 27 files" in out.output
    changed = {p for p, ident in before.items() if _identity(feeds / p) != ident}
    assert changed == {"rss.xml", "atom.xml", "archive/rss-10.xml", "archive/atom-10.xml"}
    assert (feeds / "archive/rss-11.xml").is_file() and (feeds / "archive/atom-11.xml").is_file()

    # Another: only page 11 and the feeds change.
    before = {p: _identity(feeds / p) for p in (*before, "archive/rss-11.xml",
                                                "archive/atom-11.xml")}
    _add(config, 1, 1002)
    result = build(config, now=NOW)
    assert set(result.changed) == {"rss.xml", "atom.xml", "archive/rss-11.xml",
                                   "archive/atom-11.xml"}
    changed = {p for p, ident in before.items() if _identity(feeds / p) != ident}
    assert changed == set(result.changed)
    for fmt in ("rss", "atom"):
        ids, _ = _walk(feeds, f"{fmt}.xml")
        assert len(ids) == len(set(ids)) == 1002


# --- what the pages say, checked by the validator and lxml --------------------


def test_every_page_is_a_valid_archive_document_and_the_rules_run_on_it(tmp_path: Path) -> None:
    config = _site(tmp_path, 30, "limit: 5\narchives:\n  per_page: 10\n")
    result = build(config, now=NOW)
    feeds = tmp_path / "feeds"
    assert sorted(p for p in result.documents if "archive" in p) == sorted(
        f"archive/{s}-{k}.xml" for s in ("rss", "atom") for k in (1, 2, 3))
    for path in result.documents:
        data = (feeds / path).read_bytes()
        report = validate(data, name=path, strict=True, now=NOW, location=FEEDS_URL + path)
        assert report.valid and not report.issues, report.issues
        root = etree.fromstring(data)
        head = root if root.tag == ATOM + "feed" else root.find("channel")
        assert head is not None
        rels = {li.get("rel"): li.get("href") for li in head.iterchildren(ATOM + "link")}
        is_page = path.startswith("archive/")
        assert (head.find(FH + "archive") is not None) == is_page
        if is_page:
            fmt, k = path.removeprefix("archive/").removesuffix(".xml").split("-")
            assert rels["self"] == FEEDS_URL + path
            assert rels["current"] == f"{FEEDS_URL}{fmt}.xml"
            assert rels.get("prev-archive") == (
                None if k == "1" else f"{FEEDS_URL}archive/{fmt}-{int(k) - 1}.xml")
            assert rels.get("next-archive") == (
                None if k == "3" else f"{FEEDS_URL}archive/{fmt}-{int(k) + 1}.xml")
            # The validator's RFC 5005 rules judge what we write: without its
            # current link, a page is refused.
            broken = data.replace(b'rel="current"', b'rel="related"')
            codes = {i.code for i in validate(broken, name=path, strict=True, now=NOW,
                                              location=FEEDS_URL + path).issues}
            assert codes == {"fh-archive-without-current"}
            looped = data.replace(f'href="{FEEDS_URL}{fmt}.xml" rel="current"'.encode(),
                                  f'href="{FEEDS_URL}{path}" rel="current"'.encode())
            assert looped != data
            codes = {i.code for i in validate(looped, name=path, strict=True, now=NOW,
                                              location=FEEDS_URL + path).issues}
            assert codes == {"fh-archive-link-to-itself"}
            unchained = data.replace(b'rel="prev-archive"', b'rel="related"').replace(
                b'rel="next-archive"', b'rel="related"')
            codes = {i.code for i in validate(unchained, name=path, strict=True, now=NOW,
                                              location=FEEDS_URL + path).issues}
            assert codes == {"fh-archive-incomplete"}
        elif path.endswith(".xml"):
            assert rels["prev-archive"] == f"{FEEDS_URL}archive/{path[:-4]}-3.xml"
            # Said complete, the feed contradicts its own prev-archive link.
            complete = data.replace(b"<generator>", b"<fh:complete/><generator>", 1).replace(
                b"xmlns:dc=", b'xmlns:fh="http://purl.org/syndication/history/1.0" xmlns:dc=', 1)
            codes = {i.code for i in validate(complete, name=path, strict=True, now=NOW,
                                              location=FEEDS_URL + path).issues}
            assert codes == {"fh-paging-in-complete-feed"}
    # JSON Feed has no archive notion: none written for it, even when asked for JSON.
    assert not list(feeds.rglob("*.json"))


def test_json_feed_keeps_the_newest_entries_and_gets_no_archive(tmp_path: Path) -> None:
    config = _site(tmp_path, 30, "limit: 5\nformats: [rss, json]\narchives:\n  per_page: 10\n")
    result = build(config, now=NOW)
    assert "feed.json" in result.documents
    assert not [p for p in result.documents if p.startswith("archive/") and "json" in p]
    assert not [p for p in result.documents if p.startswith("archive/feed")]
    assert {p for p in result.documents if p.startswith("archive/")} == {
        "archive/rss-1.xml", "archive/rss-2.xml", "archive/rss-3.xml"}


def test_older_entries_stay_in_the_feed_until_they_fill_more_than_one_page(
    tmp_path: Path,
) -> None:
    # A lone archive page would link to no other archive (RFC 5005 readers and
    # W3C's ArchiveIncomplete take that for a broken chain).
    config = _site(tmp_path, 13, "limit: 3\narchives:\n  per_page: 10\n")
    result = build(config, now=NOW)
    assert not [p for p in result.documents if "archive" in p]
    feeds = tmp_path / "feeds"
    assert len(feedparser.parse((feeds / "rss.xml").read_bytes()).entries) == 13
    assert "prev-archive" not in (feeds / "rss.xml").read_text(encoding="utf-8")
    _add(config, 1, 14)
    result = build(config, now=NOW)
    assert sorted(p for p in result.documents if "archive" in p) == [
        "archive/atom-1.xml", "archive/atom-2.xml", "archive/rss-1.xml", "archive/rss-2.xml"]
    ids, visited = _walk(feeds, "rss.xml")
    assert len(ids) == len(set(ids)) == 14
    assert len(feedparser.parse((feeds / "rss.xml").read_bytes()).entries) == 3
    assert len(feedparser.parse((feeds / "archive/rss-2.xml").read_bytes()).entries) == 1


def test_tag_feeds_are_archived_only_when_asked(tmp_path: Path) -> None:
    config = make_site(tmp_path, _entries(25, tags="a"),
                       "limit: 4\ntags:\n  limit: 2\narchives:\n  per_page: 5\n")
    result = build(config, now=NOW)
    assert not [p for p in result.documents if p.startswith("tags/a/archive/")]
    config.write_text(config.read_text(encoding="utf-8") + "  tags: true\n", encoding="utf-8")
    result = build(config, now=NOW)
    pages = sorted(p for p in result.documents if p.startswith("tags/a/archive/"))
    assert pages == sorted(f"tags/a/archive/{s}-{k}.xml" for s in ("rss", "atom")
                           for k in range(1, 6))
    ids, visited = _walk(tmp_path / "feeds", "tags/a/atom.xml")
    assert len(ids) == len(set(ids)) == 25
    assert visited[-1] == "tags/a/archive/atom-1.xml"
    # The archive pages are not listed beside the feeds.
    assert "archive" not in (tmp_path / "feeds" / "feeds.opml").read_text(encoding="utf-8")
    assert "archive/" not in (tmp_path / "feeds" / "index.html").read_text(encoding="utf-8")


# --- the gate's walk over the heads written -------------------------------------


def _documents(tmp_path: Path) -> list:  # type: ignore[type-arg]
    config = load_config(_site(tmp_path, 30, "limit: 5\narchives:\n  per_page: 10\n"))
    feedset = build_feedset(read_entries(config, Notices(), now=NOW), config)
    return feedset, render(feedset)


def _with_links(feedset, page: int, links):  # type: ignore[no-untyped-def]
    archives = list(feedset.archives)
    archives[page] = replace(archives[page], history=History(True, tuple(links)))
    return render(replace(feedset, archives=tuple(archives)))


def test_the_gate_walk_passes_what_the_feed_set_makes(tmp_path: Path) -> None:
    _, docs = _documents(tmp_path)
    check_archive_walks(docs)


def test_the_gate_refuses_a_prev_archive_that_is_not_an_archive(tmp_path: Path) -> None:
    feedset, _ = _documents(tmp_path)
    # Page 2 of RSS points back at the subscription feed, not at page 1.
    links = [(f, r, u.replace("archive/rss-1.xml", "rss.xml") if r == "prev-archive" else u)
             for f, r, u in feedset.archives[1].history.links]
    with pytest.raises(InvalidFeedError) as info:
        check_archive_walks(_with_links(feedset, 1, links))
    message = str(info.value)
    assert f"archive/rss-2.xml: prev-archive {FEEDS_URL}rss.xml is not an archive page" in message
    assert "archive/rss-1.xml" in message  # the page no walk reaches
    assert "Traceback" not in message


def test_the_gate_refuses_a_chain_whose_next_archive_does_not_lead_back(tmp_path: Path) -> None:
    feedset, _ = _documents(tmp_path)
    links = [link for link in feedset.archives[0].history.links if link[1] != "next-archive"]
    with pytest.raises(InvalidFeedError, match=r"archive/atom-1.xml: next-archive None does "
                                               r"not lead back to archive/atom-2.xml"):
        check_archive_walks(_with_links(feedset, 0, links))


def test_the_gate_refuses_an_entry_in_two_documents_of_a_walk(tmp_path: Path) -> None:
    feedset, _ = _documents(tmp_path)
    archives = list(feedset.archives)
    newest = feedset.feeds[0].entries[0]
    archives[0] = replace(archives[0], entries=(newest, *archives[0].entries))
    docs = render(replace(feedset, archives=tuple(archives)))
    with pytest.raises(InvalidFeedError, match=f"entry {newest.id} is in two documents"):
        check_archive_walks(docs)


# --- a tampered archive folder ----------------------------------------------------


def test_a_hand_edited_page_is_rewritten_with_a_notice_and_other_files_stay(
    tmp_path: Path, runner: CliRunner,
) -> None:
    config = _site(tmp_path, 30, "limit: 5\narchives:\n  per_page: 10\n")
    build(config, now=NOW)
    feeds = tmp_path / "feeds"
    page = feeds / "archive" / "rss-2.xml"
    original = page.read_bytes()
    edited = original.replace(b"Post 15", b"Post fifteen")
    assert edited != original
    page.write_bytes(edited)
    notes = feeds / "archive" / "notes.txt"
    notes.write_text("mine\n", encoding="utf-8")
    kept = _identity(notes)
    (feeds / "archive" / "atom-1.xml").unlink()
    out = runner.invoke(cli, ["build", "--config", str(config)], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "Traceback" not in out.output
    assert page.read_bytes() == original
    assert (feeds / "archive" / "atom-1.xml").is_file()
    notices = [line for line in out.output.splitlines() if "archive page" in line]
    assert notices == [f"feedwright: note: 2 archive pages in {feeds} had been changed or "
                       "removed since the last build (archive/atom-1.xml, archive/rss-2.xml); "
                       "rewritten to what the archive holds"]
    assert "wrote 2 of" in out.output
    assert notes.read_text(encoding="utf-8") == "mine\n" and _identity(notes) == kept
    assert "notes.txt" not in out.output
    # And a build with nothing touched says nothing of the kind.
    out = runner.invoke(cli, ["build", "--config", str(config)], catch_exceptions=False)
    assert "archive page" not in out.output and "wrote 0 of" in out.output


def test_pages_no_longer_built_are_named_never_deleted(tmp_path: Path, runner: CliRunner) -> None:
    config = _site(tmp_path, 30, "limit: 5\narchives:\n  per_page: 10\n")
    build(config, now=NOW)
    feeds = tmp_path / "feeds"
    config.write_text(config.read_text(encoding="utf-8").replace("per_page: 10", "per_page: 20"),
                      encoding="utf-8")
    out = runner.invoke(cli, ["build", "--config", str(config)], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    gone = [line for line in out.output.splitlines() if "is no longer built" in line]
    assert gone == [
        f"feedwright: note: {feeds / p} is no longer built (its archive page is gone: fewer "
        "entries, another archives.per_page, or archives off); delete it if you no longer "
        "want to serve it" for p in ("archive/atom-3.xml", "archive/rss-3.xml")]
    assert (feeds / "archive" / "rss-3.xml").is_file()
    ids, visited = _walk(feeds, "rss.xml")
    assert visited == ["rss.xml", "archive/rss-2.xml", "archive/rss-1.xml"]
    assert len(ids) == len(set(ids)) == 30


def test_archives_off_by_zero_or_absent(tmp_path: Path) -> None:
    for extra in ("", "archives:\n  per_page: 0\n", "archives: {}\n"):
        config = _site(tmp_path, 30, "limit: 5\n" + extra)
        assert load_config(config).archives is None
        before = snapshot(tmp_path / "feeds") if (tmp_path / "feeds").exists() else None
        result = build(config, now=NOW)
        assert not [p for p in result.documents if "archive" in p]
        if before is not None:
            assert snapshot(tmp_path / "feeds") == before


# --- bad config, at the command line ---------------------------------------------------


@pytest.mark.parametrize(("extra", "line", "says"), [
    ("archives:\n  per_page: ten\n", 8, "archives.per_page: expected a whole number of entries "
                                        "per archive page > 0 (0 or absent: no archives), "
                                        "got 'ten'"),
    ("archives:\n  per_page: -3\n", 8, "archives.per_page: expected a whole number"),
    ("archives:\n  per_page: 2.5\n", 8, "archives.per_page: expected a whole number"),
    ("archives:\n  per_page: true\n", 8, "archives.per_page: expected a whole number"),
    ("archives:\n  per_page: 10\n  colour: red\n", 9, "colour"),
    ("archives:\n  per_page: 10\n  tags: yes-please\n", 9, "archives.tags: expected true or "
                                                         "false"),
    ("archives: 10\n", 7, "archives"),
    ("limit: 0\narchives:\n  per_page: 10\n", 7, "limit: limit: 0 keeps every entry in the "
                                               "feed, so archives would hold none"),
    ("formats: [json]\narchives:\n  per_page: 10\n", 9, "archives are written for RSS and "
                                                       "Atom only"),
])
def test_a_bad_archives_setting_is_one_line_at_its_place(
    tmp_path: Path, runner: CliRunner, extra: str, line: int, says: str,
) -> None:
    config = _site(tmp_path, 3, extra)
    with pytest.raises(ConfigError):
        load_config(config)
    out = runner.invoke(cli, ["build", "--config", str(config)], catch_exceptions=False)
    assert out.exit_code == 2
    assert "Traceback" not in out.output
    [message] = out.output.strip().splitlines()
    assert message.startswith(f"feedwright: error: {config}:{line}: "), message
    assert says in message
    assert not (tmp_path / "feeds").exists()


def test_the_bundled_walk_helper_sees_a_missing_page(tmp_path: Path) -> None:
    # The test's own walker fails when a page is gone (a test that can fail).
    config = _site(tmp_path, 30, "limit: 5\narchives:\n  per_page: 10\n")
    build(config, now=NOW)
    os.remove(tmp_path / "feeds" / "archive" / "rss-2.xml")
    with pytest.raises((OSError, AssertionError)):
        _walk(tmp_path / "feeds", "rss.xml")


def test_build_check_names_a_page_that_differs(tmp_path: Path, runner: CliRunner) -> None:
    config = _site(tmp_path, 30, "limit: 5\narchives:\n  per_page: 10\n")
    build(config, now=NOW)
    out = runner.invoke(cli, ["build", "--check", "--config", str(config)],
                        catch_exceptions=False)
    assert out.exit_code == 0, out.output
    page = tmp_path / "feeds" / "archive" / "atom-1.xml"
    page.write_bytes(page.read_bytes().replace(b"Post 3<", b"Post three<"))
    out = runner.invoke(cli, ["build", "--check", "--config", str(config)],
                        catch_exceptions=False)
    assert out.exit_code == 1
    assert "Traceback" not in out.output
    assert "1 of 11 files" in out.output and "\n  archive/atom-1.xml" in out.output
