"""JSON Feed 1.1 output: what readers that know JSON Feed get, read back with a
real one (lemon24/reader) beside its Atom twin."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from reader import make_reader
from tests.helpers import NOW
from tests.helpers import REPO

from feedwright import build
from feedwright import validate
from feedwright.model import Author
from feedwright.model import Entry
from feedwright.render import jsonfeed

#: RFC 3339 with an offset, as JSON Feed asks.
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled site with every format, built into a temp folder."""
    folder = tmp_path_factory.mktemp("site")
    shutil.copytree(REPO / "archive", folder / "archive")
    config = (REPO / "config.yaml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^formats: .*$", "formats: [rss, atom, json]", config)
    (folder / "config.yaml").write_text(config, encoding="utf-8")
    build(folder / "config.yaml", now=NOW, cache=False)
    return folder / "feeds"


def feeds(folder: Path) -> list[Path]:
    return sorted(folder.rglob("feed.json"))


def test_every_feed_has_a_json_twin(site: Path) -> None:
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert len(names) == 30  # 9 feeds in 3 formats; the stylesheet, index page, OPML list
    for atom in site.rglob("atom.xml"):
        assert (atom.parent / "feed.json").is_file()
        assert (atom.parent / "rss.xml").is_file()


def test_json_feeds_follow_the_spec(site: Path) -> None:
    for path in feeds(site):
        doc = json.loads(path.read_bytes())
        assert doc["version"] == "https://jsonfeed.org/version/1.1"
        url = "https://blog.example.org/feeds/" + path.relative_to(site).as_posix()
        assert doc["feed_url"] == url
        assert doc["home_page_url"] == "https://blog.example.org/"
        assert doc["authors"] == [{"name": "martinuke0"}]
        assert doc["language"] == "en"
        items = doc["items"]
        assert items
        dates = [datetime.fromisoformat(i["date_published"]) for i in items]
        assert dates == sorted(dates, reverse=True)  # newest first
        for item in items:
            assert item["id"].startswith("tag:blog.example.org,")
            assert item["url"].startswith("https://blog.example.org/posts/")
            assert "content_html" in item or "content_text" in item
            assert RFC3339.fullmatch(item["date_published"])
            assert item["_feedwright"]["reading_time"] > 0
            assert item["_feedwright"]["word_count"] > 0


def test_json_feeds_are_utf8_without_escapes(site: Path) -> None:
    data = (site / "feed.json").read_bytes()
    assert "\u2011".encode() in data  # the archive's non-breaking hyphens, as they are
    assert b"\\u" not in data


def test_our_json_feeds_pass_our_validator_at_its_strictest(site: Path) -> None:
    for path in feeds(site):
        report = validate(path.read_bytes(), name=str(path), strict=True, now=NOW,
                          location="https://blog.example.org/feeds/"
                          + path.relative_to(site).as_posix())
        assert report.format == "jsonfeed1"
        assert report.issues == ()


def test_a_real_reader_sees_the_json_feed_as_its_atom_twin(site: Path) -> None:
    reader = make_reader(":memory:", feed_root=str(site))
    pairs = [(p.relative_to(site).parent / "feed.json", p.relative_to(site).parent / "atom.xml")
             for p in feeds(site)]
    for twins in pairs:
        for path in twins:
            reader.add_feed(f"file:{path.as_posix()}")
    reader.update_feeds()

    def seen(path: Path) -> list[tuple[Any, ...]]:
        url = f"file:{path.as_posix()}"
        assert reader.get_feed(url).last_exception is None
        return [(e.id, e.title, e.link, e.published)
                for e in reader.get_entries(feed=url, sort="recent")]

    assert len(pairs) == 9
    for json_path, atom_path in pairs:
        from_json, from_atom = seen(json_path), seen(atom_path)
        assert from_json and from_json == from_atom
        assert reader.get_feed(f"file:{json_path.as_posix()}").version == "json11"
        assert (reader.get_feed(f"file:{json_path.as_posix()}").title
                == reader.get_feed(f"file:{atom_path.as_posix()}").title)


def test_a_rebuild_gives_the_same_bytes(site: Path, tmp_path: Path) -> None:
    shutil.copytree(site.parent, tmp_path / "again")
    shutil.rmtree(tmp_path / "again" / "feeds")
    build(tmp_path / "again" / "config.yaml", now=NOW, cache=False)
    for path in feeds(site):
        assert (tmp_path / "again" / "feeds" / path.relative_to(site)).read_bytes() \
            == path.read_bytes()


ENTRY = Entry(
    id="tag:example.org,2026-03-01:/a/", title="Café ‑ “quotes” & <tags>",
    url="https://example.org/a/", summary="S.",
    published=datetime.fromisoformat("2026-03-01T09:30:00+01:00"),
    updated=datetime.fromisoformat("2026-03-02T10:00:00+00:00"),
    content='<p>x <a href="https://example.org/">y</a></p>',
    authors=(Author("Ann", "ann@example.org", "https://ann.example/"), Author("Bo")),
    tags=("a", "b"), reading_time=3, word_count=600,
)


def test_an_item_carries_every_field() -> None:
    item = json.loads(jsonfeed.fragment(ENTRY))
    assert item == {
        "id": ENTRY.id, "url": ENTRY.url, "title": ENTRY.title, "summary": "S.",
        "content_html": ENTRY.content,
        "date_published": "2026-03-01T09:30:00+01:00",
        "date_modified": "2026-03-02T10:00:00+00:00",
        # JSON Feed authors have no e-mail: it is left out, not misplaced.
        "authors": [{"name": "Ann", "url": "https://ann.example/"}, {"name": "Bo"}],
        "tags": ["a", "b"],
        "_feedwright": {"reading_time": 3, "word_count": 600},
    }


def test_an_item_without_html_has_text() -> None:
    from dataclasses import replace

    item = json.loads(jsonfeed.fragment(replace(ENTRY, content=None)))
    assert item["content_text"] == "S." and "content_html" not in item
    bare = json.loads(jsonfeed.fragment(replace(ENTRY, content=None, summary="")))
    assert bare["content_text"] == ENTRY.title


def test_an_items_skeleton_is_json_with_what_relates_items() -> None:
    cut = jsonfeed.skeleton(jsonfeed.fragment(ENTRY))
    # the nested author's "url" is no item URL: only the item's own keys are kept
    assert json.loads(cut) == {"id": ENTRY.id, "url": ENTRY.url,
                               "date_published": "2026-03-01T09:30:00+01:00",
                               "date_modified": "2026-03-02T10:00:00+00:00"}
