"""Atom entries' ids and dates are read once per document
(``_dates.atom_entries``) for every rule that judges how entries relate (and
updated-before-published): what each rule sees, and what it finds, must be
what it found walking the entries itself, as it did before (the old walks
are kept here as oracles)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import nullcontext
from datetime import UTC
from datetime import datetime

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from lxml import etree
from tests.helpers import xml_document

from feedwright.validator.rules import Finding
from feedwright.validator.rules import _dates
from feedwright.validator.rules import atom
from feedwright.validator.rules import common
from feedwright.validator.rules._dates import all_dates
from feedwright.validator.rules._dates import atom_date
from feedwright.validator.rules._dates import dated_entries
from feedwright.validator.rules._dates import parse_rfc3339
from feedwright.validator.rules._xml import A
from feedwright.validator.rules._xml import children
from feedwright.validator.rules._xml import entries
from feedwright.validator.rules._xml import first
from feedwright.validator.rules._xml import indexed
from feedwright.validator.rules._xml import tagged_children
from feedwright.validator.rules._xml import text

NOW = datetime(2026, 6, 1, tzinfo=UTC)

#: Date texts: valid (two naming one instant), invalid, empty, spaced.
DATES = st.sampled_from([
    "2025-06-10T04:00:00Z", "2025-06-10T06:00:00+02:00", "2025-06-11T04:00:00Z",
    "2024-01-01T00:00:00Z", "2025-06-10", "", "  ", " 2025-06-10T04:00:00Z ",
    "2025-02-30T00:00:00Z", "2027-01-01T00:00:00Z", "1970-01-01T00:00:00Z",
])
#: Id texts: repeated values, empty, spaced.
IDS = st.sampled_from(["tag:e.org,2025:1", "tag:e.org,2025:2", " tag:e.org,2025:1 ", "", " "])
#: What an entry may hold besides its ids and dates (a source has its own).
OTHER = st.sampled_from([
    "<title>t</title>", "<!-- c -->", "<?pi x?>", '<link href="https://e.org/"/>',
    "<source><id>tag:e.org,2025:1</id><updated>2025-06-11T04:00:00Z</updated></source>",
    '<x:id xmlns:x="urn:x">tag:e.org,2025:1</x:id>', "<dc:date>2025-06-10</dc:date>",
    '<w:wrap xmlns:w="urn:w"><entry><id>tag:e.org,2025:9</id>'
    "<updated>2025-06-12T04:00:00Z</updated><published>2025-06-12T04:00:00Z</published>"
    "</entry><updated>2025-06-13T04:00:00Z</updated></w:wrap>",
])


@st.composite
def entry_body(draw: st.DrawFn) -> str:
    parts = []
    for kind in draw(st.lists(st.sampled_from(["id", "updated", "published", "other"]),
                              max_size=6)):
        if kind == "other":
            parts.append(draw(OTHER))
        else:
            parts.append(f"<{kind}>{draw(IDS if kind == 'id' else DATES)}</{kind}>")
    return "".join(parts)


@st.composite
def atom_doc(draw: st.DrawFn) -> bytes:
    ns = 'xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"'
    if draw(st.integers(0, 10)) == 0:  # an entry document
        return f"<entry {ns}>{draw(entry_body())}</entry>".encode()
    body = draw(entry_body())
    for _ in range(draw(st.integers(0, 12))):
        body += f"<entry>{draw(entry_body())}</entry>"
    return f"<feed {ns}>{body}</feed>".encode()


# --- the rules' walks as they were ---------------------------------------------


def _old_ids(root: etree._Element) -> list[tuple[etree._Element, str]]:
    out = []
    for e in entries(root):
        node = first(e, A + "id")
        value = text(node)
        if node is not None and value:
            out.append((node, value))
    return out


def _old_duplicate_id(root: etree._Element) -> Iterator[Finding]:
    ids = _old_ids(root)
    counts = Counter(v for _, v in ids)
    seen: set[str] = set()
    for node, value in ids:
        if value in seen and counts[value] < atom._MANY:
            yield Finding(node=node, detail=repr(value))
        seen.add(value)


def _old_many_share_id(root: etree._Element) -> Iterator[Finding]:
    ids = _old_ids(root)
    counts = Counter(v for _, v in ids)
    reported: set[str] = set()
    for node, value in ids:
        if counts[value] >= atom._MANY and value not in reported:
            reported.add(value)
            yield Finding(node=node, detail=f"{value!r} used {counts[value]} times")


def _old_duplicate_updated(root: etree._Element) -> Iterator[Finding]:
    seen: set[object] = set()
    for e in entries(root):
        node = first(e, A + "updated")
        when = atom_date(node)
        if when is None:
            continue
        if when in seen:
            yield Finding(node=node, detail=text(node))
        seen.add(when)


def _old_updated_before_published(root: etree._Element) -> Iterator[Finding]:
    for e in entries(root):
        up = first(e, A + "updated")
        published, updated = atom_date(first(e, A + "published")), atom_date(up)
        if published is not None and updated is not None and updated < published:
            yield Finding(node=up, detail=f"{text(up)} < {text(first(e, A + 'published'))}")


@settings(max_examples=400, derandomize=True, deadline=None)
@given(atom_doc(), st.booleans())
def test_atom_entries_read_once_are_what_each_rule_read(data: bytes, index: bool) -> None:
    doc = xml_document(data, "atom1", NOW, strict=True)
    root = doc.root
    with indexed() if index else nullcontext():
        found = _dates.atom_entries(doc)
        assert [e.entry for e in found] == list(entries(root))
        assert [(e.updated_node, e.updated) for e in found] == [
            (first(e, A + "updated"), atom_date(first(e, A + "updated"))) for e in entries(root)]
        assert [(e.published_node, e.published) for e in found] == [
            (first(e, A + "published"), atom_date(first(e, A + "published")))
            for e in entries(root)]
        assert _dates.atom_dated_entries(doc) == dated_entries(root, "atom1")
        assert list(atom.duplicate_id(doc)) == list(_old_duplicate_id(root))
        assert list(atom.many_entries_share_id(doc)) == list(_old_many_share_id(root))
        assert list(atom.duplicate_updated(doc)) == list(_old_duplicate_updated(root))
        assert list(atom.updated_before_published(doc)) == list(
            _old_updated_before_published(root))
        # the feed's date against the newest entry's updated, as it was read
        dates = [atom_date(first(e, A + "updated")) for e in entries(root)]
        newest = max((d for d in dates if d is not None), default=None)
        feed_when = atom_date(first(root, A + "updated"))
        expected = (first(root, A + "updated") is not None and feed_when is not None
                    and newest is not None and feed_when != newest)
        assert bool(list(common.feed_date_not_newest_entry(doc))) == expected


def test_many_entries_sharing_an_id_are_counted_once() -> None:
    # ten entries with one id (some spaced): one atom-many-entries-share-id, no duplicates
    body = "".join(f"<entry><id>{' ' * (i % 2)}tag:e.org,2025:1</id></entry>" for i in range(10))
    data = f'<feed xmlns="http://www.w3.org/2005/Atom">{body}</feed>'.encode()
    doc = xml_document(data, "atom1", NOW)
    assert [f.detail for f in atom.many_entries_share_id(doc)] == [
        "'tag:e.org,2025:1' used 10 times"]
    assert list(atom.duplicate_id(doc)) == []


def _old_invalid_date(root: etree._Element) -> Iterator[Finding]:
    # atom._atom_date_nodes and atom.invalid_date as they were
    def nodes() -> Iterator[etree._Element]:
        for parent in (root, *entries(root)):
            for tag, c in tagged_children(parent):
                if tag in (A + "updated", A + "published"):
                    yield c
            src = first(parent, A + "source")
            if src is not None:
                yield from children(src, A + "updated")

    for node in nodes():
        value = text(node)
        verdict = parse_rfc3339(value)
        if verdict.status != "ok":
            yield Finding(node=node, detail=verdict.detail)
        elif value != (node.text or ""):
            yield Finding(node=node, detail=f"{node.text!r} has spaces or line breaks around it")


@settings(max_examples=400, derandomize=True, deadline=None)
@given(atom_doc(), st.booleans())
def test_atom_dates_read_once_are_what_each_date_rule_read(data: bytes, index: bool) -> None:
    doc = xml_document(data, "atom1", NOW, strict=True)
    root = doc.root
    with indexed() if index else nullcontext():
        assert _dates.atom_all_dates(doc) == list(all_dates(root, "atom1"))
        assert list(atom.invalid_date(doc)) == list(_old_invalid_date(root))
        future = [(n, text(n)) for n, when in all_dates(root, "atom1") if when > NOW]
        assert [(f.node, f.detail) for f in common.date_in_future(doc)] == future
