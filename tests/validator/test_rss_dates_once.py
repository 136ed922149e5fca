"""RSS dates are read once per document (``_dates.rss_dates``) for every rule
that looks at them: what each rule sees must be what it found walking the
items itself, as it did before (the old walks are kept here as oracles)."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import UTC
from datetime import datetime

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from lxml import etree
from tests.helpers import xml_document

from feedwright.validator.rules import _dates
from feedwright.validator.rules import common
from feedwright.validator.rules import rss
from feedwright.validator.rules._dates import all_dates
from feedwright.validator.rules._dates import dated_entries
from feedwright.validator.rules._dates import parse_rfc822
from feedwright.validator.rules._dates import rss_date
from feedwright.validator.rules._xml import channel
from feedwright.validator.rules._xml import children
from feedwright.validator.rules._xml import first
from feedwright.validator.rules._xml import indexed
from feedwright.validator.rules._xml import items
from feedwright.validator.rules._xml import text

NOW = datetime(2026, 6, 1, tzinfo=UTC)

#: Date texts: strict, readable-but-not-strict, wrong weekday, invalid, empty.
DATES = st.sampled_from([
    "Tue, 10 Jun 2025 04:00:00 +0000", "Wed, 11 Jun 2025 04:00:00 GMT", "10 Jun 2025 04:00 EST",
    "tue, 10 jun 25 04:00:00 z", "Mon, 10 Jun 2025 04:00:00 +0000", "2025-06-10", "", "  ",
    " Thu, 01 Jan 2026 00:00:00 +0000 ", "Fri, 30 Feb 2024 00:00:00 +0000",
])
#: What an item or the channel may hold besides dates.
OTHER = st.sampled_from(["<title>t</title>", "<!-- c -->", "<link>https://e.org/</link>",
                         "<dc:date>2025-06-10</dc:date>", "<guid>https://e.org/1</guid>",
                         "<guid> https://e.org/1 </guid>", "<guid>2</guid>", "<guid></guid>",
                         "<source><guid>3</guid></source>", "<?pi x?>",
                         "<item><guid>8</guid></item>",
                         "<wrap><item><guid>9</guid><pubDate>Tue, 10 Jun 2025 04:00:00 +0000"
                         "</pubDate></item><pubDate>Wed, 11 Jun 2025 04:00:00 GMT</pubDate>"
                         "</wrap>"])


@st.composite
def parent_body(draw: st.DrawFn) -> str:
    parts = []
    for kind in draw(st.lists(st.sampled_from(["pub", "build", "other"]), max_size=5)):
        if kind == "other":
            parts.append(draw(OTHER))
        else:
            tag = "pubDate" if kind == "pub" else "lastBuildDate"
            parts.append(f"<{tag}>{draw(DATES)}</{tag}>")
    return "".join(parts)


@st.composite
def rss_feed(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 20)) == 0:
        return b'<rss version="2.0"><nochannel/></rss>'
    body = draw(parent_body())
    for _ in range(draw(st.integers(0, 5))):
        body += f"<item>{draw(parent_body())}</item>"
    return (f'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel>{body}</channel></rss>").encode()


def _old_verdicts(root: etree._Element) -> list[tuple[etree._Element, object]]:
    # rss_values._rss_date_nodes and _date_verdicts as they were
    ch = channel(root)
    if ch is None:
        return []
    out = []
    for p in (ch, *children(ch, "item")):
        for c in p:
            if c.tag in ("pubDate", "lastBuildDate"):
                out.append((c, parse_rfc822(text(c))))
    return out


@settings(max_examples=300, derandomize=True, deadline=None)
@given(rss_feed(), st.booleans())
def test_rss_dates_read_once_are_the_dates_each_rule_read(data: bytes, index: bool) -> None:
    doc = xml_document(data, "rss2", NOW)
    root = doc.root
    with indexed() if index else nullcontext():
        assert _dates.rss_all_dates(doc) == list(all_dates(root, "rss2"))
        assert _dates.rss_dated_entries(doc) == dated_entries(root, "rss2")
        assert [_dates.first_pub_date(found) for _i, found in _dates.rss_dates(doc)[1:]] == [
            rss_date(first(it, "pubDate")) for it in items(root)]
        assert [(n, v) for _p, found in _dates.rss_dates(doc) for _t, n, v in found] == (
            _old_verdicts(root))


def _old_guids(root: etree._Element) -> list[tuple[etree._Element, str]]:
    # rss._guids as it was
    return [(g, text(g)) for it in items(root) for g in children(it, "guid")]


@settings(max_examples=300, derandomize=True, deadline=None)
@given(rss_feed(), st.booleans(), st.booleans())
def test_rss_guids_found_with_the_dates_are_the_guids_each_rule_read(
        data: bytes, index: bool, dates_first: bool) -> None:
    doc = xml_document(data, "rss2", NOW)
    root = doc.root
    with indexed() if index else nullcontext():
        if dates_first:  # the order the relation rules ask in
            _dates.rss_dates(doc)
        assert _dates.rss_guids(doc) == _old_guids(root)
        assert [(n, v) for _p, found in _dates.rss_dates(doc) for _t, n, v in found] == (
            _old_verdicts(root))
        seen: set[str] = set()
        duplicates = []
        for g, value in _old_guids(root):
            if value in seen:
                duplicates.append((g, repr(value)))
            elif value:
                seen.add(value)
        assert [(f.node, f.detail) for f in rss.duplicate_guid(doc)] == duplicates


def _old_feed_date_finding(root: etree._Element) -> list[str]:
    # common.feed_date_not_newest_entry on RSS as it was: each item's first pubDate
    ch = channel(root)
    node = first(ch, "lastBuildDate")
    if node is None:
        node = first(ch, "pubDate")
    feed_when = rss_date(node)
    dates = [rss_date(first(it, "pubDate")) for it in items(root)]
    newest = max((d for d in dates if d is not None), default=None)
    if node is not None and feed_when is not None and newest is not None and feed_when < newest:
        return [f"{text(node)}, newest entry is {newest.isoformat()}"]
    return []


@settings(max_examples=300, derandomize=True, deadline=None)
@given(rss_feed(), st.booleans())
def test_rss_feed_date_and_order_judged_as_before(data: bytes, index: bool) -> None:
    doc = xml_document(data, "rss2", NOW, strict=True)
    root = doc.root
    with indexed() if index else nullcontext():
        assert [f.detail for f in common.feed_date_not_newest_entry(doc)] == (
            _old_feed_date_finding(root))
        oldest = None
        expected = []
        for entry, when in dated_entries(root, "rss2"):
            if oldest is not None and when > oldest:
                expected = [entry]
                break
            oldest = when if oldest is None else min(oldest, when)
        assert [f.node for f in common.entries_not_newest_first(doc)] == expected
