"""validate(relations_only=True): what the build gate checks over each
feed's cut-down entries, once each entry and each head have been checked on
their own."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from feedwright.validator import validate
from feedwright.validator.rules import RULES

NOW = datetime(2026, 11, 23, tzinfo=UTC)

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>T</title>
    <link>https://example.org/</link>
    <description>D</description>
    <language>en</language>
    <atom:link href="https://example.org/rss.xml" rel="self" type="application/rss+xml"/>
    <lastBuildDate>Mon, 02 Mar 2026 00:00:00 +0000</lastBuildDate>
    <item>
      <link>https://example.org/a/</link>
      <guid isPermaLink="true">https://example.org/a/</guid>
      <pubDate>Mon, 02 Mar 2026 00:00:00 +0000</pubDate>
    </item>
    <item>
      <link>https://example.org/a/</link>
      <guid isPermaLink="true">https://example.org/a/</guid>
      <pubDate>Sun, 01 Mar 2026 00:00:00 +0000</pubDate>
    </item>
  </channel>
</rss>
"""


def codes(**kwargs: object) -> set[str]:
    report = validate(FEED, name="x", strict=True, now=NOW,
                      location="https://example.org/rss.xml", **kwargs)  # type: ignore[arg-type]
    return {i.code for i in report.issues}


RELATION_RULES = {code for code, r in RULES.items() if r.scope == "relation"}


def test_the_relation_rules_are_those_that_relate_entries() -> None:
    assert RELATION_RULES >= {"entries-not-newest-first", "feed-date-not-newest-entry",
                              "atom-duplicate-id", "rss-duplicate-guid"}


def test_relation_rules_alone_judge_only_how_entries_relate() -> None:
    full = codes()
    assert {"rss-item-missing-title-and-description", "rss-duplicate-guid"} <= full
    relations = codes(relations_only=True)
    assert relations == {"rss-duplicate-guid"}
    assert relations <= RELATION_RULES


def test_relation_rules_see_order_and_feed_date() -> None:
    swapped = FEED.replace(b"Mon, 02 Mar 2026", b"Sat, 28 Feb 2026", 2)
    report = validate(swapped, name="x", strict=True, now=NOW, relations_only=True)
    assert {i.code for i in report.issues} == {
        "entries-not-newest-first", "feed-date-not-newest-entry", "rss-duplicate-guid"}


def test_a_feed_with_no_entries_passes_every_rule() -> None:
    """The gate checks each head as a feed with no entries: no rule may fault that."""
    start, end = FEED.index(b"    <item>"), FEED.rindex(b"</item>\n") + len(b"</item>\n")
    head_only = FEED[:start] + FEED[end:]
    report = validate(head_only, name="x", strict=True, now=NOW,
                      location="https://example.org/rss.xml")
    assert report.issues == ()
