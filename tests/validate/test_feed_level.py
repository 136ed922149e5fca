"""validate(feed_level_only=True): what the build gate checks per feed, once
each entry has been checked on its own."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from feedwright.validate import validate
from feedwright.validate.rules import ENTRY_CONTENT_RULES
from feedwright.validate.rules import RULES

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


def test_entry_rules_are_registered_rules() -> None:
    assert ENTRY_CONTENT_RULES <= set(RULES)


def test_feed_level_skips_what_a_cut_down_entry_lacks_but_not_relations() -> None:
    full = codes()
    assert {"rss-item-missing-title-and-description", "rss-duplicate-guid"} <= full
    feed_level = codes(feed_level_only=True)
    assert "rss-duplicate-guid" in feed_level
    assert not feed_level & ENTRY_CONTENT_RULES
    assert "rss-schema" not in feed_level
