"""JSON Feed in depth: the position locator, the schema layer, relations, the CLI."""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from feedwright.cli import cli
from feedwright.validator import validate
from feedwright.validator.json_position import JsonLocator
from feedwright.validator.json_position import Path as JsonPath
from feedwright.validator.json_position import show_path
from feedwright.validator.json_schema import MAX_LISTED
from feedwright.validator.json_schema import compiled
from feedwright.validator.json_schema import load_json_schema

NOW = datetime(2026, 1, 1, tzinfo=UTC)
VALID = Path(__file__).resolve().parent.parent / "data" / "validate" / "valid"
V11 = "https://jsonfeed.org/version/1.1"


def issues(data: bytes | str, **kw: Any) -> list[tuple[str, int | None, int | None]]:
    raw = data.encode() if isinstance(data, str) else data
    report = validate(raw, name="t.json", now=NOW, **kw)
    return [(i.code, i.line, i.column) for i in report.issues]


def feed(**fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"version": V11, "title": "t",
                           "feed_url": "https://example.org/feed.json", "items": []}
    out.update(fields)
    return out


# --- the locator ----------------------------------------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=25,
)


def _paths(value: Any, at: JsonPath = ()) -> list[tuple[JsonPath, Any]]:
    out = [(at, value)]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*at, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*at, i))
    return out


@settings(max_examples=300, deadline=None)
@given(value=_json_values, indent=st.sampled_from([None, 0, 1, 4, "\t"]),
       ascii_only=st.booleans(), compact=st.booleans())
def test_locator_finds_every_value_however_the_json_is_written(
    value: Any, indent: int | str | None, ascii_only: bool, compact: bool
) -> None:
    separators = (",", ":") if compact else None
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only, separators=separators)
    locator = JsonLocator(text)
    decoder = json.JSONDecoder()
    for path, expected in _paths(value):
        offset = locator.offset(path)
        assert decoder.raw_decode(text, offset)[0] == expected, show_path(path)
        line, column = locator.where(path)
        assert line == text.count("\n", 0, offset) + 1
        assert column == offset - (text.rfind("\n", 0, offset) + 1) + 1


def test_locator_answers_for_the_last_of_repeated_keys_as_json_loads_does() -> None:
    text = '{"a": 1,\n "a": [true, "x"]}'
    locator = JsonLocator(text)
    assert json.loads(text)["a"] == [True, "x"]
    assert locator.where(("a",)) == (2, 7)
    assert locator.where(("a", 1)) == (2, 14)


def test_a_path_that_leads_nowhere_gives_the_deepest_value_it_reaches() -> None:
    text = '{"items": [\n  {"id": "1"}\n]}'
    locator = JsonLocator(text)
    assert locator.where(("items", 0, "url")) == (2, 3)
    assert locator.where(("items", 5)) == (1, 11)
    assert locator.where(("items", "x")) == (1, 11)


def test_keys_with_escapes_are_compared_decoded() -> None:
    text = '{"caf\\u00e9": {"a\\"b": 7}}'
    assert JsonLocator(text).where(("café", 'a"b')) == (1, 24)


def test_columns_count_characters_not_bytes() -> None:
    text = '{"title": "é€𝄞", "x": 1}'
    assert JsonLocator(text).where(("x",)) == (1, 23)


@pytest.mark.parametrize(("path", "shown"), [
    ((), "the top level"), (("items", 3, "id"), "items[3].id"),
    (("_ext", "a.b"), '_ext["a.b"]'), (("é",), '["é"]'),
])
def test_show_path(path: JsonPath, shown: str) -> None:
    assert show_path(path) == shown


# --- the schema layer ---------------------------------------------------------------


def test_schema_ships_as_package_data_with_its_origin() -> None:
    folder = resources.files("feedwright.validator").joinpath("schemas")
    assert folder.joinpath("jsonfeed.schema.json").is_file()
    readme = folder.joinpath("README.md").read_text(encoding="utf-8")
    assert "jsonfeed.org/version/1.1" in readme and "fastjsonschema" in readme
    assert load_json_schema()["$schema"].startswith("http://json-schema.org/draft-07")


