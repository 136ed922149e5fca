"""JSON Lines entries with nothing wrong take a shorter way; the rest do not.

``_plain_entry`` makes a line's entry without ``Fields`` and without looking
for characters XML cannot carry, when the line has no escape that could make
one; ``resolve`` then does not look either (``RawEntry.checked``).  Each test
here holds that way to ``entry_from_mapping`` and ``resolve``'s own checks:
the same entries, and every fault still reported as before, at its line.
"""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from feedwright.config import Config
from feedwright.config import load_config
from feedwright.errors import InputError
from feedwright.readers import read_file
from feedwright.readers import resolve
from feedwright.readers.raw import RawEntry
from feedwright.readers.structured import KEYS
from feedwright.readers.structured import _plain_entry
from feedwright.readers.structured import _read_jsonl_stream
from feedwright.readers.structured import _read_jsonl_whole
from feedwright.readers.structured import entry_from_mapping

NOW = datetime(2027, 1, 1, tzinfo=UTC)


def fields_of(raw: RawEntry) -> list[tuple[str, object]]:
    """Every field but ``checked``, in order (what the entry is)."""
    return [(k, v) for k, v in vars(raw).items() if k != "checked"]


def outcome(data: Any) -> tuple[str, object]:
    try:
        return "entry", fields_of(entry_from_mapping(data, "f:1"))
    except InputError as exc:
        return "error", (exc.message, exc.source)


TEXT = st.sampled_from(["t", " t ", "", " ", "a, b", "Ann", "2026-03-31", "x\u00e9"])
DATES = st.sampled_from([
    "2026-03-31", "2026-03-31T10:00:00Z", "2026-03-31T09:00:00+02:00", "2026-02-30",
    "2026-03-31T10:00:00", "2026-04-01T10:00:00z", " 2026-03-31", "soon",
])
VALUE = st.one_of(
    st.none(), TEXT, DATES, st.booleans(), st.integers(-2, 3), st.floats(0, 2),
    st.lists(st.one_of(TEXT, st.integers(0, 1), st.none()), max_size=3),
    st.dictionaries(st.sampled_from(["name", "email", "uri", "nick"]), TEXT, max_size=2),
)
MAPPING = st.dictionaries(
    st.sampled_from([*KEYS, "tgas"]), st.one_of(VALUE, DATES), max_size=8
).map(lambda d: {"title": "t", "published": "2026-03-31", **d})


@settings(max_examples=3000, deadline=None)
@given(data=MAPPING)
def test_plain_entry_is_entry_from_mapping(data: dict[str, Any]) -> None:
    plain = _plain_entry(data, "f:1")
    expected = outcome(data)
    if plain is None:  # declined: entry_from_mapping decides
        return
    assert expected == ("entry", fields_of(plain))
    assert plain == entry_from_mapping(data, "f:1")
    assert plain.checked


def test_common_entries_take_the_plain_way() -> None:
    data = {"title": "T", "published": "2026-03-31T10:00:00Z", "slug": "t", "summary": "s",
            "content": "<p>x</p>", "tags": ["a", " b", "a"], "authors": ["Ann"],
            "reading_time": 1, "word_count": 200, "updated": "2026-04-01T00:00:00Z",
            "draft": False, "url": None, "id": "urn:x", "guid": "g"}
    plain = _plain_entry(data, "f:1")
    assert plain is not None
    assert fields_of(plain) == fields_of(entry_from_mapping(data, "f:1"))
    assert _plain_entry({"title": "T", "date": "2026-03-31", "author": " Bo "}, "f:2") == (
        entry_from_mapping({"title": "T", "date": "2026-03-31", "author": " Bo "}, "f:2"))


