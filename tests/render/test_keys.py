"""What rendered bytes depend on: the keys the build cache keeps them under."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime


def test_an_entry_key_changes_with_whatever_its_fragments_show() -> None:
    from dataclasses import replace
    from datetime import timedelta
    from datetime import timezone

    from feedwright.model import Author
    from feedwright.model import Entry
    from feedwright.render import render_fragment
    from feedwright.render.keys import entry_key

    base = Entry(
        id="tag:example.org,2026:1", title="A post", url="https://example.org/a/",
        summary="S.", published=datetime(2026, 3, 1, 9, 30, tzinfo=UTC), content="<p>x</p>",
        authors=(Author("Ann", "ann@example.org"),), tags=("a",), reading_time=1,
        word_count=3,
    )
    plus_one = timezone(timedelta(hours=1))
    variants = [
        replace(base, title="Another"),
        replace(base, published=base.published.astimezone(plus_one)),  # same instant
        replace(base, published=base.published + timedelta(microseconds=1)),
        replace(base, updated=base.published + timedelta(days=1)),
        replace(base, authors=(Author("Ann", "ann@example.net"),)),
        replace(base, authors=(Author("Ann", "ann@example.org", "https://ann.example/"),)),
        replace(base, authors=()),
        replace(base, tags=("a", "b")),
        replace(base, word_count=4),
        replace(base, pinned_id=True),
    ]
    keys = {entry_key(v) for v in variants}
    assert len(keys) == len(variants)
    assert entry_key(base) not in keys
    # Where it was read is no part of a fragment, nor of its key.
    assert entry_key(replace(base, source="other.yaml:9")) == entry_key(base)
    # Entries with the same key render the same bytes.
    utc = timezone(timedelta(0), "UTC")
    same = replace(base, published=datetime(2026, 3, 1, 9, 30, tzinfo=utc))
    assert entry_key(same) == entry_key(base)
    for fmt in ("rss", "atom", "json"):
        assert render_fragment(fmt, same) == render_fragment(fmt, base)
