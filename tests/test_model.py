"""The model's pure helpers: slugs, permalinks, tag: ids, and same-day spreading."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from datetime import timezone
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from tests.helpers import model_entries

from feedwright.model import Author
from feedwright.model import Entry
from feedwright.model import join_url
from feedwright.model import permalink
from feedwright.model import slugify
from feedwright.model import spread_same_day
from feedwright.model import tag_uri

UTC = UTC


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Zero\u2011to\u2011Hero", "zero-to-hero"),
        ("Vectors\u2014fast", "vectors-fast"),
        ("a\u2010b\u2012c\u2013d\u2015e", "a-b-c-d-e"),
        ("Real-Time Feature Stores", "real-time-feature-stores"),
        ("Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e \u00e0 la Pi\u00f1ata",
         "cafe-creme-brulee-a-la-pinata"),
        ("Designing Robust Payment Systems: Architecture, Scalability, and Security",
         "designing-robust-payment-systems-architecture-scalability-and-security"),
        ("You\u2019re (not) #1 -- really?!", "youre-not-1-really"),
        ("You're straight", "youre-straight"),
        ("  --Leading & trailing--  ", "leading-trailing"),
        ("ＦＵＬＬ ｗｉｄｔｈ", "full-width"),
        ("C++ & C# in 2026", "c-c-in-2026"),
        ("", ""),
        ("\u2014 \u2011 !!!", ""),
        ("日本語のタイトル", ""),
    ],
    ids=["u2011", "u2014", "other-dashes", "ascii-hyphen", "accents", "punctuation",
         "apostrophe-parens", "apostrophe-straight", "edges", "fullwidth-nfkd", "symbols",
         "empty", "only-separators", "no-ascii"],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slugify_of_real_title() -> None:
    title = ("Distributed Vector Database Architecture: Zero\u2011to\u2011Hero Guide for Building "
             "Scalable High\u2011Performance Semantic Search Engines")
    assert slugify(title) == ("distributed-vector-database-architecture-zero-to-hero-guide-for-"
                              "building-scalable-high-performance-semantic-search-engines")


@given(st.text(max_size=60))
def test_slugify_always_gives_lowercase_ascii_words(title: str) -> None:
    slug = slugify(title)
    assert re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", slug)
    assert slugify(slug) == slug  # idempotent


D = date(2026, 3, 31)


@pytest.mark.parametrize(
    "base, pattern, slug, expected",
    [
        ("https://x.org/", "/posts/{slug}/", "hello", "https://x.org/posts/hello/"),
        ("https://x.org", "/posts/{slug}/", "hello", "https://x.org/posts/hello/"),
        ("https://x.org/blog/", "/posts/{slug}/", "hello", "https://x.org/blog/posts/hello/"),
        ("https://x.org/blog", "posts/{slug}/", "hello", "https://x.org/blog/posts/hello/"),
        ("https://x.org/", "/{year}/{month}/{day}/{slug}.html", "hello",
         "https://x.org/2026/03/31/hello.html"),
        ("https://x.org/blog/", "/{year}/{slug}/", "a/b c", "https://x.org/blog/2026/a%2Fb%20c/"),
    ],
    ids=["root", "base-no-slash", "base-with-path", "base-path-no-slashes", "ymd", "quoted-slug"],
)
def test_permalink(base: str, pattern: str, slug: str, expected: str) -> None:
    assert permalink(base, pattern, slug, D) == expected


def test_permalink_pads_month_and_day() -> None:
    assert permalink("https://x.org/", "/{year}-{month}-{day}/{slug}/", "s", date(987, 1, 2)) == (
        "https://x.org/0987-01-02/s/")


def test_join_url_keeps_base_path() -> None:
    assert join_url("https://x.org/blog/", "/feeds/") == "https://x.org/blog/feeds/"


TAG = re.compile(r"tag:[a-z0-9.-]+,\d{4}-\d{2}-\d{2}:/\S*")


@pytest.mark.parametrize(
    "url, day, expected",
    [
        ("https://blog.example.org/posts/hello/", D,
         "tag:blog.example.org,2026-03-31:/posts/hello/"),
        ("https://x.org/blog/posts/a/", date(2026, 1, 5), "tag:x.org,2026-01-05:/blog/posts/a/"),
        ("http://X.Org:8080/p/?id=3", D, "tag:x.org,2026-03-31:/p/?id=3"),
        ("https://x.org", D, "tag:x.org,2026-03-31:/"),
    ],
    ids=["plain", "base-path", "port-case-query", "no-path"],
)
def test_tag_uri(url: str, day: date, expected: str) -> None:
    got = tag_uri(url, day)
    assert got == expected
    assert TAG.fullmatch(got)


def test_tag_uri_ignores_scheme() -> None:
    assert tag_uri("http://x.org/p/", D) == tag_uri("https://x.org/p/", D)


def test_entry_is_frozen_and_last_modified() -> None:
    pub = datetime(2026, 3, 31, tzinfo=UTC)
    entry = Entry(id="i", title="t", url="u", summary="", published=pub,
                  authors=(Author("a"),))
    assert entry.last_modified == pub
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.title = "x"  # type: ignore[misc]
    later = dataclasses.replace(entry, updated=pub + timedelta(days=1))
    assert later.last_modified == pub + timedelta(days=1)


# --- spread_same_day ------------------------------------------------------------

A, B, C = date(2026, 4, 2), date(2026, 4, 1), date(2026, 3, 31)


def _times(values: list) -> list:
    return [None if v is None else v.timetz().replace(tzinfo=None).isoformat() for v in values]


@pytest.mark.parametrize(
    "days, tod, expected",
    [
        ([A], time(0, 0), ["00:00:00"]),
        ([A, A, A], time(0, 0), ["00:00:02", "00:00:01", "00:00:00"]),
        ([A, A, B, C, C], time(9, 30),
         ["09:30:01", "09:30:00", "09:30:00", "09:30:01", "09:30:00"]),
        ([A, None, A], time(12, 0), ["12:00:01", None, "12:00:00"]),
        ([None, None], time(12, 0), [None, None]),
        ([A, A, A], time(23, 59, 59), ["23:59:59", "23:59:58", "23:59:57"]),
        ([A, A], time(23, 59, 58), ["23:59:59", "23:59:58"]),
        ([A], time(23, 59, 59), ["23:59:59"]),
        ([], time(0, 0), []),
    ],
    ids=["single", "three-same-day", "mixed-days", "own-datetime-untouched", "all-own",
         "end-of-day-moved-back", "end-of-day-just-fits", "single-at-2359", "empty"],
)
def test_spread_same_day(days: list, tod: time, expected: list) -> None:
    got = spread_same_day(days, UTC, tod)
    assert _times(got) == expected
    for d, dt in zip(days, got, strict=True):
        if d is not None:
            assert dt.date() == d and dt.tzinfo is UTC


def test_spread_same_day_attaches_the_site_timezone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    first, second = spread_same_day([C, C], berlin, time(8, 0))
    assert first == datetime(2026, 3, 31, 8, 0, 1, tzinfo=berlin)
    assert second.utcoffset() == timedelta(hours=2)
    assert first.astimezone(UTC) == datetime(2026, 3, 31, 6, 0, 1, tzinfo=UTC)


def test_spread_same_day_non_adjacent_same_day_keeps_list_order() -> None:
    got = spread_same_day([A, B, A], UTC, time(0, 0))
    assert _times(got) == ["00:00:01", "00:00:00", "00:00:00"]
    assert got[0].date() == A and got[2].date() == A


TZS = [UTC, timezone(timedelta(hours=-11)), timezone(timedelta(hours=14)),
       ZoneInfo("America/New_York")]


@settings(max_examples=200, deadline=None)
@given(
    days=st.lists(
        st.one_of(st.none(), st.sampled_from([A, B, C, date(2024, 2, 29), date(2026, 12, 31)])),
        max_size=40,
    ),
    tod=st.times().map(lambda t: t.replace(microsecond=0)),
    tz=st.sampled_from(TZS),
)
def test_spread_same_day_property(days: list, tod: time, tz) -> None:
    got = spread_same_day(days, tz, tod)
    assert len(got) == len(days)
    by_day: dict = {}
    for d, dt in zip(days, got, strict=True):
        if d is None:
            assert dt is None
            continue
        assert dt.date() == d  # never leaves its day
        assert dt.tzinfo is tz
        assert dt.microsecond == 0
        by_day.setdefault(d, []).append(dt)
    for d, run in by_day.items():
        walls = [x.replace(tzinfo=None) for x in run]
        # strictly decreasing in list order, one second apart
        assert all(a - b == timedelta(seconds=1) for a, b in zip(walls, walls[1:], strict=False))
        # the last listed keeps the time of day whenever the run fits before midnight
        fits = datetime.combine(d, tod) + timedelta(seconds=len(run) - 1) <= datetime.combine(
            d, time(23, 59, 59))
        if fits:
            assert walls[-1].time() == tod
        else:
            assert walls[0].time() == time(23, 59, 59)


@settings(max_examples=2000, deadline=None)
@given(slug=st.text(st.sampled_from(list("aZ09_.~-/% ?#\u00e9\n")), max_size=8))
def test_permalink_quotes_the_slug_as_quote_does(slug: str) -> None:
    assert permalink("https://x.org/", "/p/{slug}/", slug, D) == (
        "https://x.org/p/" + quote(slug, safe="") + "/")


@settings(max_examples=50, deadline=None)
@given(model_entries())
def test_without_content_is_replace_with_no_content(entry: Entry) -> None:
    lean = entry.without_content()
    assert lean == dataclasses.replace(entry, content=None)
    assert lean is not entry and lean.content is None
    assert vars(entry) == vars(dataclasses.replace(lean, content=entry.content))  # untouched
    with pytest.raises(dataclasses.FrozenInstanceError):
        lean.content = "x"  # type: ignore[misc]
