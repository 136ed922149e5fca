"""build: byte-identical reruns, unchanged files untouched, all-or-nothing on failure."""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import shutil
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from freezegun import freeze_time
from tests.helpers import BASIC
from tests.helpers import NOW
from tests.helpers import REPO
from tests.helpers import entries
from tests.helpers import make_site
from tests.helpers import snapshot

import feedwright.gate
import feedwright.pipeline
from feedwright import ConfigError
from feedwright import InputError
from feedwright import InvalidFeedError
from feedwright import StaleFeedsError
from feedwright import WriteError
from feedwright import build
from feedwright.gate import Rendering
from feedwright.model import Entry
from feedwright.model import FeedSet


def test_writes_main_and_tag_feeds(tmp_path: Path) -> None:
    result = build(make_site(tmp_path, BASIC), now=NOW)
    assert result.documents == (
        "rss.xml", "atom.xml", "tags/a/rss.xml", "tags/a/atom.xml",
        "tags/b/rss.xml", "tags/b/atom.xml",
    )
    assert result.files == ("feed.css", "feeds.opml", "index.html")
    assert result.changed == result.documents + result.files
    feed = feedparser.parse((tmp_path / "feeds" / "tags" / "b" / "atom.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["Third post", "First post"]


def test_rerun_is_byte_identical_and_rewrites_nothing(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW)
    before = snapshot(tmp_path / "feeds")
    result = build(config, now=datetime(2027, 1, 1, tzinfo=UTC))
    assert result.changed == ()
    assert snapshot(tmp_path / "feeds") == before  # same bytes, same mtimes
    build(config, check=True, now=NOW)  # --check agrees: nothing stale


def test_bundled_feeds_are_up_to_date() -> None:
    """The committed feeds/ is exactly what the bundled config builds."""
    build(REPO / "config.yaml", check=True, now=NOW)


def test_check_reports_stale_files_and_writes_nothing(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW)
    (tmp_path / "entries.yaml").write_text(
        entries(("Fourth post", "2026-03-04", "a")) + BASIC, encoding="utf-8"
    )
    before = snapshot(tmp_path / "feeds")
    with pytest.raises(StaleFeedsError) as info:
        build(config, check=True, now=NOW)
    assert info.value.exit_code == 1
    assert "tags/a/rss.xml" in str(info.value)
    assert "tags/b/rss.xml" not in str(info.value)  # tag b did not change
    assert snapshot(tmp_path / "feeds") == before


def test_adding_an_entry_rewrites_only_feeds_that_hold_it_and_keeps_ids(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW)
    old = feedparser.parse((tmp_path / "feeds" / "atom.xml").read_bytes())
    old_rss = feedparser.parse((tmp_path / "feeds" / "rss.xml").read_bytes())
    (tmp_path / "entries.yaml").write_text(
        entries(("Fourth post", "2026-03-04", "a")) + BASIC, encoding="utf-8"
    )
    result = build(config, now=NOW)
    assert set(result.changed) == {"rss.xml", "atom.xml", "tags/a/rss.xml", "tags/a/atom.xml"}
    new = feedparser.parse((tmp_path / "feeds" / "atom.xml").read_bytes())
    new_rss = feedparser.parse((tmp_path / "feeds" / "rss.xml").read_bytes())
    assert [e.id for e in new.entries][1:] == [e.id for e in old.entries]
    assert [e.id for e in new_rss.entries][1:] == [e.id for e in old_rss.entries]


def test_limit_cuts_feeds_and_zero_means_all(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC, "limit: 2\ntags:\n  limit: 0\n")
    build(config, now=NOW)
    main = feedparser.parse((tmp_path / "feeds" / "rss.xml").read_bytes())
    assert [e.title for e in main.entries] == ["Third post", "Second post"]
    tag_a = feedparser.parse((tmp_path / "feeds" / "tags" / "a" / "rss.xml").read_bytes())
    assert len(tag_a.entries) == 2


PINNED = "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"


def test_pinned_id_is_used_for_both_formats(tmp_path: Path) -> None:
    config = make_site(
        tmp_path, BASIC + f"- title: Pinned\n  published: 2026-02-01\n  id: {PINNED}\n"
    )
    build(config, now=NOW)
    rss = feedparser.parse((tmp_path / "feeds" / "rss.xml").read_bytes())
    atom = feedparser.parse((tmp_path / "feeds" / "atom.xml").read_bytes())
    assert rss.entries[-1].id == atom.entries[-1].id == PINNED
    assert 'isPermaLink="false"' in (tmp_path / "feeds" / "rss.xml").read_text(encoding="utf-8")


def test_orphaned_tag_feeds_are_reported_not_deleted(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW)
    (tmp_path / "entries.yaml").write_text(
        entries(("Second post", "2026-03-02", "a")), encoding="utf-8"
    )
    result = build(config, now=NOW)
    assert result.orphans == ("tags/b/atom.xml", "tags/b/rss.xml")
    assert (tmp_path / "feeds" / "tags" / "b" / "rss.xml").exists()


def test_feeds_of_a_dropped_format_are_reported_not_deleted(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC, "formats: [rss, json]\n")
    build(config, now=NOW)
    config.write_text(config.read_text(encoding="utf-8").replace("[rss, json]", "[rss]"),
                      encoding="utf-8")
    result = build(config, now=NOW)
    assert result.orphans == ("feed.json", "tags/a/feed.json", "tags/b/feed.json")
    assert (tmp_path / "feeds" / "feed.json").exists()


# --- refusals: exit 1, the rule code, the entry's file:line, nothing written ---


def build_then_break(tmp_path: Path, broken: str) -> tuple[Path, dict[str, tuple[bytes, int]]]:
    config = make_site(tmp_path, BASIC, "future: error\n")
    build(config, now=NOW)
    before = snapshot(tmp_path / "feeds")
    (tmp_path / "entries.yaml").write_text(BASIC + broken, encoding="utf-8")
    return config, before


def test_entry_in_the_future_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    config, before = build_then_break(
        tmp_path, "- title: From the future\n  published: 2026-12-01T00:00:00Z\n"
    )
    with freeze_time("2026-11-23 12:00:00"), pytest.raises(InvalidFeedError) as info:
        build(config)
    message = str(info.value)
    assert info.value.exit_code == 1
    assert "date-in-future" in message
    assert f"entry at {tmp_path / 'entries.yaml'}:16" in message
    assert snapshot(tmp_path / "feeds") == before


def test_a_refused_build_leaves_no_new_folder_and_no_temp_file(tmp_path: Path) -> None:
    """Files are staged while the gate runs; a refusal removes them and their folders."""
    config, before = build_then_break(
        tmp_path, "- title: Bold <b>claims</b>\n  published: 2026-02-10\n  tags: [fresh]\n"
    )
    with pytest.raises(InvalidFeedError):
        build(config, now=NOW)
    assert snapshot(tmp_path / "feeds") == before
    assert not (tmp_path / "feeds" / "tags" / "fresh").exists()
    assert not list((tmp_path / "feeds").rglob("*.tmp"))


def test_the_clock_decides_what_is_the_future(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC, "future: error\n")
    with freeze_time("2026-03-02 12:00:00"), pytest.raises(InvalidFeedError) as info:
        build(config)  # "Third post" (2026-03-03) is tomorrow
    assert "date-in-future" in str(info.value)
    assert not (tmp_path / "feeds").exists()


def test_scheduled_posts_and_drafts_are_left_out_and_named_once(tmp_path: Path) -> None:
    draft = "- title: Half done\n  published: 2026-02-20\n  draft: true\n"
    config = make_site(tmp_path, BASIC + draft)  # future: skip, the default
    with freeze_time("2026-03-02 12:00:00"):
        result = build(config)  # "Third post" (2026-03-03) is tomorrow
    feed = feedparser.parse((tmp_path / "feeds" / "atom.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["Second post", "First post"]
    [note] = result.notices
    assert note.startswith("left out posts that are not to be published now")
    assert "2 (draft, scheduled) in 2 files" in note or "2 (scheduled, draft) in 2 files" in note
    assert f"{tmp_path / 'entries.yaml'}:1" in note  # the scheduled post's place
    # A preview brings both in; the gate takes the newest post's date as "now".
    with freeze_time("2026-03-02 12:00:00"):
        preview = build(config, out=tmp_path / "preview", drafts=True, future=True, cache=False)
    assert preview.notices == ()
    feed = feedparser.parse((tmp_path / "preview" / "atom.xml").read_bytes())
    assert [e.title for e in feed.entries] == [
        "Third post", "Second post", "First post", "Half done"]


def test_an_expired_post_is_left_out(tmp_path: Path) -> None:
    from feedwright.config import load_config
    from feedwright.readers import resolve
    from feedwright.readers.notices import Notices
    from feedwright.readers.raw import RawEntry

    config = load_config(make_site(tmp_path, BASIC))
    raws = [RawEntry("Offer", datetime(2026, 1, 1, tzinfo=UTC), "a.md:1", slug="offer",
                     expires=datetime(2026, 2, 1, tzinfo=UTC)),
            RawEntry("Kept", datetime(2026, 1, 2, tzinfo=UTC), "b.md:1", slug="kept")]
    notices = Notices()
    kept = resolve(raws, config, now=datetime(2026, 3, 1, tzinfo=UTC), notices=notices)
    assert [e.title for e in kept] == ["Kept"]
    assert "1 (expired) in 1 file: a.md:1" in notices.lines()[0]
    before = resolve(raws, config, now=datetime(2026, 1, 15, tzinfo=UTC))
    assert [e.title for e in before] == ["Offer", "Kept"]


def test_updated_before_published_is_refused(tmp_path: Path) -> None:
    """The model refuses it at the input (the gate's updated-before-published rule
    is the second line of defence, tested with the validator's fixtures)."""
    config, before = build_then_break(
        tmp_path,
        "- title: Time travel\n  published: 2026-02-10T00:00:00Z\n"
        "  updated: 2026-02-01T00:00:00Z\n",
    )
    with pytest.raises(InputError) as info:
        build(config, now=NOW)
    assert info.value.exit_code == 2
    assert info.value.source == f"{tmp_path / 'entries.yaml'}:18"  # the updated: line
    assert info.value.message == (
        "updated: '2026-02-01T00:00:00Z' is before published ('2026-02-10T00:00:00Z'); an entry "
        "cannot change before it exists")
    assert snapshot(tmp_path / "feeds") == before


def test_html_markup_in_a_title_is_refused(tmp_path: Path) -> None:
    """W3C warns on markup in plain-text titles, and readers would show the tags."""
    config, before = build_then_break(
        tmp_path, "- title: Bold <b>claims</b>\n  published: 2026-02-10\n"
    )
    with pytest.raises(InvalidFeedError) as info:
        build(config, now=NOW)
    assert "html-in-plain-text" in str(info.value)
    assert snapshot(tmp_path / "feeds") == before


def test_a_bad_feed_head_is_refused_in_every_document(tmp_path: Path) -> None:
    """Each document's head is checked in full, tag feeds' included."""
    config = make_site(tmp_path, BASIC)
    config.write_text(config.read_text().replace("Test site", "Test <b>site</b>"))
    with pytest.raises(InvalidFeedError) as info:
        build(config, now=NOW, cache=False)
    message = str(info.value)
    for doc in ("rss.xml", "atom.xml", "tags/a/rss.xml", "tags/b/atom.xml"):
        assert f"\n  {doc}: html-in-plain-text" in message
    assert not (tmp_path / "feeds").exists()


def test_duplicate_entry_is_an_input_error_naming_both_places(tmp_path: Path) -> None:
    config, before = build_then_break(
        tmp_path, "- title: Again\n  published: 2026-02-10\n  slug: second-post\n"
    )
    with pytest.raises(InputError) as info:
        build(config, now=NOW)
    assert info.value.exit_code == 2
    assert info.value.source == f"{tmp_path / 'entries.yaml'}:16"
    assert f"{tmp_path / 'entries.yaml'}:6" in info.value.message
    assert snapshot(tmp_path / "feeds") == before


def test_a_failing_write_leaves_every_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW)
    before = snapshot(tmp_path / "feeds")
    (tmp_path / "entries.yaml").write_text(
        entries(("Fourth post", "2026-03-04", "a, b")) + BASIC, encoding="utf-8"
    )
    import feedwright.io as fio

    real_stage = fio._stage
    calls = {"n": 0}

    def failing_stage(path: Path, data: bytes, *name: Path | None) -> tuple[str, int, fio.Identity]:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real_stage(path, data, *name)

    monkeypatch.setattr(fio, "_stage", failing_stage)
    with pytest.raises(WriteError) as info:
        build(config, now=NOW)
    assert "No space left on device" in str(info.value)
    assert snapshot(tmp_path / "feeds") == before  # no file replaced, no temp file left
    assert not fio.journal_path(tmp_path / "feeds").exists()


def test_empty_archive_is_refused(tmp_path: Path) -> None:
    config = make_site(tmp_path, "[]\n")
    with pytest.raises(InputError, match="no entries to publish"):
        build(config, now=NOW)


def test_out_overrides_the_output_directory(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, out=tmp_path / "elsewhere", now=NOW)
    assert (tmp_path / "elsewhere" / "rss.xml").exists()
    assert not (tmp_path / "feeds").exists()


def test_unchanged_files_keep_their_mtime(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW)
    target = tmp_path / "feeds" / "tags" / "b" / "rss.xml"
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    (tmp_path / "entries.yaml").write_text(
        entries(("Fourth post", "2026-03-04", "a")) + BASIC, encoding="utf-8"
    )
    build(config, now=NOW)
    assert target.stat().st_mtime_ns == 1_000_000_000


def test_copy_of_bundled_site_builds_same_bytes(tmp_path: Path) -> None:
    """The bundled build depends only on its inputs, not on where it runs."""
    shutil.copy(REPO / "config.yaml", tmp_path / "config.yaml")
    shutil.copytree(REPO / "archive", tmp_path / "archive")
    result = build(tmp_path / "config.yaml", now=NOW)
    committed = sorted(p.relative_to(REPO / "feeds").as_posix()
                       for p in (REPO / "feeds").rglob("*") if p.is_file())
    assert sorted(result.documents + result.files) == committed
    for rel in committed:
        assert (tmp_path / "feeds" / rel).read_bytes() == (REPO / "feeds" / rel).read_bytes(), rel


def test_entries_sharing_a_timestamp_are_refused_with_their_source(tmp_path: Path) -> None:
    """Checked per feed on the cut-down documents: W3C warns on duplicate <updated>."""
    config, before = build_then_break(
        tmp_path,
        "- title: Twin one\n  published: 2026-02-10T10:00:00Z\n  tags: [b]\n"
        "- title: Twin two\n  published: 2026-02-10T10:00:00Z\n  tags: [b]\n",
    )
    with pytest.raises(InvalidFeedError) as info:
        build(config, now=NOW)
    message = str(info.value)
    assert "tags/b/atom.xml: atom-duplicate-updated" in message
    assert f"entry at {tmp_path / 'entries.yaml'}:19" in message
    assert snapshot(tmp_path / "feeds") == before



def test_progress_is_reported_per_stage(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    build(make_site(tmp_path, BASIC), now=NOW, cache=False,
          progress=lambda stage, done, total: calls.append((stage, done, total)))
    stages = {stage: (done, total) for stage, done, total in calls}
    # entries are checked where they are rendered: no stage of their own
    assert list(stages) == ["rendering and checking entries", "checking feeds"]
    assert stages["checking feeds"] == (12, 12)  # every document: its head, its relations
    assert all(done == total for done, total in stages.values())


# --- gate.allow ------------------------------------------------------------------

EMBED = """\
- title: A video
  published: 2026-03-04
  slug: a-video
  summary: A post with an embedded video.
  content: '<p>Watch:</p><iframe src="https://www.youtube.com/embed/x"></iframe>'
"""

ALLOW = "gate:\n  allow: [html-security-risk]\n"


def _with_allow(config: Path, allow: str) -> None:
    text = config.read_text(encoding="utf-8").split("gate:")[0]
    config.write_text(text + allow, encoding="utf-8")


def test_an_allowed_warning_passes_and_is_reported_on_every_build(tmp_path: Path) -> None:
    config = make_site(tmp_path, EMBED + BASIC, ALLOW)
    first = build(config, now=NOW)
    assert "rss.xml" in first.changed
    [notice] = first.notices
    assert notice.startswith("gate.allow accepted the warning html-security-risk (")
    # One entry, in RSS and Atom alike: one place.
    assert notice.endswith(f"in 1 place: {tmp_path / 'entries.yaml'}:1")
    content = feedparser.parse((tmp_path / "feeds" / "atom.xml").read_bytes(),
                               sanitize_html=False).entries[0].content[0].value
    assert 'src="https://www.youtube.com/embed/x"' in content
    # What passed only thanks to the allow list is checked (and said) again.
    again = build(config, now=NOW)
    assert (again.changed, again.notices) == ((), first.notices)


def test_a_warm_cache_does_not_outlive_a_shorter_allow_list(tmp_path: Path) -> None:
    config = make_site(tmp_path, EMBED + BASIC, ALLOW)
    build(config, now=NOW)
    build(config, now=NOW)
    before = snapshot(tmp_path / "feeds")
    _with_allow(config, "")
    with pytest.raises(InvalidFeedError) as info:
        build(config, now=NOW)
    assert f"html-security-risk: HTML content holds scripts or embedded frames: <iframe> " \
           f"(entry at {tmp_path / 'entries.yaml'}:1)" in str(info.value)
    assert snapshot(tmp_path / "feeds") == before


def test_a_feed_head_that_passed_by_allow_is_not_fresh_later(tmp_path: Path) -> None:
    """A warning in a feed's head (checked in step 2, which skips documents
    untouched since an earlier build) is found again once it is no longer allowed."""
    config = make_site(tmp_path, BASIC, "gate:\n  allow: [html-in-plain-text]\n")
    config.write_text(config.read_text().replace("Test site", "Test <b>site</b>"))
    result = build(config, now=NOW)
    [notice] = result.notices
    assert "html-in-plain-text" in notice and "rss.xml" in notice
    assert build(config, now=NOW).notices == result.notices
    _with_allow(config, "")
    with pytest.raises(InvalidFeedError) as info:
        build(config, now=NOW)
    assert "\n  tags/a/atom.xml: html-in-plain-text" in str(info.value)


def test_allowing_one_warning_does_not_let_another_through(tmp_path: Path) -> None:
    config = make_site(tmp_path, EMBED.replace("A video", "A <b>video</b>") + BASIC, ALLOW)
    with pytest.raises(InvalidFeedError) as info:
        build(config, now=NOW)
    message = str(info.value)
    assert "html-in-plain-text" in message and "html-security-risk" not in message


def test_an_error_code_in_the_allow_list_is_a_config_error_at_its_line(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC, "gate:\n  allow:\n    - html-security-risk\n"
                                        "    - xml-not-well-formed\n")
    with pytest.raises(ConfigError) as info:
        build(config, now=NOW)
    assert info.value.source == f"{config}:10"  # the line of "- xml-not-well-formed"
    assert "xml-not-well-formed is an error, not a warning" in info.value.message
    assert not (tmp_path / "feeds").exists()


def test_a_file_replaced_right_after_the_build_wrote_it_is_not_taken_for_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The cache records what the build wrote from the staged file's descriptor,
    not from the path after the rename: another process's file is stale next time."""
    import feedwright.io

    config = make_site(tmp_path, BASIC)
    target = tmp_path / "feeds" / "rss.xml"
    real = feedwright.io._rename

    def then_another_writes(tmp: str, path: Path) -> None:
        real(tmp, path)
        if path == target.absolute():  # someone else's file, a new inode, right after ours
            intruder = path.with_name(".intruder")
            intruder.write_bytes(b"<rss>not ours</rss>\n")
            os.replace(intruder, path)

    monkeypatch.setattr(feedwright.io, "_rename", then_another_writes)
    build(config, now=NOW, jobs=1)
    monkeypatch.setattr(feedwright.io, "_rename", real)
    assert target.read_bytes() == b"<rss>not ours</rss>\n"
    with pytest.raises(StaleFeedsError, match=r"1 of 9 files .*\n  rss\.xml$"):
        build(config, check=True, now=NOW, jobs=1)
    assert build(config, now=NOW, jobs=1).changed == ("rss.xml",)
    assert target.read_bytes().startswith(b"<?xml")
    build(config, check=True, now=NOW, jobs=1)


def test_a_file_replaced_right_after_it_compared_equal_is_not_taken_for_up_to_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A file left in place is recorded as it was read (io.compare), not looked up again."""
    import feedwright.io

    config = make_site(tmp_path, BASIC)
    build(config, now=NOW, jobs=1)
    shutil.rmtree(tmp_path / ".feedwright-cache")  # so the rebuild compares every file
    target = (tmp_path / "feeds" / "rss.xml").absolute()
    real = feedwright.io._held

    def then_another_writes(path: Path, content: feedwright.io.Content) -> object:
        identity = real(path, content)
        if path == target:
            intruder = path.with_name(".intruder")
            intruder.write_bytes(b"<rss>not ours</rss>\n")
            os.replace(intruder, path)
        return identity

    monkeypatch.setattr(feedwright.io, "_held", then_another_writes)
    assert build(config, now=NOW, jobs=1).changed == ()
    monkeypatch.setattr(feedwright.io, "_held", real)
    with pytest.raises(StaleFeedsError, match=r"\n  rss\.xml$"):
        build(config, check=True, now=NOW, jobs=1)


def test_the_cycle_collector_is_held_off_while_checking_and_given_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rendering and checking run without the cycle collector (cycles.held);
    a build, passed or refused, leaves it as it found it."""
    states: list[bool] = []
    check = feedwright.gate.check

    def spying(work: feedwright.gate.CheckWork) -> object:
        states.append(gc.isenabled())
        return check(work)

    monkeypatch.setattr(feedwright.gate, "check", spying)
    config = make_site(tmp_path, BASIC)
    assert gc.isenabled()
    build(config, now=NOW, cache=False, jobs=1)
    assert states and not any(states)  # every document checked with it held off
    assert gc.isenabled()
    (tmp_path / "entries.yaml").write_text(
        "- title: Bold <b>claims</b>\n  published: 2026-02-10\n" + BASIC, encoding="utf-8")
    with pytest.raises(InvalidFeedError):
        build(config, now=NOW, cache=False, jobs=1)
    assert gc.isenabled()
    gc.disable()  # a caller that turned it off keeps it off
    try:
        with pytest.raises(InvalidFeedError):
            build(config, now=NOW, cache=False, jobs=1)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_entry_contents_are_let_go_once_the_fragments_are_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No stage after the fragment renderers reads an entry's content, and the
    contents are most of a large archive's memory: the gate and the writing
    get the feed set without them (archive pages too), each entry one object
    across the feeds that hold it, while the files carry every content."""
    posts = "".join(
        f"- title: Post {n}\n  published: 2026-03-{n:02d}\n  slug: post-{n}\n"
        f"  summary: Summary {n}.\n  tags: [a{', b' if n % 2 else ''}]\n"
        f"  content: '<p>Body of post {n}</p>'\n"
        for n in range(1, 8)
    )
    config = make_site(tmp_path, posts, "limit: 3\nformats: [rss, atom, json]\n"
                                        "archives:\n  per_page: 2\n")
    seen: list[FeedSet] = []
    run = feedwright.gate.Gate.run

    def spy(self: feedwright.gate.Gate, rendering: Rendering, feedset: FeedSet,
            *args: Any) -> set[bytes]:
        seen.append(feedset)
        return run(self, rendering, feedset, *args)

    monkeypatch.setattr(feedwright.gate.Gate, "run", spy)
    build(config, now=NOW)
    (feedset,) = seen
    held = [e for feed in feedset.documents for e in feed.entries]
    assert feedset.archives and len(held) > 7  # archive pages, entries in several feeds
    assert all(e.content is None for e in held)
    assert len({id(e) for e in held}) == len({e.id for e in held}) == 7
    out = tmp_path / "feeds"
    for name in ("rss.xml", "atom.xml"):
        parsed = feedparser.parse((out / name).read_bytes())
        assert [e.content[0].value for e in parsed.entries] == [
            f"<p>Body of post {n}</p>" for n in (7, 6, 5)]
    items = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]
    assert [i["content_html"] for i in items] == [f"<p>Body of post {n}</p>" for n in (7, 6, 5)]


def test_a_fragment_made_after_the_contents_are_let_go_is_an_error_not_an_empty_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A document holding an entry whose fragment was not made before the
    contents were let go would have it rendered without its content, quietly;
    the build stops instead."""
    config = make_site(tmp_path, "- title: Post\n  published: 2026-03-01\n"
                                 "  content: '<p>Body</p>'\n")
    real = feedwright.pipeline._without_contents

    def with_one_more(feedset: FeedSet) -> tuple[FeedSet, dict[str, Entry]]:
        lean, by_id = real(feedset)
        main = lean.feeds[0]
        extra = dataclasses.replace(main.entries[0], id="tag:example.org,2026:extra")
        return dataclasses.replace(lean, feeds=(
            dataclasses.replace(main, entries=(*main.entries, extra)), *lean.feeds[1:])), by_id

    monkeypatch.setattr(feedwright.pipeline, "_without_contents", with_one_more)
    with pytest.raises(AssertionError, match="after the contents were let go"):
        build(config, now=NOW)
    assert not (tmp_path / "feeds").exists()
