"""mapping: one checker for config.yaml and entries files, so both word a mistake the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from feedwright.cli import cli
from feedwright.config import load_config
from feedwright.errors import ConfigError
from feedwright.errors import FeedwrightError
from feedwright.errors import InputError
from feedwright.located import load_yaml
from feedwright.mapping import Fields
from feedwright.mapping import bad_character
from feedwright.mapping import parse_author
from feedwright.model import Author
from feedwright.readers import read_file

# --- the same author, in config.yaml and in an entries file --------------------------

BAD_AUTHORS = [
    ("{name: Jane, email: 42}", "author.email: expected text, got int 42"),
    ("{name: Jane, uri: [x]}", "author.uri: expected text, got list ['x']"),
    ("{email: jane@example.org}", "author.name is required"),
    ("{name: '  '}", "author.name: must not be empty"),
    ("{name: Jane, phone: 1}", "author.phone: unknown key (known keys here: email, name, uri)"),
    ("3", "author: expected a name or {name, email, uri}, got 3"),
    ("'  '", "author: expected a name or {name, email, uri}, got '  '"),
]
BAD_IDS = ["email-number", "uri-list", "no-name", "blank-name", "unknown-key", "number", "blank"]


def site_with_author(tmp_path: Path, author: str) -> tuple[Path, Path]:
    """A config whose site.author is ``author`` (line 4); an entries file whose entry's is."""
    entries = tmp_path / "entries.yaml"
    entries.write_text(f"- title: Hello\n  published: 2026-01-01\n  author: {author}\n",
                       encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(
        "site:\n  title: T\n  base_url: https://example.org/\n"
        f"  author: {author}\ninputs: [entries.yaml]\n",
        encoding="utf-8",
    )
    return config, entries


@pytest.mark.parametrize("author, message", BAD_AUTHORS, ids=BAD_IDS)
def test_a_bad_author_reads_the_same_in_config_and_entries(
    tmp_path: Path, author: str, message: str
) -> None:
    config, entries = site_with_author(tmp_path, author)
    with pytest.raises(ConfigError) as in_config:
        load_config(config)
    with pytest.raises(InputError) as in_entries:
        read_file(entries)
    # The same words; the config's key path starts at its top, as the user finds it there.
    assert in_entries.value.message == message
    assert in_config.value.message == "site." + message
    assert in_config.value.source == f"{config}:4"  # the author's own line
    assert in_entries.value.source == f"{entries}:3"  # the author's own line there too


@pytest.mark.parametrize("author, message", BAD_AUTHORS[:2], ids=BAD_IDS[:2])
def test_a_bad_author_in_the_config_is_one_line_not_an_internal_error(
    tmp_path: Path, author: str, message: str
) -> None:
    # Once "internal error: TypeError ... this is a bug": the e-mail went unchecked to feedgen.
    config, _ = site_with_author(tmp_path, author)
    result = CliRunner().invoke(cli, ["build", "--config", str(config)])
    assert result.exit_code == 2
    assert result.output == f"feedwright: error: {config}:4: site.{message}\n"
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert not (tmp_path / "feeds").exists()


def test_a_bad_author_in_an_entry_is_one_line(tmp_path: Path) -> None:
    config, entries = site_with_author(tmp_path, "me")
    entries.write_text("- title: Hello\n  published: 2026-01-01\n"
                       "  authors: [Ann, {name: Jane, email: 42}]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--config", str(config)])
    assert result.exit_code == 2
    assert result.output == (
        f"feedwright: error: {entries}:3: authors.email: expected text, got int 42\n")


@pytest.mark.parametrize(
    "value, expected",
    [("  Ann ", Author("Ann")),
     ({"name": " Ann ", "email": "a@example.org"}, Author("Ann", "a@example.org")),
     ({"name": "Ann", "uri": "https://ann.example/", "email": None},
      Author("Ann", None, "https://ann.example/"))],
    ids=["name", "name-email", "null-email"],
)
def test_good_authors(value: object, expected: Author) -> None:
    owner = Fields({"author": value}, ("author",), where="f:1")
    assert parse_author(owner, "author", value) == expected


# --- Fields: unknown keys, types, places -----------------------------------------------

def located(text: str) -> object:
    return load_yaml(text, "c.yaml")


