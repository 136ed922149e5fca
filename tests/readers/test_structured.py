"""Structured entries (YAML / JSON / JSON Lines) and resolve(): fields, aliases, errors."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from datetime import timezone
from pathlib import Path

import pytest
from tests.helpers import DATA

from feedwright.config import Config
from feedwright.config import load_config
from feedwright.errors import InputError
from feedwright.model import Author
from feedwright.readers import read_entries
from feedwright.readers import read_file
from feedwright.readers import resolve
from feedwright.readers.raw import RawEntry
from feedwright.readers.structured import dump_yaml
from feedwright.readers.structured import entry_from_mapping

ENTRIES = DATA / "entries"
UTC = UTC
UNKNOWN_TGAS = ("tgas: unknown key (known keys here: author, authors, content, date, draft, "
                "guid, id, published, reading_time, slug, summary, tags, title, updated, url, "
                "word_count)")


@pytest.fixture(scope="module")
def config() -> Config:
    # base_url https://blog.example.org/blog/, UTC, 00:00, /posts/{slug}/
    return load_config(DATA / "config" / "minimal.yaml")


FIRST = dict(
    title="Zero\u2011to\u2011Hero: Vector Search",
    published=datetime(2026, 3, 31, 9, 15, tzinfo=timezone(timedelta(hours=2))),
    updated=datetime(2026, 4, 2, 10, tzinfo=UTC),
    slug="zero-to-hero",
    url=None,
    summary="Vectors \u2014 fast, small ...",
    content="<p>Hello <em>world</em></p>",
    tags=("vector-search", "rust"),
    authors=(Author("martinuke0"),
             Author("Ann Lee", "ann@example.org", "https://ann.example.org/")),
    reading_time=13,
    word_count=2737,
    id="tag:blog.example.org,2026-03-31:/posts/zero-to-hero/",
    draft=False,
)
SECOND = dict(
    title="Second Post", published=date(2026, 3, 30), updated=None, slug=None,
    url="https://elsewhere.example.com/second.html", summary="", content=None, tags=("rag",),
    authors=(Author("Bob"),), reading_time=None, word_count=None, id=None, draft=False,
)


@pytest.mark.parametrize(
    "name, sources",
    [
        ("all-fields.yaml", [":2", ":16"]),
        ("all-fields.json", [": entry 1", ": entry 2"]),
        ("all-fields.jsonl", [":1", ":3"]),
    ],
    ids=["yaml", "json", "jsonl"],
)
def test_all_fields(name: str, sources: list[str]) -> None:
    path = ENTRIES / name
    entries = read_file(path)
    assert [e.source for e in entries] == [f"{path}{s}" for s in sources]
    for entry, expected in zip(entries, (FIRST, SECOND), strict=True):
        got = {k: getattr(entry, k) for k in expected}
        assert got == expected
        assert type(entry.published) is type(expected["published"])
    assert entries[0].published.utcoffset() == timedelta(hours=2)


def test_same_entries_from_every_format() -> None:
    def strip(entries: list[RawEntry]) -> list[tuple]:
        return [(e.title, e.published, e.updated, e.slug, e.url, e.summary, e.content, e.tags,
                 e.authors, e.reading_time, e.word_count, e.id, e.draft) for e in entries]

    yaml_, json_, jsonl = (read_file(ENTRIES / f"all-fields.{s}")
                           for s in ("yaml", "json", "jsonl"))
    assert strip(yaml_) == strip(json_) == strip(jsonl)


def test_resolve_all_fields(config: Config) -> None:
    first, second = resolve(read_file(ENTRIES / "all-fields.yaml"), config)
    assert first.url == "https://blog.example.org/blog/posts/zero-to-hero/"
    assert first.id == "tag:blog.example.org,2026-03-31:/posts/zero-to-hero/"
    assert first.pinned_id is True
    assert first.published == datetime(2026, 3, 31, 7, 15, tzinfo=UTC)
    assert first.last_modified == datetime(2026, 4, 2, 10, tzinfo=UTC)
    assert second.url == "https://elsewhere.example.com/second.html"
    assert second.id == "tag:elsewhere.example.com,2026-03-30:/second.html"
    assert second.pinned_id is False
    assert second.published == datetime(2026, 3, 30, tzinfo=second.published.tzinfo)
    assert second.published.utcoffset() == timedelta(0)
    assert second.authors == (Author("Bob"),)


def test_resolve_defaults_author_and_derives_slug(config: Config) -> None:
    raw = RawEntry(title="Caf\u00e9 \u2014 Zero\u2011to\u2011Hero", published=date(2026, 3, 31),
                   source="m:1")
    [entry] = resolve([raw], config)
    assert entry.url == "https://blog.example.org/blog/posts/cafe-zero-to-hero/"
    assert entry.id == "tag:blog.example.org,2026-03-31:/blog/posts/cafe-zero-to-hero/"
    assert entry.authors == (Author("martinuke0"),)


def test_resolve_refuses_a_title_without_ascii(config: Config) -> None:
    with pytest.raises(InputError) as info:
        resolve([RawEntry(title="\u65e5\u672c", published=date(2026, 3, 31), source="m:4")],
                config)
    assert str(info.value) == ("m:4: cannot make a URL: the title '\u65e5\u672c' has no ASCII "
                               "letters or digits; add a slug or url")


def test_drafts_are_dropped_and_do_not_take_a_second(config: Config) -> None:
    raws = read_file(ENTRIES / "drafts.yaml")
    assert [r.draft for r in raws] == [False, True, False]
    entries = resolve(raws, config)
    assert [e.title for e in entries] == ["Newest", "Oldest"]
    assert [e.published.time() for e in entries] == [time(0, 0, 1), time(0, 0, 0)]


def test_read_entries_reads_every_configured_input(config: Config) -> None:
    [entry] = read_entries(config)
    assert (entry.title, entry.word_count, entry.reading_time) == ("One Post", 400, 2)
    assert entry.url == "https://blog.example.org/blog/posts/one-post/"


# --- errors ---------------------------------------------------------------------

BAD = [  # YAML: the offending key's own line; JSON: the entry's line or number
    ("unknown-key.yaml", ":6", UNKNOWN_TGAS),
    ("unknown-key.jsonl", ":3", UNKNOWN_TGAS),
    ("unknown-key.json", ": entry 2", UNKNOWN_TGAS),
    ("tags-not-a-list.yaml", ":3",
     "tags: expected a list of tag names, got {'rust': True}"),
    ("tags-comma-string.yaml", ":4",
     "tags: expected a list, e.g. [cooking, bread]; 'cooking, bread' is one string, so one tag"),
    ("tags-comma-string.jsonl", ":2",
     "tags: expected a list, e.g. [a, b c]; 'a,b c,' is one string, so one tag"),
    ("negative-word-count.yaml", ":5", "word_count: expected a whole number >= 0, got -5"),
    ("draft-not-bool.yaml", ":3", "draft: expected true or false, got 'no'"),
    ("author-unknown-key.yaml", ":8",
     "authors.url: unknown key (known keys here: email, name, uri)"),
    ("datetime-without-offset.yaml", ":2",
     "published: '2026-03-31T09:15:00' has no UTC offset; add one, e.g. 2026-03-31T09:15:00Z or "
     "2026-03-31T09:15:00+02:00"),
    ("updated-date-only.yaml", ":3",
     "updated: '2026-04-02' has no time of day; expected an RFC 3339 datetime with offset, "
     "e.g. 2026-04-02T10:00:00Z"),
    ("published-impossible.yaml", ":6",
     "published: '2026-02-30' is not a real date or time: day is out of range for month"),
    ("date-impossible.jsonl", ":1",
     "date: '2026-04-02T24:30:00Z' is not a real date or time: hour must be in 0..23"),
    ("updated-before-published-datetime.yaml", ":7",
     "updated: '2026-03-31T09:00:00+02:00' is before published ('2026-03-31T08:00:00Z'); an "
     "entry cannot change before it exists"),
]


@pytest.mark.parametrize("name, where, message", BAD, ids=[b[0] for b in BAD])
def test_bad_entry_names_file_and_line(name: str, where: str, message: str) -> None:
    path = ENTRIES / name
    with pytest.raises(InputError) as info:
        read_file(path)
    assert info.value.message == message
    assert info.value.source == f"{path}{where}"
    assert info.value.exit_code == 2


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": "t", "published": "2026-03-31", "date": "2026-03-31"},
         "give either published or date, not both"),
        ({"title": "t", "date": "2026-03-31", "author": "a", "authors": ["b"]},
         "give either author or authors, not both"),
        ({"title": "t"}, "published (or date) is required"),
        ({"published": "2026-03-31"}, "title is required"),
        ({"title": "  ", "published": "2026-03-31"}, "title: must not be empty"),
        ({"title": 7, "published": "2026-03-31"}, "title: expected text, got int 7"),
        ({"title": "t", "published": 20260331},
         "published: expected a date (YYYY-MM-DD) or RFC 3339 datetime, got 20260331"),
        ({"title": "t", "published": "2026-02-30"},
         "published: '2026-02-30' is not a real date or time: day is out of range for month"),
        ({"title": "t", "date": "2026-03-31T10:00:00Z", "updated": "2026-03-31T09:59:59Z"},
         "updated: '2026-03-31T09:59:59Z' is before date ('2026-03-31T10:00:00Z'); an entry "
         "cannot change before it exists"),
        ({"title": "t", "published": "2026-03-31", "tags": 0},
         "tags: expected a list of tag names, got 0"),
        ({"title": "t", "published": "2026-03-31", "tags": ["ok", ""]},
         "tags: expected a list of tag names, got ['ok', '']"),
        ({"title": "t", "published": "2026-03-31", "tags": "cooking, bread"},
         "tags: expected a list, e.g. [cooking, bread]; 'cooking, bread' is one string, so one "
         "tag"),
        ({"title": "t", "published": "2026-03-31", "word_count": "12"},
         "word_count: expected a whole number >= 0, got '12'"),
        ({"title": "t", "published": "2026-03-31", "reading_time": True},
         "reading_time: expected a whole number >= 0, got True"),
        ({"title": "t", "published": "2026-03-31", "draft": 1},
         "draft: expected true or false, got 1"),
        ({"title": "t", "published": "2026-03-31", "authors": [{"email": "x@y.z"}]},
         "authors.name is required"),
        ({"title": "t", "published": "2026-03-31", "author": {"name": "a", "url": "u"}},
         "author.url: unknown key (known keys here: email, name, uri)"),
        ({"title": "t", "published": "2026-03-31", "authors": [3]},
         "authors: expected a name or {name, email, uri}, got 3"),
        (["title", "t"], "an entry must be a mapping, got list ['title', 't']"),
    ],
    ids=["published-and-date", "author-and-authors", "no-date", "no-title", "blank-title",
         "title-not-text", "date-not-text", "feb-30", "updated-before-date", "tags-zero",
         "tags-empty-name", "tags-comma-string", "word-count-text", "reading-time-bool",
         "draft-int", "author-no-name", "author-unknown-key", "author-number", "not-a-mapping"],
)
def test_entry_from_mapping_refuses(data: object, message: str) -> None:
    with pytest.raises(InputError) as info:
        entry_from_mapping(data, "f.yaml:9")
    assert info.value.message == message
    assert info.value.source == "f.yaml:9"


def test_single_author_and_tag_shorthands() -> None:
    raw = entry_from_mapping({"title": "t", "date": "2026-03-31", "author": "  Ann  ",
                              "tags": "rust"}, "f:1")
    assert raw.authors == (Author("Ann"),)
    assert raw.tags == ("rust",)
    assert raw.published == date(2026, 3, 31)


@pytest.mark.parametrize(
    "text, where, start",
    [
        ("- title: [unclosed\n", ":2", "not valid YAML: "),
        ("title: not a list\n", "", "expected a list of entries at the top level"),
    ],
    ids=["syntax", "top-level-mapping"],
)
def test_bad_yaml_files(tmp_path: Path, text: str, where: str, start: str) -> None:
    path = tmp_path / "e.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        read_file(path)
    assert info.value.source == f"{path}{where}"
    assert info.value.message.startswith(start)


@pytest.mark.parametrize(
    "suffix, text, where, message",
    [
        (".json", '[\n  {"title": "t",\n}\n]', ":3",
         "not valid JSON: Expecting property name enclosed in double quotes"),
        (".jsonl", '{"title": "t", "published": "2026-03-31"}\n{oops\n', ":2",
         "not valid JSON: Expecting property name enclosed in double quotes"),
        (".json", '{"title": "t"}', "", "expected a list of entries at the top level"),
    ],
    ids=["json-syntax", "jsonl-syntax", "json-top-level-object"],
)
def test_bad_json_files(tmp_path: Path, suffix: str, text: str, where: str, message: str) -> None:
    path = tmp_path / f"e{suffix}"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        read_file(path)
    assert info.value.source == f"{path}{where}"
    assert info.value.message == message


def test_empty_yaml_file_has_no_entries(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text("# nothing yet\n")
    assert read_file(path) == []


def test_updated_before_published_is_refused(config: Config) -> None:
    path = ENTRIES / "updated-before-published.yaml"
    with pytest.raises(InputError) as info:
        resolve(read_file(path), config)
    assert info.value.source == f"{path}:1"
    assert info.value.message == (
        "updated (2026-03-30T23:00:00+00:00) is before published (2026-03-31T00:00:00+00:00); "
        "an entry cannot change before it exists")


@pytest.mark.parametrize(
    "first, second, second_where, what",
    [
        ("duplicate-url-a.yaml", "duplicate-url-b.yaml", ":4",
         "URL https://blog.example.org/blog/posts/same-post/"),
        ("duplicate-id-a.yaml", "duplicate-id-b.jsonl", ":1",
         "id tag:blog.example.org,2026-03-31:/pinned/"),
    ],
    ids=["same-url", "same-pinned-id"],
)
def test_duplicate_entry_across_files_names_both_places(
    config: Config, first: str, second: str, second_where: str, what: str
) -> None:
    a, b = ENTRIES / first, ENTRIES / second
    with pytest.raises(InputError) as info:
        resolve(read_file(a) + read_file(b), config)
    assert info.value.source == f"{b}{second_where}"
    assert info.value.message == (
        f"the same entry twice: {what} is also at {a}:1; give one of them another slug, url "
        "or id, or remove the duplicate")
    assert str(a) in str(info.value) and str(b) in str(info.value)


def test_a_draft_duplicate_is_not_a_duplicate(config: Config) -> None:
    a = read_file(ENTRIES / "duplicate-url-a.yaml")
    b = [RawEntry(title="Same Post", published=date(2026, 3, 1), source="d:1", draft=True)]
    assert [e.title for e in resolve(a + b, config)] == ["Same Post"]


def test_dump_yaml_reads_back(tmp_path: Path) -> None:
    raws = read_file(ENTRIES / "all-fields.yaml")
    path = tmp_path / "back.yaml"
    path.write_text(dump_yaml(raws), encoding="utf-8")
    back = read_file(path)
    for before, after in zip(raws, back, strict=True):
        assert before.__dict__ | {"source": ""} == after.__dict__ | {"source": ""}