def test_schema_compiles_once_per_process() -> None:
    assert compiled(every_error=False) is compiled(every_error=False)
    assert compiled(every_error=True) is not compiled(every_error=False)


def test_every_schema_fault_is_reported_at_its_value() -> None:
    text = (
        '{"version": "https://jsonfeed.org/version/1.1",\n'
        ' "feed_url": "https://example.org/feed.json",\n'
        ' "items": [\n'
        '  {"id": "a", "content_text": "x", "date_updated": "2025-01-01T00:00:00Z"},\n'
        '  {"id": "b", "content_text": "y", "tags": ["ok", 3], "authors": [{}]},\n'
        '  {"id": "c", "content_text": "z", "attachments": [{"url": "https://e.org/a"}]}\n'
        ' ],\n'
        ' "__x": 1, "_e": {"a.b": 1}, "expired": "no"}'
    )
    report = validate(text.encode(), name="t.json", now=NOW)
    found = [(i.line, i.column, i.message.split(": ", 1)[1]) for i in report.issues]
    assert {i.code for i in report.issues} == {"jsonfeed-schema"}
    extension = 'extension names start with "_" and a letter and hold no "."'
    assert found == [
        (1, 1, 'the top level: "title" is missing'),
        (4, 52, 'items[0].date_updated: unknown key "date_updated": not a key JSON Feed '
                "defines here"),
        (5, 51, "items[1].tags[1]: expected a string, found a number"),
        (5, 67, "items[1].authors[0]: an author names at least one of name, url and avatar"),
        (6, 52, 'items[2].attachments[0]: "mime_type" is missing'),
        (8, 9, f'__x: unknown key "__x": {extension}'),
        (8, 26, f'_e["a.b"]: key "a.b" holds a "." ({extension})'),
        (8, 41, "expired: expected a boolean, found a string"),
    ]


def test_listing_every_error_adds_none_that_the_first_check_would_not_find() -> None:
    # fastjsonschema's collecting mode once leaked the errors of rejected anyOf
    # branches (schemas/README.md pins a version without that fault): an
    # author with a url only is fine, and so is an extension whose keys hold no dot.
    item = {"id": "a", "content_text": "x", "tags": [1], "_e": {"a": {"b.c": 1}},
            "authors": [{"url": "https://e.org/"}, {"avatar": "https://e.org/a.png"}]}
    found = issues(json.dumps(feed(items=[item])))
    assert [code for code, _, _ in found] == ["jsonfeed-schema"]


def test_a_part_with_huge_arrays_is_reported_at_its_first_fault() -> None:
    # Listing 300,000 wrong tags would cost seconds and hundreds of MB.
    item = {"id": "a", "content_text": "x", "tags": ["ok", *[1] * 300_000]}
    text = json.dumps(feed(items=[item]), indent=1)
    assert issues(text) == [("jsonfeed-schema", 11, 5)]  # tags[1]


def test_past_the_limit_one_issue_counts_the_items_left() -> None:
    items = [{"id": str(i), "content_text": "x", "tags": [i]} for i in range(MAX_LISTED + 50)]
    text = json.dumps(feed(items=items), indent=1)
    report = validate(text.encode(), name="t.json", now=NOW)
    assert [i.code for i in report.issues] == ["jsonfeed-schema"] * (MAX_LISTED + 1)
    last = report.issues[-1]
    assert f"items[{MAX_LISTED}] and 49 more items do not match" in last.message
    assert last.line is not None and last.line > report.issues[-2].line  # type: ignore[operator]


def test_underscore_extensions_are_welcome_anywhere_the_spec_allows() -> None:
    item = {"id": "a", "content_text": "x", "_feedwright": {"reading_time": 13,
                                                            "word_count": 2681},
            "authors": [{"name": "n", "_x": 1}],
            "attachments": [{"url": "https://e.org/a", "mime_type": "a/b", "_y": [1]}]}
    data = feed(items=[item], hubs=[{"type": "WebSub", "url": "https://h.org/", "_z": 1}],
                _feedwright={"about": "https://e.org/"})
    assert issues(json.dumps(data), strict=True) == []