def test_unknown_keys_are_refused_first_naming_the_first_one_and_its_line() -> None:
    data = located("a: 1\nzz: 2\nyy: x\n")
    with pytest.raises(ConfigError) as info:
        Fields(data, ("a", "b"), where="c.yaml:1", file="c.yaml", error=ConfigError)
    assert str(info.value) == "c.yaml:2: zz: unknown key (known keys here: a, b)"
    # without the file's lines (an entry), at the mapping's place
    with pytest.raises(InputError) as info2:
        Fields({"a": 1, "zz": 2}, ("a",), where="e.json: entry 3")
    assert str(info2.value) == "e.json: entry 3: zz: unknown key (known keys here: a)"


def test_nested_sections_name_the_dotted_key_at_its_line() -> None:
    data = located("site:\n  title: T\n  tags:\n    limit: -1\n")
    root = Fields(data, ("site",), where="c.yaml:1", file="c.yaml", error=ConfigError)
    tags = root.section("site", ("title", "tags")).section("tags", ("limit",))
    with pytest.raises(ConfigError) as info:
        tags.count("limit", 20)
    assert str(info.value) == "c.yaml:4: site.tags.limit: expected a whole number >= 0, got -1"
    assert isinstance(info.value, FeedwrightError) and info.value.exit_code == 2


def test_a_missing_section_is_empty_and_its_required_keys_point_at_its_key() -> None:
    data = located("site:\nother: 1\n")
    root = Fields(data, ("site", "other"), where="c.yaml:1", file="c.yaml", error=ConfigError)
    site = root.section("site", ("title",))
    with pytest.raises(ConfigError) as info:
        site.text("title", required=True)
    assert str(info.value) == "c.yaml:1: site.title is required"


@pytest.mark.parametrize(
    "data, read, message",
    [
        ({"k": 7}, lambda f: f.text("k"), "k: expected text, got int 7"),
        ({"k": [1]}, lambda f: f.text("k"), "k: expected text, got list [1]"),
        ({"k": " "}, lambda f: f.text("k", required=True), "k: must not be empty"),
        ({}, lambda f: f.text("k", required=True), "k is required"),
        ({"k": None}, lambda f: f.text("k", required=True), "k is required"),
        ({"k": True}, lambda f: f.count("k"), "k: expected a whole number >= 0, got True"),
        ({"k": 1.5}, lambda f: f.count("k"), "k: expected a whole number >= 0, got 1.5"),
        ({"k": "3"}, lambda f: f.count("k"), "k: expected a whole number >= 0, got '3'"),
        ({"k": "no"}, lambda f: f.flag("k"), "k: expected true or false, got 'no'"),
        ({"k": 0}, lambda f: f.flag("k"), "k: expected true or false, got 0"),
        ({"k": "x"}, lambda f: f.section("k", ("a",)), "k must be a mapping, got str 'x'"),
    ],
    ids=["text-int", "text-list", "text-blank", "text-missing", "text-null", "count-bool",
         "count-float", "count-text", "flag-text", "flag-int", "section-text"],
)
def test_wrong_types(data: dict[str, object], read: object, message: str) -> None:
    fields = Fields(data, ("k",), where="e.yaml:3")
    assert callable(read)
    with pytest.raises(InputError) as info:
        read(fields)
    assert (info.value.message, info.value.source) == (message, "e.yaml:3")


def test_null_is_not_given_and_defaults_apply() -> None:
    fields = Fields({"t": None, "n": None, "b": None}, ("t", "n", "b"), where="e:1")
    assert (fields.text("t"), fields.text("t", "d"), fields.count("n"), fields.count("n", 5),
            fields.flag("b")) == (None, "d", None, 5, False)


def test_a_long_non_mapping_is_shown_short() -> None:
    with pytest.raises(InputError) as info:
        Fields(list(range(100)), ("a",), where="e:1", what="an entry")
    assert info.value.message == "an entry must be a mapping, got list [0, 1, 2, 3, 4, 5, ...]"


def test_reading_an_undeclared_key_is_a_bug_not_a_user_error() -> None:
    with pytest.raises(KeyError):
        Fields({}, ("a",), where="e:1").get("b")


@given(st.text(alphabet=st.sampled_from(
    "a\t\n\r\x00\x01\x1f é\ufffe\uffff\uff01\uffbf\ud800😀"), max_size=12))
def test_bad_character_finds_exactly_what_xml_cannot_carry(text: str) -> None:
    # The C-speed shortcuts (byte translate, the EF BF search, ASCII) must
    # agree with the definition: XML 1.0's Char production.
    first = next((i for i, c in enumerate(text) if not (
        c in "\t\n\r" or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd"
        or c >= "\U00010000")), None)
    problem = bad_character(text)
    if first is None:
        assert problem is None
    else:
        assert problem is not None and f"at position {first + 1:,}," in problem
