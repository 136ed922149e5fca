"""The readers' fast paths give what the general paths give.

JSON Lines are streamed line by line and fall back to the whole-file reading
on anything unusual; resolve() splits the site's base URL once for tag: ids;
entries are built without the frozen dataclasses' per-field ``__init__``.
Each is checked against the general path it stands in for.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from tests.helpers import DATA

from feedwright.errors import InputError
from feedwright.mapping import bad_character
from feedwright.model import Author
from feedwright.model import Entry
from feedwright.model import tag_uri
from feedwright.readers import _TagUris
from feedwright.readers import read_file
from feedwright.readers.raw import RawEntry
from feedwright.readers.raw import frozen_builder
from feedwright.readers.structured import _read_jsonl_stream
from feedwright.readers.structured import _read_jsonl_whole
from feedwright.readers.structured import entry_from_mapping

FILE_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def same_objects(got: list[object], expected: list[object]) -> None:
    assert got == expected
    assert [repr(x) for x in got] == [repr(x) for x in expected]
    assert [list(vars(x).items()) for x in got] == [list(vars(x).items()) for x in expected]


def outcome(read: object, path: Path) -> tuple[str, object]:
    assert callable(read)
    try:
        return "entries", read(path)
    except InputError as exc:
        return "error", (exc.message, exc.source)


# --- JSON Lines: stream vs whole file ----------------------------------------------

ENTRY = st.fixed_dictionaries(
    {
        "title": st.text(min_size=1, max_size=12).filter(str.strip),
        "published": st.sampled_from(
            ["2026-03-31", "2026-03-31T10:00:00Z", "2026-03-31T10:00:00+02:00", "2026-02-30"]
        ),
    },
    optional={
        "tags": st.lists(st.text(max_size=6), max_size=3),
        "summary": st.text(max_size=12),
        "authors": st.lists(st.sampled_from(["Ann", " Bob ", {"name": "Cy"}, 3]), max_size=2),
        "tgas": st.just(["typo"]),
    },
)
LINE = st.one_of(
    st.builds(lambda e, ascii_: json.dumps(e, ensure_ascii=ascii_), ENTRY, st.booleans()),
    st.sampled_from(
        ['{"title": "a\u2028b", "date": "2026-03-31"}', '{"title": "a\x85b", "date": "2026-03-31"}',
         '{"title": "t", "date": "2026-03-31"} {}', '{"title":\n"t", "date": "2026-03-31"}',
         "[1]", '"x"', "{oops", "\ufeff{}", "\xa0{}", ""]
    ),
)
MARGIN = st.sampled_from(["", " ", "\t", " \t", "\x0c", "\x1e", "\xa0"])
BREAK = st.sampled_from(["\n", "\n", "\r\n", "\r", "\n\n", "\n \t\n", "\x0b\n", "\u2029", "\x85"])


@FILE_SETTINGS
@given(
    lines=st.lists(st.tuples(MARGIN, LINE, MARGIN, BREAK), max_size=6),
    last_break=st.booleans(),
    tail=st.sampled_from([b"", b"", b"\xff", b"\xc3"]),
)
def test_jsonl_stream_gives_the_whole_file_reading(
    tmp_path: Path, lines: list[tuple[str, str, str, str]], last_break: bool, tail: bytes
) -> None:
    text = "".join(a + b + c + d for a, b, c, d in lines)
    if lines and not last_break:
        text = text[: -len(lines[-1][3])]
    path = tmp_path / "e.jsonl"
    path.write_bytes(text.encode("utf-8") + tail)
    whole = outcome(_read_jsonl_whole, path)
    assert outcome(read_file, path) == whole
    try:
        streamed = _read_jsonl_stream(path)
    except Exception:
        return  # read_jsonl reads the file whole, as asserted above
    assert whole[0] == "entries"
    same_objects(streamed, whole[1])  # type: ignore[arg-type]


@FILE_SETTINGS
@given(
    entries=st.lists(
        st.fixed_dictionaries({
            # Characters a feed cannot carry are refused (tests/test_hostile_inputs.py).
            "title": st.text(min_size=1, max_size=12).filter(
                lambda t: t.strip() and bad_character(t) is None),
            "published": st.sampled_from(["2026-03-31", "2026-03-31T10:00:00Z"]),
        }),
        min_size=1, max_size=5,
    ),
    newline=st.sampled_from(["\n", "\r\n"]),
    margin=st.sampled_from(["", " ", "\t "]),
)
def test_plain_files_are_streamed(
    tmp_path: Path, entries: list[dict[str, str]], newline: str, margin: str
) -> None:
    # json.dumps escapes U+0085, U+2028, U+2029: every line is plain
    text = "".join(margin + json.dumps(e) + margin + newline for e in entries) + newline
    path = tmp_path / "e.jsonl"
    path.write_bytes(text.encode("utf-8"))
    streamed = _read_jsonl_stream(path)
    same_objects(streamed, _read_jsonl_whole(path))
    assert [r.source for r in streamed] == [f"{path}:{n}" for n in range(1, len(entries) + 1)]


def test_bundled_jsonl_is_streamed() -> None:
    path = DATA / "entries" / "all-fields.jsonl"
    same_objects(_read_jsonl_stream(path), _read_jsonl_whole(path))


@pytest.mark.parametrize(
    "data, where, message",
    [
        # the whole file is decoded before any entry is read
        (b'{"title": "t", "tgas": 1}\n{"title": "t", "date": "2026-03-31"}\n\xff\n', "",
         "not UTF-8 text: invalid start byte at byte 63"),
        # lines are read in order: the first bad line is the one reported
        (b'{"title": "t", "date": "2026-03-31"}\n{"title": "t", "tgas": 1}\n{oops\n', ":2",
         "tgas: unknown key (known keys here: author, authors, content, date, draft, guid, id, "
         "published, reading_time, slug, summary, tags, title, updated, url, word_count)"),
        (b'{"title": "t", "date": "2026-03-31"}\r\n\r\n{"title": "t"}\r\n', ":3",
         "published (or date) is required"),
        # splitlines() ends a line at U+2028 too
        ('{"title": "a\u2028b", "date": "2026-03-31"}\n'.encode(), ":1",
         "not valid JSON: Unterminated string starting at"),
    ],
    ids=["utf8-before-entries", "first-bad-line", "crlf-blank-line", "u2028"],
)
def test_jsonl_errors(tmp_path: Path, data: bytes, where: str, message: str) -> None:
    path = tmp_path / "e.jsonl"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_file(path)
    assert info.value.message.startswith(message)
    assert info.value.source == f"{path}{where}"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_jsonl_from_a_pipe_is_read_once(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    os.mkfifo(path)
    text = '{"title": "t", "date": "2026-03-31"}\n{"title": "u", "tgas": 1}\n'
    writer = threading.Thread(target=path.write_text, args=(text,), daemon=True)
    writer.start()
    with pytest.raises(InputError) as info:  # not re-read (nothing left): the real error
        read_file(path)
    writer.join(5)
    assert info.value.source == f"{path}:2"
    assert info.value.message.startswith("tgas: unknown key")


# --- entry_from_mapping: which problem is reported first ---------------------------------

@pytest.mark.parametrize(
    "data, message",
    [
        ({"tgas": 1, "title": 7, "published": 3}, "tgas: unknown key"),
        ({"title": 7, "published": 3, "tags": 0}, "published: expected a date"),
        ({"title": 7, "published": "2026-03-31", "updated": "2026-03-31", "tags": 0},
         "updated: '2026-03-31' has no time of day; expected an RFC 3339 datetime"),
        ({"title": 7, "date": "2026-03-31", "author": [" ", 3], "tags": 0},
         "author: expected a name or {name, email, uri}, got ' '"),
        ({"title": 7, "date": "2026-03-31", "tags": "  ", "draft": 1},
         "tags: expected a list of tag names, got ['  ']"),
        ({"title": 7, "date": "2026-03-31", "draft": "no", "word_count": -1},
         "draft: expected true or false, got 'no'"),
        ({"title": " ", "date": "2026-03-31", "summary": 1}, "title: must not be empty"),
        ({"title": "t", "date": "2026-03-31", "summary": 1, "slug": 2},
         "summary: expected text, got int 1"),
        ({"title": "t", "date": "2026-03-31", "content": 1, "reading_time": -1},
         "content: expected text, got int 1"),
    ],
)
def test_first_problem_reported(data: dict[str, object], message: str) -> None:
    with pytest.raises(InputError) as info:
        entry_from_mapping(data, "f:1")
    assert info.value.message.startswith(message)


def test_tags_and_authors_are_cleaned() -> None:
    raw = entry_from_mapping(
        {"title": "t", "date": "2026-03-31", "tags": [" a", "b ", "a", "c"],
         "authors": [" Ann ", {"name": " Bo ", "email": "b@x.org"}]},
        "f:1",
    )
    assert raw.tags == ("a", "b", "c")
    assert raw.authors == (Author("Ann"), Author("Bo", "b@x.org"))
    assert raw.published == date(2026, 3, 31)


# --- tag: ids: the base URL split once vs urlsplit of every URL -----------------------------

BASES = st.sampled_from(
    ["https://blog.example.org/", "https://blog.example.org", "https://Blog.Example.org/blog/",
     "http://user:pw@host.example:8080/a/b//", "https://[::1]/x/", "https://[::1/x/",
     "https://h.example/a?q=1", "https://h.example/#top", "https:///nohost/", "mailto:a@b",
     "relative/path/", "", " https://h.example/", "https://h\t.example/", "https://h.example/%7E/"]
)
TAILS = st.text(st.sampled_from(list("ab/-_.~%?#\t\r\n :@[]") + ["\u00e9"]), max_size=12)


@settings(max_examples=2000, deadline=None)
@given(base=BASES, tail=TAILS, prefixed=st.booleans(), day=st.dates())
def test_tag_uris_match_tag_uri(base: str, tail: str, prefixed: bool, day: date) -> None:
    make = _TagUris(base)
    url = (base.rstrip("/") + "/" if prefixed else "") + tail
    try:
        expected = tag_uri(url, day)
    except ValueError as exc:
        with pytest.raises(ValueError) as info:
            make(url, day)
        assert str(info.value) == str(exc)
        return
    assert make(url, day) == expected


def test_tag_uris_take_the_fast_path_for_permalinks() -> None:
    make = _TagUris("https://Blog.example.org/blog")
    assert make.prefix == "https://Blog.example.org/blog/"
    assert (make.host, make.path) == ("blog.example.org", "/blog/")
    assert make("https://Blog.example.org/blog/posts/x/", date(2026, 3, 31)) == (
        "tag:blog.example.org,2026-03-31:/blog/posts/x/")


# --- frozen_builder -------------------------------------------------------------------

RAW = dict(title="t", published=date(2026, 3, 31), source="f:1", summary="s", updated=None,
           slug="x", url=None, id=None, content=None, tags=("a",), authors=(Author("A"),),
           reading_time=2, word_count=None, draft=False)


def test_frozen_builder_makes_what_init_makes() -> None:
    built = frozen_builder(RawEntry)(**RAW)
    same_objects([built], [RawEntry(**RAW)])  # type: ignore[arg-type]
    assert hash(built) == hash(RawEntry(**RAW))  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.title = "u"  # type: ignore[misc]
    entry = dict(id="i", title="t", url="u", summary="", published=date(2026, 3, 31),
                 updated=None, content=None, authors=(), tags=(), reading_time=None,
                 word_count=None, pinned_id=False, source="f:1")
    same_objects([frozen_builder(Entry)(**entry)], [Entry(**entry)])  # type: ignore[arg-type]


def test_frozen_builder_falls_back_to_init() -> None:
    build = frozen_builder(RawEntry)
    reordered = dict(reversed(list(RAW.items())))
    same_objects([build(**reordered)], [RawEntry(**RAW)])  # type: ignore[arg-type]
    short = {k: v for k, v in RAW.items() if k != "draft"}
    same_objects([build(**short)], [RawEntry(**RAW)])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        build(**RAW, extra=1)

    @dataclasses.dataclass(frozen=True)
    class Checked:
        name: str

        def __post_init__(self) -> None:
            if not self.name:
                raise ValueError("empty")

    assert frozen_builder(Checked) is Checked

    @dataclasses.dataclass
    class Mutable:
        name: str

    assert frozen_builder(Mutable) is Mutable