def test_a_rule_error_at_a_value_hides_the_schema_issue_there() -> None:
    text = json.dumps(feed(items=[{"id": None, "content_text": "x"}]))
    assert [code for code, _, _ in issues(text)] == ["jsonfeed-missing-item-id"]


def test_a_rule_warning_never_hides_a_schema_error() -> None:
    # 1.0's author in a 1.1 feed is a warning; as a string it is also a schema error.
    text = json.dumps(feed(author="Jane"))
    found = issues(text)
    assert [code for code, _, _ in found] == ["jsonfeed-deprecated-author", "jsonfeed-schema"]
    assert found[0][1:] == found[1][1:]


def test_minified_feeds_place_each_issue_by_column() -> None:
    items = [{"id": "a", "url": "/a", "content_text": "x"},
             {"id": "a", "url": "https://e.org/b", "content_text": "y"}]
    text = json.dumps(feed(items=items), separators=(",", ":"))
    found = issues(text)
    assert {line for _, line, _ in found} == {1}
    assert [(code, text[col - 1 : col + 3]) for code, _, col in found] == [
        ("jsonfeed-invalid-url", '"/a"'), ("jsonfeed-duplicate-item-id", '"a",')]


# --- relations and the build gate's use ---------------------------------------------


def test_relations_only_runs_the_relation_rules_alone() -> None:
    items = [{"id": "a", "date_published": "2025-01-01T00:00:00Z"},
             {"id": "b", "date_published": "2025-02-01T00:00:00Z", "date_updated": "x"},
             {"id": "a", "date_published": "2024-01-01T00:00:00Z"}]
    text = json.dumps({"version": V11, "items": items}, indent=1)
    found = issues(text, relations_only=True, strict=True)
    assert sorted(code for code, _, _ in found) == ["entries-not-newest-first",
                                                    "jsonfeed-duplicate-item-id"]


@pytest.mark.parametrize("path", sorted(VALID.glob("*.json")), ids=lambda p: p.name)
def test_valid_feeds_pass_the_gate_in_every_mode(path: Path) -> None:
    data = path.read_bytes()
    for relations_only in (False, True):
        report = validate(data, name=path.name, now=NOW, strict=True,
                          relations_only=relations_only, location=None)
        assert (report.format, report.issues) == ("jsonfeed1", ())


def test_a_number_and_its_digits_are_one_id() -> None:
    items = [{"id": "7", "content_text": "x"}, {"id": 7, "content_text": "y"},
             {"id": 7.5, "content_text": "z"}]
    found = issues(json.dumps(feed(items=items)))
    assert ("jsonfeed-duplicate-item-id", 1) in [(code, line) for code, line, _ in found]
    assert [code for code, _, _ in found].count("jsonfeed-duplicate-item-id") == 1


# --- rules meet any JSON ------------------------------------------------------------

_KEYS = ["version", "title", "items", "id", "url", "content_html", "content_text",
         "date_published", "date_modified", "author", "authors", "attachments", "hubs",
         "feed_url", "home_page_url", "tags", "name", "avatar", "mime_type", "_x", "x.y"]
_LEAVES = st.sampled_from([None, True, 0, -1, 2.5, "", " ", "/rel", "https://e.org/a b",
                           "2025-06-10T04:00:00Z", "2025-06-10T04:00:00", "1970-01-01T00:00:00Z",
                           "9999-12-31T23:59:59-23:59", "\ud800", V11,
                           "https://jsonfeed.org/version/1"])
_feedish = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_KEYS), inner,
                                                                  max_size=5),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(body=st.dictionaries(st.sampled_from(_KEYS), _feedish, max_size=6),
       version=st.sampled_from([V11, "https://jsonfeed.org/version/1",
                                "https://jsonfeed.org/version/9"]),
       strict=st.booleans(), relations_only=st.booleans())
def test_rules_never_raise_on_odd_json_feeds(body: dict[str, Any], version: str,
                                             strict: bool, relations_only: bool) -> None:
    body["version"] = version
    text = json.dumps(body, indent=1)
    report = validate(text.encode("utf-8", "surrogatepass"), name="t",
                      now=NOW, strict=strict, relations_only=relations_only)
    assert report.format == "jsonfeed1"
    json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8")  # printable
    lines = text.split("\n")
    for issue in report.issues:  # every place is the first character of a value
        assert issue.line is not None and issue.column is not None, issue
        assert lines[issue.line - 1][issue.column - 1] in '{["-0123456789tfn', issue


