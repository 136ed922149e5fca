"""Messages speak of the feed: no Python internals, whatever the date or zone says.

Fuzzes dates and zones (and a few other values read with Python's parsers)
through whole documents of every format and checks every message.
"""

from __future__ import annotations

import re
from datetime import UTC
from datetime import datetime

from hypothesis import example
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from feedwright.validator import validate

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

# Words that only a Python exception would put into a message.
PYTHON = re.compile(
    r"timedelta|datetime|tzinfo|must be (?:in|a|an|strictly)|out of range for|"
    r"invalid literal|Traceback|sys\.|Exceeds the limit|object|argument|NoneType|"
    r"\bint\(|\bstr\(|Errno"
)


def rss(date: str) -> bytes:
    return (
        '<rss version="2.0"><channel><title>t</title><link>https://e.org/</link>'
        f"<description>d</description><pubDate>{date}</pubDate>"
        f"<item><title>a</title><guid>https://e.org/a</guid><pubDate>{date}</pubDate></item>"
        "</channel></rss>"
    ).encode()


def atom(date: str) -> bytes:
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x:f</id>'
        f"<updated>{date}</updated><author><name>n</name></author>"
        f"<entry><title>a</title><id>urn:x:a</id><updated>{date}</updated>"
        f"<published>{date}</published><link href='https://e.org/a'/></entry></feed>"
    ).encode()


def jsonfeed(date: str) -> bytes:
    return (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": '
        f'[{{"id": "a", "content_text": "x", "date_published": "{date}", '
        f'"date_modified": "{date}"}}]}}'
    ).encode()


def messages(data: bytes) -> list[str]:
    return [i.message for i in validate(data, name="t", now=NOW).issues]


QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def assert_feed_words(data: bytes) -> None:
    for message in messages(data):
        # The feed's own values are quoted; what is outside the quotes is ours.
        assert not PYTHON.search(QUOTED.sub("", message)), message


digits = st.integers(0, 99).map(lambda n: f"{n:02d}")
zone822 = st.one_of(
    st.sampled_from(["GMT", "UT", "Z", "EST", "PDT", "A", "Y", "UTC", "+2400"]),
    st.tuples(st.sampled_from("+-"), digits, digits).map("".join),
)
rfc822 = st.tuples(
    st.sampled_from(["", "Mon, ", "Sun, "]), st.integers(0, 99), st.sampled_from(
        ["Jan", "Feb", "Apr", "Dec"]), st.sampled_from(["0000", "0001", "2024", "9999", "24"]),
    digits, digits, digits, zone822,
).map(lambda t: f"{t[0]}{t[1]} {t[2]} {t[3]} {t[4]}:{t[5]}:{t[6]} {t[7]}")
zone3339 = st.one_of(st.just("Z"), st.tuples(st.sampled_from("+-"), digits, digits).map(
    lambda t: f"{t[0]}{t[1]}:{t[2]}"))
rfc3339 = st.tuples(
    st.sampled_from(["0000", "0001", "2024", "9999"]), digits, digits, digits, digits, digits,
    zone3339,
).map(lambda t: f"{t[0]}-{t[1]}-{t[2]}T{t[3]}:{t[4]}:{t[5]}{t[6]}")


@settings(max_examples=300, deadline=None)
@given(rfc822)
@example("Mon, 01 Jan 2024 10:00:00 +3000")
@example("31 Dec 9999 23:00:00 -0200")
@example("01 Jan 0001 00:00:00 +0100")
def test_rss_date_messages_speak_of_the_feed(date: str) -> None:
    assert_feed_words(rss(date))


@settings(max_examples=300, deadline=None)
@given(rfc3339)
@example("9999-12-31T23:59:59-01:00")
@example("0001-01-01T00:00:00+01:00")
@example("2024-02-30T00:00:00Z")
def test_atom_and_json_date_messages_speak_of_the_feed(date: str) -> None:
    assert_feed_words(atom(date))
    assert_feed_words(jsonfeed(date))


def test_a_zone_of_thirty_hours_is_named_as_such() -> None:
    found = [m for m in messages(rss("Mon, 01 Jan 2024 10:00:00 +3000"))
             if "+3000" in m]
    assert found and all("zone offset is 24 hours or more" in m for m in found), found


def test_an_impossible_day_is_named_as_such() -> None:
    found = messages(atom("2025-04-31T00:00:00Z"))
    assert any("April 2025 has no day 31" in m for m in found), found


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
               max_size=40))
def test_any_text_as_a_date_gives_feed_words(value: str) -> None:
    escaped = value.replace("&", "&amp;").replace("<", "&lt;")
    escaped = "".join(c for c in escaped if c in "\t\n\r" or ord(c) >= 0x20)
    escaped = "".join(c for c in escaped if c not in "\ufffe\uffff")
    assert_feed_words(rss(escaped))
    assert_feed_words(atom(escaped))
