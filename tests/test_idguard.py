"""The build's id guard: a rebuild that would change a published post's id is refused."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from lxml import etree
from tests.helpers import BASIC
from tests.helpers import entries
from tests.helpers import make_site
from tests.helpers import snapshot

import feedwright.validator.compare as compare_module
from feedwright.cli import cli

PINNED = "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"
MOVED = "urn:uuid:00000000-2fa1-11d2-883f-0016d3cca427"


def run(runner: CliRunner, *args: str):  # noqa: ANN201
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def site(tmp_path: Path, extra: str = "") -> Path:
    config = make_site(tmp_path, BASIC + extra, "formats: [rss, atom, json]\n")
    first = run(CliRunner(), "build", "--config", str(config))
    assert first.exit_code == 0, first.output
    return config


def edit(tmp_path: Path, old: str, new: str) -> None:
    path = tmp_path / "entries.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_new_date_changes_the_id_and_the_build_refuses(runner: CliRunner,
                                                          tmp_path: Path) -> None:
    config = site(tmp_path)
    before = snapshot(tmp_path / "feeds")
    edit(tmp_path, "published: 2026-03-02", "published: 2026-02-27")  # "Second post", line 6
    result = run(runner, "build", "--config", str(config))
    assert result.exit_code == 1
    out = result.output
    assert (f"refusing to change the id of a published post in {tmp_path / 'feeds'}; "
            "nothing was written") in out
    old_id = "tag:example.org,2026-03-02:/posts/second-post/"
    new_id = "tag:example.org,2026-02-27:/posts/second-post/"
    # JSON Feed's id is Atom's; the RSS guid is the permalink, which did not change
    line = (f"https://example.org/posts/second-post/ ({tmp_path / 'entries.yaml'}:6): its id "
            f"would change from '{old_id}' to '{new_id}' in atom.xml, feed.json, "
            "tags/a/atom.xml, tags/a/feed.json; readers would show it again as a new post")
    assert line in out
    assert "rss.xml" not in out
    assert "`id:` for the Atom" in out and "`guid:` for the RSS guid" in out
    assert "--allow-id-change" in out
    assert snapshot(tmp_path / "feeds") == before

    allowed = run(runner, "build", "--config", str(config), "--allow-id-change")
    assert allowed.exit_code == 0, allowed.output
    assert f"feedwright: note: --allow-id-change let this through: {line}" in allowed.output
    ids = [e.id for e in feedparser.parse(tmp_path / "feeds" / "atom.xml").entries]
    assert new_id in ids and old_id not in ids
    again = run(runner, "build", "--config", str(config))  # the new ids are the published ones
    assert again.exit_code == 0 and "let this through" not in again.output


def test_the_advice_works_pinning_the_old_id_and_guid_keeps_every_format(
        runner: CliRunner, tmp_path: Path) -> None:
    # The date moves the Atom/JSON id but not the RSS guid (the permalink):
    # pinning `id:` alone would make the guid that id; `guid:` keeps it.
    config = site(tmp_path)
    old_id = "tag:example.org,2026-03-02:/posts/second-post/"
    url = "https://example.org/posts/second-post/"
    edit(tmp_path, "published: 2026-03-02", f"published: 2026-02-27\n  id: {old_id}")
    half = run(runner, "build", "--config", str(config))
    assert half.exit_code == 1  # the RSS guid would become the pinned id
    assert f"would change from '{url}' to '{old_id}' in rss.xml" in half.output
    edit(tmp_path, f"id: {old_id}", f"id: {old_id}\n  guid: {url}")
    kept = run(runner, "build", "--config", str(config))
    assert kept.exit_code == 0, kept.output
    feeds = tmp_path / "feeds"
    [item] = [e for e in feedparser.parse(feeds / "rss.xml").entries if e.link == url]
    assert item.id == url
    guids = etree.parse(feeds / "rss.xml").findall(f".//item[link='{url}']/guid")
    assert [g.get("isPermaLink") for g in guids] == ["true"]
    [entry] = [e for e in feedparser.parse(feeds / "atom.xml").entries if e.link == url]
    assert entry.id == old_id


def test_a_changed_pinned_id_is_refused_in_every_format(runner: CliRunner,
                                                        tmp_path: Path) -> None:
    config = site(tmp_path, f"- title: Pinned\n  published: 2026-02-01\n  id: {PINNED}\n")
    before = snapshot(tmp_path / "feeds")
    edit(tmp_path, PINNED, MOVED)
    result = run(runner, "build", "--config", str(config))
    assert result.exit_code == 1
    assert (f"https://example.org/posts/pinned/ ({tmp_path / 'entries.yaml'}:16): its id "
            f"would change from '{PINNED}' to '{MOVED}' in rss.xml, atom.xml, feed.json;"
            ) in result.output
    assert snapshot(tmp_path / "feeds") == before


def test_a_pinned_id_given_to_another_post_is_refused(runner: CliRunner,
                                                      tmp_path: Path) -> None:
    config = site(tmp_path, f"- title: Pinned\n  published: 2026-02-01\n  id: {PINNED}\n")
    edit(tmp_path, f"- title: Pinned\n  published: 2026-02-01\n  id: {PINNED}\n",
         f"- title: Other\n  published: 2026-02-02\n  id: {PINNED}\n")
    result = run(runner, "build", "--config", str(config))
    assert result.exit_code == 1
    assert (f"https://example.org/posts/other/ ({tmp_path / 'entries.yaml'}:16): would take "
            f"id '{PINNED}' from another post in rss.xml, atom.xml, feed.json; readers would "
            "take it for that post and never show it") in result.output


def test_a_new_slug_changes_link_and_ids_and_is_refused(runner: CliRunner,
                                                         tmp_path: Path) -> None:
    config = site(tmp_path)
    edit(tmp_path, "slug: second-post", "slug: second-post-renamed")
    result = run(runner, "build", "--config", str(config))
    assert result.exit_code == 1
    assert (f"https://example.org/posts/second-post-renamed/ ({tmp_path / 'entries.yaml'}:6): "
            "was https://example.org/posts/second-post/ (same title and date) and its id "
            "would change from 'https://example.org/posts/second-post/' to "
            "'https://example.org/posts/second-post-renamed/' in rss.xml, tags/a/rss.xml;"
            ) in result.output
    assert "in atom.xml, feed.json, tags/a/atom.xml, tags/a/feed.json;" in result.output


def test_new_posts_and_edits_that_keep_ids_pass(runner: CliRunner, tmp_path: Path) -> None:
    config = site(tmp_path)
    edit(tmp_path, "Summary of First post.", "A better summary.")
    path = tmp_path / "entries.yaml"
    path.write_text("- title: Fourth post\n  published: 2026-03-04\n  tags: [a]\n"
                    + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = run(runner, "build", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert "note" not in result.output


def test_a_published_file_that_is_not_a_feed_is_replaced_with_a_notice(
        runner: CliRunner, tmp_path: Path) -> None:
    config = site(tmp_path)
    (tmp_path / "feeds" / "rss.xml").write_text("stale", encoding="utf-8")
    result = run(runner, "build", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert (f"feedwright: note: {tmp_path / 'feeds' / 'rss.xml'} is not a feed feedwright can "
            "read (") in result.output
    assert "were not compared before it was replaced" in result.output
    assert b"<rss" in (tmp_path / "feeds" / "rss.xml").read_bytes()


def test_unchanged_and_cold_builds_read_nothing(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    real = compare_module.read_snapshot

    def spy(data: bytes, *, name: str, **kw: int):  # noqa: ANN202
        read.append(name)
        return real(data, name=name, **kw)

    monkeypatch.setattr(compare_module, "read_snapshot", spy)  # idguard imports it when used
    config = site(tmp_path)  # cold: into an empty folder
    assert read == []
    assert run(CliRunner(), "build", "--config", str(config)).exit_code == 0  # unchanged
    assert read == []
    edit(tmp_path, "Summary of First post.", "A better summary.")  # one entry, tag b
    assert run(CliRunner(), "build", "--config", str(config)).exit_code == 0
    assert "tags/a/atom.xml" not in read and "atom.xml" in read and "tags/b/atom.xml" in read


def test_many_problems_are_counted_not_all_listed(runner: CliRunner, tmp_path: Path) -> None:
    posts = entries(*((f"Post {n}", f"2026-03-{n:02d}", "a") for n in range(1, 13)))
    config = make_site(tmp_path, posts)
    assert run(runner, "build", "--config", str(config)).exit_code == 0
    (tmp_path / "entries.yaml").write_text(posts.replace("2026-03-", "2026-01-"),
                                           encoding="utf-8")
    result = run(runner, "build", "--config", str(config))
    assert result.exit_code == 1
    assert result.output.count("its id would change") == 10
    assert "… and 2 more" in result.output