# --- the command line on hand-broken feeds -----------------------------------------

_OPEN = '{"version": "' + V11 + '", "title": "t", '
_HEAD = _OPEN + '"feed_url": "https://e.org/f.json",\n'
BROKEN = {
    "missing-id.json": (_HEAD + ' "items": [\n  {"content_text": "x"}\n ]}',
                        [("jsonfeed-missing-item-id", 3, 3)]),
    "duplicate-id.json": (_HEAD + ' "items": [{"id": "a", "content_text": "x"},\n'
                          '           {"id": "a", "content_text": "y"}]}',
                          [("jsonfeed-duplicate-item-id", 3, 19)]),
    "relative-url.json": (_OPEN + '"feed_url": "/feed.json",\n "items": []}',
                          [("jsonfeed-invalid-url", 1, 75)]),
    "bad-date.json": (_HEAD + ' "items": [{"id": "a", "content_text": "x",\n'
                      '   "date_published": "June 10, 2025"}]}',
                      [("jsonfeed-invalid-date", 3, 22)]),
    "author-1-0.json": (_HEAD + ' "author": {"name": "Jane"}, "items": []}',
                        [("jsonfeed-deprecated-author", 2, 12)]),
    "no-content.json": (_HEAD + ' "items": [{"id": "a", "summary": "x"}]}',
                        [("jsonfeed-item-missing-content", 2, 12)]),
    "not-json.json": ('{"version": "' + V11 + '",\n "title": \'t\'}',
                      [("json-not-well-formed", 2, 11)]),
    "deep.json": ('{"version": "' + V11 + '", "items": ' + "[" * 100_000 + "]" * 100_000 + "}",
                  [("json-too-large", 1, 313)]),
}


def test_validate_on_hand_broken_json_feeds_gives_codes_at_places(
    runner: CliRunner, tmp_path: Path
) -> None:
    for name, (text, _) in BROKEN.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["validate", "--format", "json", "-j", "1",
                                 *(str(tmp_path / n) for n in BROKEN)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    reports = json.loads(result.stdout)
    for (name, (_, expected)), report in zip(BROKEN.items(), reports, strict=True):
        got = [(i["code"], i["line"], i["column"]) for i in report["issues"]
               if i["severity"] == "error" or i["code"] == "jsonfeed-deprecated-author"]
        assert got == expected, name
        assert report["format"] == "jsonfeed1"


def test_validate_on_a_60_mb_string_refuses_or_checks_it(runner: CliRunner,
                                                         tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_bytes(b'{"version": "' + V11.encode() + b'", "title": "t",\n"feed_url": "x",\n'
                     b'"items": [{"id": "a", "content_html": "' + b"x" * 60_000_000 + b'"}]}')
    capped = runner.invoke(cli, ["validate", "--format", "json", "-j", "1", str(path)])
    assert capped.exit_code == 1
    [report] = json.loads(capped.stdout)
    assert [i["code"] for i in report["issues"]] == ["input-unreadable"]
    raised = runner.invoke(cli, ["validate", "--format", "json", "-j", "1",
                                 "--max-bytes", "100000000", str(path)])
    [report] = json.loads(raised.stdout)
    assert [(i["code"], i["line"], i["column"]) for i in report["issues"]] == [
        ("feed-too-large-for-readers", None, None), ("jsonfeed-invalid-url", 2, 13)]


def test_a_value_with_line_separators_stays_on_its_issue_line() -> None:
    from feedwright.validator.report import to_text

    feed = {"version": "https://jsonfeed.org/version/\u20281.1", "title": "T",
            "feed_url": "not\u2028a\u0085url", "items": []}
    report = validate(json.dumps(feed, ensure_ascii=False).encode(), name="sep.json", now=NOW)
    assert report.issues
    lines = to_text([report]).splitlines()
    assert len(lines) == len(report.issues) + 2  # one line per issue, the verdict, the total
    assert not any(c in issue.message for issue in report.issues for c in "\u2028\x85")
