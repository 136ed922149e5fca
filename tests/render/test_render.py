"""Render: what feed readers get, read back with a real client (feedparser)."""

from __future__ import annotations

import calendar
import html
import json
import shutil
from pathlib import Path

import feedparser
import pytest
from tests.helpers import DATA
from tests.helpers import NOW
from tests.helpers import REPO
from tests.helpers import entries
from tests.helpers import make_site

from feedwright import build
from feedwright import load_config
from feedwright import read_entries
from feedwright import validate


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled site built into a temp folder."""
    out = tmp_path_factory.mktemp("feeds")
    build(REPO / "config.yaml", out=out, now=NOW)
    return out


@pytest.fixture(scope="module")
def special(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("special")
    shutil.copytree(DATA / "build" / "special-text", site, dirs_exist_ok=True)
    build(site / "config.yaml", now=NOW)
    return site / "out"


def parse(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_main_feeds_hold_the_archive_newest_first(bundled: Path) -> None:
    config = load_config(REPO / "config.yaml")
    entries = read_entries(config)
    for name, version in (("rss.xml", "rss20"), ("atom.xml", "atom10")):
        feed = parse(bundled / name)
        assert feed.version == version
        assert [e.title for e in feed.entries] == [e.title for e in entries]
        assert [e.link for e in feed.entries] == [e.url for e in entries]
        times = [calendar.timegm(e.published_parsed) for e in feed.entries]
        assert times == sorted(times, reverse=True)
        assert len(set(times)) == len(times), "same-day entries must get distinct times"
    assert "Zero\u2011to\u2011Hero" in parse(bundled / "rss.xml").entries[3].title


def test_ids_follow_the_design(bundled: Path) -> None:
    rss = parse(bundled / "rss.xml")
    atom = parse(bundled / "atom.xml")
    text = (bundled / "rss.xml").read_text(encoding="utf-8")
    assert text.count('<guid isPermaLink="true">') == len(rss.entries)
    for item, entry in zip(rss.entries, atom.entries, strict=True):
        assert item.id == item.link  # guid is the permalink
        host, rest = entry.id.removeprefix("tag:").split(",", 1)
        assert host == "blog.example.org"
        day, path = rest.split(":", 1)
        assert path == entry.link.removeprefix("https://blog.example.org")
        assert entry.published.startswith(day)


def test_dates_carry_time_zones(bundled: Path) -> None:
    rss_text = (bundled / "rss.xml").read_text(encoding="utf-8")
    assert "<pubDate>Thu, 02 Apr 2026 00:00:01 +0000</pubDate>" in rss_text
    assert "<lastBuildDate>Thu, 02 Apr 2026 00:00:01 +0000</lastBuildDate>" in rss_text
    atom = parse(bundled / "atom.xml")
    assert atom.feed.updated == "2026-04-02T00:00:01+00:00"
    assert all(e.updated.endswith("+00:00") for e in atom.entries)


def test_self_links_and_feed_metadata(bundled: Path) -> None:
    rss = parse(bundled / "rss.xml")
    atom = parse(bundled / "atom.xml")
    rss_self = [link.href for link in rss.feed.links if link.rel == "self"]
    atom_self = [link.href for link in atom.feed.links if link.rel == "self"]
    assert rss_self == ["https://blog.example.org/feeds/rss.xml"]
    assert atom_self == ["https://blog.example.org/feeds/atom.xml"]
    assert rss.feed.link == atom.feed.link == "https://blog.example.org/"
    assert rss.feed.language == "en"
    assert rss.feed.generator == atom.feed.generator == "feedwright"


def test_per_tag_feeds_hold_exactly_the_tagged_entries(bundled: Path) -> None:
    main = parse(bundled / "atom.xml")
    tags = {t.term for e in main.entries for t in e.get("tags", [])}
    assert {"vector-search", "rag", "llm", "security"} <= tags
    for tag in tags:
        for name in ("rss.xml", "atom.xml"):
            feed = parse(bundled / "tags" / tag / name)
            expected = [e.title for e in main.entries if tag in {t.term for t in e.tags}]
            assert [e.title for e in feed.entries] == expected
            selfs = [link.href for link in feed.feed.links if link.rel == "self"]
            assert selfs == [f"https://blog.example.org/feeds/tags/{tag}/{name}"]


def test_reading_time_and_word_count_ride_along(bundled: Path) -> None:
    text = (bundled / "rss.xml").read_text(encoding="utf-8")
    assert 'xmlns:dcterms="http://purl.org/dc/terms/"' in text
    first_item = text.split("<item>")[1]
    assert "<dc:format>13 min read</dc:format>" in first_item
    assert "<dcterms:extent>2681</dcterms:extent>" in first_item
    atom = parse(bundled / "atom.xml")
    assert atom.entries[0].dcterms_extent == "2681"
    assert "<dc:creator>martinuke0</dc:creator>" in first_item
    assert "<author>" not in first_item  # a bare name is not a valid RSS author


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_special_text_survives_exactly(special: Path, name: str) -> None:
    feed = parse(special / name)
    first = feed.entries[0]
    assert first.title == (
        "Tom & Jerry: a < b > c \"quoted\" 'single' 🚀 שלום Zero\u2011to\u2011Hero"
    )
    summary = "A < B && C > D; emoji 🎉; Arabic مرحبا; em — dash"
    if name == "rss.xml":  # RSS description is HTML: the text arrives HTML-escaped
        assert first.summary_detail.type == "text/html"
        assert html.unescape(first.summary) == summary
        assert "&lt;" in first.summary
    else:
        assert first.summary_detail.type == "text/plain"
        assert first.summary == summary
    assert first.content[0].value == "<p>Hello <b>world</b> &amp; friends</p>"
    assert first.link == "https://example.org/blog/posts/special-text/"
    assert [t.term for t in first.tags] == ["testing", "unicode"]
    assert feed.feed.title == "Test & Site"


def test_authors_with_email_use_rss_author(special: Path) -> None:
    rss = parse(special / "rss.xml")
    assert rss.entries[0].author_detail.email == "ada@example.org"
    assert rss.entries[0].author_detail.name == "Ada Lovelace"
    text = (special / "rss.xml").read_text(encoding="utf-8")
    assert "<author>ada@example.org (Ada Lovelace)</author>" in text
    atom = parse(special / "atom.xml")
    assert atom.entries[0].author_detail.email == "ada@example.org"
    assert atom.entries[1].author == "martin"


def test_explicit_offsets_and_site_timezone(special: Path) -> None:
    atom = parse(special / "atom.xml")
    assert atom.entries[0].published == "2026-03-02T09:30:00+01:00"
    # date-only: the site's timezone (Berlin, +01:00 in March) and time of day
    assert atom.entries[1].published == "2026-03-01T08:00:00+01:00"


def test_rss_last_build_date_agrees_with_atom_updated_after_an_edit(tmp_path: Path) -> None:
    """An edit to an older post is the feed's newest change in RSS as in Atom."""
    config = make_site(tmp_path, entries(
        ("Newest", "2026-03-03T09:00:00Z", "a"),
        ("Older", "2026-03-01T09:00:00Z", "a, b"),
    ).replace("  published: 2026-03-01T09:00:00Z\n",
              "  published: 2026-03-01T09:00:00Z\n  updated: 2026-03-04T12:30:00+01:00\n"))
    build(config, now=NOW)  # the gate holds both at the strictest level
    for folder in ("", "tags/a/", "tags/b/"):
        rss = parse(tmp_path / "feeds" / folder / "rss.xml")
        atom = parse(tmp_path / "feeds" / folder / "atom.xml")
        assert rss.feed.updated_parsed == atom.feed.updated_parsed
        assert calendar.timegm(rss.feed.updated_parsed) == calendar.timegm(
            (2026, 3, 4, 11, 30, 0, 0, 0, 0))
    text = (tmp_path / "feeds" / "rss.xml").read_text(encoding="utf-8")
    assert "<lastBuildDate>Wed, 04 Mar 2026 12:30:00 +0100</lastBuildDate>" in text


