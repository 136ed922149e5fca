"""The lxml fast path for entry fragments, held byte-identical to feedgen.

``rss.fragment`` and ``atom.fragment`` build an entry's ``<item>`` /
``<entry>`` with lxml directly (render/fast.py); feedgen
(``reference_fragment``) is the oracle: for every entry, the fast path
writes exactly feedgen's bytes, and refuses exactly what feedgen refuses,
with the same error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import example
from hypothesis import given
from hypothesis import settings
from lxml import etree
from tests.helpers import DATA
from tests.helpers import NOW
from tests.helpers import REPO
from tests.helpers import model_entries

from feedwright import load_config
from feedwright import read_entries
from feedwright.model import Author
from feedwright.model import Entry
from feedwright.render import atom
from feedwright.render import rss

Fragment = Callable[[Entry], bytes]
FORMATS = {"rss": (rss.fragment, rss.reference_fragment),
           "atom": (atom.fragment, atom.reference_fragment)}

PLAIN = Entry(
    id="tag:example.org,2026-03-01:/a/", title="A title", url="https://example.org/a/",
    summary="A summary.", published=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
    content="<p>Body &amp; more</p>", authors=(Author("Ann", "ann@example.org"),),
    tags=("a", "b"), reading_time=3, word_count=500,
)


def outcome(render: Fragment, entry: Entry) -> bytes | tuple[type[Exception], str]:
    """The fragment's bytes, or the error refusing the entry (type and message)."""
    try:
        return render(entry)
    except (ValueError, TypeError) as error:
        return type(error), str(error)


def assert_same(fmt: str, entry: Entry) -> None:
    fast, reference = FORMATS[fmt]
    expected = outcome(reference, entry)
    got = outcome(fast, entry)
    assert got == expected, f"{fmt} fast path differs from feedgen for {entry!r}"


# 10 s budget for the whole module on a shared 2-core machine: ~1,000 entries
# a format, each with every field drawn (see helpers.model_entries).
@settings(max_examples=600, deadline=None)
@given(entry=model_entries())
@example(entry=PLAIN)
@example(entry=replace(PLAIN, title="Tom & Jerry <3", tags=("R&D", "a<b", "x>y")))
@example(entry=replace(PLAIN, authors=(Author("Ann"), Author("Bob", "bob@example.org"))))
@example(entry=replace(PLAIN, authors=(Author("", "ann@example.org"),)))
@example(entry=replace(PLAIN, summary="", content=None))
@example(entry=replace(PLAIN, title="", summary="", content=None))
@example(entry=replace(PLAIN, title="", summary="", content=""))
@example(entry=replace(PLAIN, pinned_id=True))
@example(entry=replace(PLAIN, pinned_id=True, id=PLAIN.url))
@example(entry=replace(PLAIN, url="", pinned_id=False))
def test_rss_items_are_feedgens_bytes(entry: Entry) -> None:
    assert_same("rss", entry)


@settings(max_examples=600, deadline=None)
@given(entry=model_entries())
@example(entry=PLAIN)
@example(entry=replace(PLAIN, authors=(Author("", "ann@example.org", "https://a.example/"),)))
@example(entry=replace(PLAIN, authors=(Author("Ann", "", "https://a.example/?a=1&b=\"2\""),)))
@example(entry=replace(PLAIN, summary="", content=None))
@example(entry=replace(PLAIN, summary="", content=""))
@example(entry=replace(PLAIN, title=""))
@example(entry=replace(PLAIN, id=""))
@example(entry=replace(PLAIN, tags=("", "R&D \"x\" <y>\t\r\n")))
def test_atom_entries_are_feedgens_bytes(entry: Entry) -> None:
    assert_same("atom", entry)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("field", ["title", "summary", "content", "url", "id"])
@pytest.mark.parametrize("bad", ["\x00", "\x1b", "\ufffe", "\ud800"])
def test_characters_xml_cannot_carry_are_refused_as_feedgen_refuses_them(
    fmt: str, field: str, bad: str
) -> None:
    """Readers refuse these first (mapping.bad_character); a library caller
    handing one to the renderer gets feedgen's (lxml's) ValueError."""
    entry = replace(PLAIN, pinned_id=True, **{field: f"a{bad}b"})
    assert_same(fmt, entry)
    assert isinstance(outcome(FORMATS[fmt][0], entry), tuple)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("dates", [
    {"published": datetime(2026, 3, 1)},
    {"updated": datetime(2026, 3, 2)},
    {"published": datetime(2026, 3, 1), "title": "", "summary": "", "content": None},
])
def test_dates_without_a_time_zone_are_refused_as_feedgen_refuses_them(
    fmt: str, dates: dict[str, object]
) -> None:
    """Atom refuses either date, RSS only the one it writes (published)."""
    entry = replace(PLAIN, **dates)  # type: ignore[arg-type]
    assert_same(fmt, entry)
    refused = fmt == "atom" or "published" in dates
    assert isinstance(outcome(FORMATS[fmt][0], entry), tuple) == refused


@pytest.mark.parametrize("config", [REPO / "config.yaml",
                                    DATA / "build" / "special-text" / "config.yaml"])
def test_real_archives_render_to_feedgens_bytes(config: Path) -> None:
    """The bundled site and the special-text site, entry by entry."""
    entries = read_entries(load_config(config), now=NOW)
    assert entries
    for entry in entries:
        for fmt in FORMATS:
            assert_same(fmt, entry)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_fragment_is_well_formed_in_its_documents_namespaces(fmt: str) -> None:
    """Without its root's declarations a fragment leans on the document's:
    wrapped in a root declaring them, it parses, prefixes and all."""
    module = rss if fmt == "rss" else atom
    data = FORMATS[fmt][0](replace(PLAIN, authors=(Author("Ann"), Author("Bob"))))
    assert b"xmlns" not in data
    wrapper = etree.Element("root", nsmap=module.NSMAP)  # type: ignore[arg-type]
    text = etree.tostring(wrapper)[: -2] + b">" + data + b"</root>"
    root = etree.fromstring(text)
    assert {e.tag for e in root.iter()} >= {
        "{http://purl.org/dc/elements/1.1/}format", "{http://purl.org/dc/terms/}extent"}