GOOD = '{"title": "Post %d", "published": "2026-03-31T10:00:00Z", "content": "<p>a\\nb</p>"}\n'


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"title": "a\\u0000b", "date": "2026-03-31"}',
         "title: holds the character U+0000 (NUL) at position 2, which a feed (XML) cannot "
         "carry; remove it"),
        ('{"title": "t", "date": "2026-03-31", "content": "<p>\\b</p>"}',
         "content: holds the character U+0008 at position 4"),
        ('{"title": "t", "date": "2026-03-31", "summary": "\\f"}',
         "summary: holds the character U+000C at position 1"),
        ('{"title": "t", "date": "2026-03-31", "author": "A\\ud800"}',
         "author: holds the character U+D800 at position 2"),
        ('{"title": "t", "date": "2026-03-31", "slug": "x\uffff"}',
         "slug: holds the character U+FFFF at position 2"),
    ],
    ids=["nul-escape", "backspace-escape", "formfeed-escape", "lone-surrogate", "raw-uffff"],
)
def test_a_character_xml_cannot_carry_deep_in_a_file(
    tmp_path: Path, line: str, message: str
) -> None:
    """Line 1,234 of a file whose other lines all take the plain way."""
    path = tmp_path / "e.jsonl"
    lines = [GOOD % n for n in range(1, 1234)] + [line + "\n"] + [GOOD % 0]
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_file(path)
    assert info.value.message.startswith(message)
    assert info.value.source == f"{path}:1234"
    with pytest.raises(InputError) as whole:
        _read_jsonl_whole(path)
    assert (whole.value.message, whole.value.source) == (info.value.message, info.value.source)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    (tmp_path / "e.jsonl").write_text("", encoding="utf-8")
    path = tmp_path / "config.yaml"
    path.write_text("site:\n  title: T\n  base_url: https://example.org/\n  author: A\n"
                    "inputs: [e.jsonl]\n", encoding="utf-8")
    return load_config(path)


def test_which_entries_are_checked(tmp_path: Path, config: Config) -> None:
    """Checked: no risky escape; a harmless one (\\u00e9) leaves the check to resolve."""
    path = tmp_path / "e.jsonl"
    path.write_text(
        GOOD % 1
        + '{"title": "Caf\\u00e9", "date": "2026-03-31", "content": "\\\\b"}\n'
        + '{"title": "Caf\u00e9", "date": "2026-03-30", "slug": "c2", "tags": ["x"]}\n'
        + '{"title": "Bad", "date": "2026-03-29", "tags": ["x", "y"]}\n',
        encoding="utf-8",
    )
    for read in (_read_jsonl_stream, _read_jsonl_whole):
        raws = read(path)
        assert [r.checked for r in raws] == [True, False, True, True]
        assert [r.title for r in raws] == ["Post 1", "Caf\u00e9", "Caf\u00e9", "Bad"]
        assert raws[1].content == "\\b"
    assert [e.title for e in resolve(raws, config, now=NOW)] == [
        "Post 1", "Caf\u00e9", "Caf\u00e9", "Bad"]


def test_resolve_still_checks_unchecked_entries(config: Config) -> None:
    raw = RawEntry(title="t", published=datetime(2026, 3, 31, tzinfo=UTC), source="m.md:3",
                   content="<p>\x07</p>")
    with pytest.raises(InputError) as info:
        resolve([raw], config, now=NOW)
    assert info.value.message.startswith("content: holds the character U+0007 at position 4")
    assert info.value.source == "m.md:3"


def test_a_tag_folder_too_long_is_named_at_each_entry(config: Config) -> None:
    """The verdict on a tag's folder is remembered, and still raised at the first entry using it."""
    day = datetime(2026, 3, 31, tzinfo=UTC)
    long_tag = "t" * 300
    raws = [RawEntry(title=f"p{n}", published=day.replace(hour=n), source=f"e:{n}",
                     tags=("ok",) if n < 3 else ("ok", long_tag)) for n in range(1, 5)]
    with pytest.raises(InputError) as info:
        resolve(raws, config, now=NOW)
    assert info.value.source == "e:3"
    assert info.value.message.startswith("tags: the folder for the tag ")


def test_jsonl_benchmark_shape_round_trips(tmp_path: Path) -> None:
    """Entries as ``benchmarks/generate.py`` writes them are all read the plain way."""
    entry = {"title": "Scinosip Ammia", "published": "2026-01-01T00:00:00Z", "slug": "s-0",
             "summary": "Amlama ...", "content": '<p>A <a href="https://x.org/a">b</a></p>\n<p>c</p>',
             "tags": ["nimex-000", "imbodo-001"], "authors": ["Ken Bench"],
             "reading_time": 3, "word_count": 600}
    path = tmp_path / "e.jsonl"
    path.write_text(json.dumps(entry) + "\n", encoding="utf-8")
    (raw,) = read_file(path)
    assert raw.checked
    assert fields_of(raw) == fields_of(entry_from_mapping(entry, f"{path}:1"))