def test_titles_that_read_like_markup_are_written_with_hex_references(tmp_path: Path) -> None:
    """W3C warns (CharacterData) on `<b` in RSS plain text unless written `&#x3C;`."""
    titles = ["Learn the <basics> first", "Use <b> for bold & AT&T", "a<b, 5 > 3"]
    config = make_site(tmp_path, "".join(
        f"- title: {json.dumps(t)}\n  published: 2026-03-0{n}\n  slug: post-{n}\n"
        f"  summary: Summary {n}.\n  tags: [{json.dumps('x<y')}]\n"
        for n, t in enumerate(titles, start=1)))
    build(config, now=NOW)  # the gate: rss-text-not-hex-escaped and every other rule, strict
    path = tmp_path / "feeds" / "rss.xml"
    rss = parse(path)
    assert [e.title for e in rss.entries] == titles[::-1]
    assert rss.feed.title == "Test site"
    assert {t.term for e in rss.entries for t in e.tags} == {"x<y"}
    text = path.read_text(encoding="utf-8")
    assert "<title>Learn the &#x3C;basics&#x3E; first</title>" in text
    assert "<title>Use &#x3C;b&#x3E; for bold &#x26; AT&#x26;T</title>" in text
    assert "<category>x&#x3C;y</category>" in text
    # the same feed written as lxml alone writes it draws the warning
    plain = text.replace("&#x3C;", "&lt;").replace("&#x3E;", "&gt;").replace("&#x26;", "&amp;")
    report = validate(plain.encode("utf-8"), name="rss.xml", now=NOW)
    flagged = {plain.splitlines()[i.line - 1].strip() for i in report.issues  # type: ignore[index]
               if i.code == "rss-text-not-hex-escaped"}
    # "AT&T" is read as an entity first, as W3C does (it judges that title no further)
    assert flagged == {"<title>Learn the &lt;basics&gt; first</title>",
                       "<title>a&lt;b, 5 &gt; 3</title>", "<category>x&lt;y</category>"}
    assert parse(tmp_path / "feeds" / "atom.xml").entries[0].title == titles[-1]
