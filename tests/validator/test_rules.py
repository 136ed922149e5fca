"""Rules against data files that carry their own expectations (feedparser style).

Each ``tests/data/validate/<code>/fail_*.xml`` names what it must trigger in
``<!-- Expect: <code> <line>:<col> -->`` comments, and nothing else.  ``*``
instead of a position marks an overlapping layer issue (the schema's) that
may appear any number of times, anywhere: the schema layer is free to drop
what a rule already explains.  ``pass_*.xml`` there must not trigger
``<code>``; ``valid/*.xml`` must produce no issue at all, plain and
``--strict``.  ``<!-- Options: strict location=URL -->`` sets validate()'s
arguments.

JSON has no comments: a ``fail_*.json`` carries the same words in a JSON Feed
extension, which every reader ignores: ``"_expect": ["<code> <line>:<col>",
…]`` and ``"_options": "strict location=URL"``.  ``pass_*.json`` and
``valid/*.json`` work as their XML kin.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from feedwright.validator import validate
from feedwright.validator.rules import RULES
from feedwright.validator.rules._dates import parse_rfc822
from feedwright.validator.rules._dates import parse_rfc3339

DATA = Path(__file__).resolve().parent.parent / "data" / "validate"
#: Fixed reference time: fixtures are dated 2025.
NOW = datetime(2026, 1, 1, tzinfo=UTC)

_EXPECT = re.compile(r"<!--\s*Expect:\s*([a-z0-9-]+)\s+(\*|(\d+):(\d+))\s*-->")
_OPTIONS = re.compile(r"<!--\s*Options:([^>]*?)-->")
_JSON_EXPECT = re.compile(r"([a-z0-9-]+)\s+(\*|\d+:\d+)\Z")


def _checked_codes() -> set[str]:
    return {code for code, r in RULES.items() if r.check is not None}


def _fixtures(prefix: str) -> list[Path]:
    codes = _checked_codes()
    return sorted(
        p for suffix in ("xml", "json") for p in DATA.glob(f"*/{prefix}_*.{suffix}")
        if p.parent.name in codes
    )


def _expectations(path: Path, text: str) -> list[tuple[str, str]]:
    """(code, "line:col" or "*") for each expectation the fixture states."""
    if path.suffix != ".json":
        return [(m.group(1), m.group(2)) for m in _EXPECT.finditer(text)]
    stated = json.loads(text).get("_expect", [])
    found = [_JSON_EXPECT.match(item) for item in stated]
    assert all(found), f"malformed _expect entry in {path.name}: {stated}"
    return [(m.group(1), m.group(2)) for m in found if m]


def _options(text: str) -> dict[str, object]:
    opts: dict[str, object] = {}
    if text.lstrip().startswith("{"):
        words = str(json.loads(text).get("_options", ""))
    else:
        m = _OPTIONS.search(text)
        words = m.group(1) if m else ""
    for token in words.split():
        if token == "strict":
            opts["strict"] = True
        elif token.startswith("location="):
            opts["location"] = token.split("=", 1)[1]
    return opts


def _run(path: Path, **override: object) -> tuple[str, list[tuple[str, int | None, int | None]]]:
    data = path.read_bytes()
    text = data.decode("utf-8", "replace")
    opts = {**_options(text), **override}
    report = validate(data, name=str(path), now=NOW, **opts)  # type: ignore[arg-type]
    return text, [(i.code, i.line, i.column) for i in report.issues]


def _id(p: Path) -> str:
    return f"{p.parent.name}/{p.stem}"


@pytest.mark.parametrize("path", _fixtures("fail"), ids=_id)
def test_fail_fixture_triggers_exactly_what_it_expects(path: Path) -> None:
    text, got = _run(path)
    expected = _expectations(path, text)
    assert expected, "fixture has no Expect header"
    assert path.parent.name in {code for code, _ in expected}
    wildcard = {code for code, where in expected if where == "*"}
    exact = Counter((code, where) for code, where in expected if where != "*")
    actual = Counter(
        (code, f"{line}:{col}") for code, line, col in got if code not in wildcard
    )
    assert actual == exact


@pytest.mark.parametrize("path", _fixtures("pass"), ids=_id)
def test_pass_fixture_does_not_trigger_its_rule(path: Path) -> None:
    _, got = _run(path)
    assert path.parent.name not in {code for code, _, _ in got}


VALID = sorted([*DATA.glob("valid/*.xml"), *DATA.glob("valid/*.json")])


@pytest.mark.parametrize("strict", [False, True], ids=["plain", "strict"])
@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_feed_has_no_issue(path: Path, strict: bool) -> None:
    _, got = _run(path, strict=strict)
    assert got == []


def test_there_are_valid_feeds_of_every_format_checked_in_depth() -> None:
    formats = {validate(p.read_bytes(), name=p.name, now=NOW).format for p in VALID}
    assert {"rss2", "atom1", "jsonfeed1"} <= formats


# --- dates ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("Tue, 10 Jun 2025 04:00:00 GMT", "ok"),
        ("10 Jun 2025 04:00 +0530", "ok"),
        ("Tue, 10 Jun 2025 04:00:00 Z", "ok"),
        ("Tue, 10 Jun 2025 04:00:00 UTC", "invalid"),
        ("Tue, 10 Jun 25 04:00:00 GMT", "problematic"),
        ("Tue, 10 Jun 2025 04:00:00", "invalid"),
        ("tue, 10 jun 2025 04:00:00 gmt", "problematic"),
        ("Wed, 10 Jun 2025 04:00:00 GMT", "dow"),
        ("31 Apr 2025 04:00:00 GMT", "invalid"),
        ("10 Jun 2025 25:00:00 GMT", "invalid"),
        ("2025-06-10T04:00:00Z", "invalid"),
        ("", "invalid"),
        ("Tue, 10 Jun 99999 04:00:00 GMT", "invalid"),
    ],
)
def test_rfc822_verdicts(value: str, status: str) -> None:
    assert parse_rfc822(value).status == status


def test_rfc822_reads_zones() -> None:
    a = parse_rfc822("Tue, 10 Jun 2025 04:00:00 EDT").value
    b = parse_rfc822("Tue, 10 Jun 2025 08:00:00 +0000").value
    assert a == b


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2025-06-10T04:00:00Z", True),
        ("2025-06-10T04:00:00.123+02:00", True),
        ("2025-06-10T04:00:00", False),
        ("2025-06-10", False),
        ("2025-02-29T04:00:00Z", False),
        ("2024-02-29T04:00:00Z", True),
        ("2025-06-10 04:00:00Z", False),
        ("2025-06-10T04:00:00+24:00", False),
    ],
)
def test_rfc3339_verdicts(value: str, ok: bool) -> None:
    assert (parse_rfc3339(value).status == "ok") is ok


def _rss(pub: str, extra: str = "") -> bytes:
    return f"""<rss version="2.0"><channel><title>t</title><link>https://e.org/</link>
<description>d</description>{extra}<item><title>a</title><pubDate>{pub}</pubDate></item>
</channel></rss>""".encode()


def _codes(data: bytes, **kw: object) -> set[str]:
    kw.setdefault("now", NOW)
    return {i.code for i in validate(data, name="t", **kw).issues}  # type: ignore[arg-type]


def test_date_in_future_has_a_day_of_slack_unless_strict() -> None:
    soon = _rss("Thu, 01 Jan 2026 12:00:00 +0000")
    assert "date-in-future" not in _codes(soon)
    assert "date-in-future" in _codes(soon, strict=True)
    later = _rss("Sat, 03 Jan 2026 00:00:00 +0000")
    assert "date-in-future" in _codes(later)


def test_date_in_future_uses_now() -> None:
    data = _rss("Sat, 03 Jan 2026 00:00:00 +0000")
    assert "date-in-future" not in _codes(data, now=NOW + timedelta(days=3))


def test_feed_date_rule_runs_only_when_strict() -> None:
    data = _rss("Tue, 10 Jun 2025 04:00:00 GMT",
                "<lastBuildDate>Mon, 09 Jun 2025 04:00:00 GMT</lastBuildDate>")
    assert "feed-date-not-newest-entry" not in _codes(data)
    assert "feed-date-not-newest-entry" in _codes(data, strict=True)


def test_rss_feed_date_may_be_later_than_every_pubdate() -> None:
    """RSS items show no edit date: a later lastBuildDate may be an edit (Atom: equal)."""
    data = _rss("Tue, 10 Jun 2025 04:00:00 GMT",
                "<lastBuildDate>Wed, 11 Jun 2025 04:00:00 GMT</lastBuildDate>")
    assert "feed-date-not-newest-entry" not in _codes(data, strict=True)


def test_feed_date_compares_instants_not_strings() -> None:
    data = _rss("Tue, 10 Jun 2025 04:00:00 GMT",
                "<lastBuildDate>Tue, 10 Jun 2025 06:00:00 +0200</lastBuildDate>")
    assert "feed-date-not-newest-entry" not in _codes(data, strict=True)


def test_self_link_is_compared_only_with_a_location() -> None:
    path = DATA / "valid" / "rss_rich.xml"
    data = path.read_bytes()
    assert "self-link-mismatch" not in _codes(data)
    assert "self-link-mismatch" in _codes(data, location="https://staging.example.org/rss.xml")
    same = "HTTPS://blog.example.org:443/feeds/rss.xml"
    assert "self-link-mismatch" not in _codes(data, location=same)


def test_equal_dates_are_in_order() -> None:
    item = "<item><title>{0}</title><pubDate>Tue, 10 Jun 2025 04:00:00 GMT</pubDate></item>"
    data = (
        '<rss version="2.0"><channel><title>t</title><link>https://e.org/</link>'
        "<description>d</description>" + item.format("a") + item.format("b")
        + "</channel></rss>"
    ).encode()
    assert "entries-not-newest-first" not in _codes(data)


# --- robustness: rules meet any well-formed document ----------------------

_RSS_NAMES = ["channel", "item", "title", "link", "description", "guid", "pubDate",
              "lastBuildDate", "author", "enclosure", "image", "url", "width", "height",
              "skipHours", "hour", "skipDays", "day", "ttl", "language", "category",
              "content:encoded", "dc:date", "dc:creator", "atom:link", "source", "comments"]
_ATOM_NAMES = ["entry", "title", "id", "updated", "published", "link", "content",
               "summary", "author", "name", "email", "uri", "source", "subtitle", "rights",
               "icon", "logo", "generator", "category", "contributor"]
_VALUES = st.sampled_from(
    ["", " ", "0", "-1", "25", "x", "https://e.org/a b", "/rel", "tag:", "urn:uuid:1",
     "Tue, 10 Jun 2025 04:00:00 GMT", "2025-06-10T04:00:00Z", "30 Feb 2025 04:00 GMT",
     "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "&lt;b&gt;", "\u0085",
     "<![CDATA[<script>x</script><a href='/r'>]]>", "xhtml", "html", "text", "a/b",
     "alternate", "self", "false", "Monday", "en", "english"]
)
_ATTRS = st.sampled_from(["", ' rel="self"', ' type="xhtml"', ' type="html"', ' src="/x"',
                          ' href="/x"', ' isPermaLink="false"', ' xml:lang="zz"',
                          ' url="x" length="-1" type="y"', ' xml:base="/b/"'])


def _tree(names: list[str]) -> st.SearchStrategy[str]:
    leaf = st.tuples(st.sampled_from(names), _ATTRS, _VALUES).map(
        lambda t: f"<{t[0]}{t[1]}>{t[2]}</{t[0]}>"
    )
    return st.recursive(
        leaf,
        lambda kids: st.tuples(st.sampled_from(names), _ATTRS, st.lists(kids, max_size=4)).map(
            lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}</{t[0]}>"
        ),
        max_leaves=12,
    )


_NS = ('xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" '
       'xmlns:content="http://purl.org/rss/1.0/modules/content/"')


@settings(max_examples=150, deadline=None)
@given(body=st.lists(_tree(_RSS_NAMES), max_size=4), strict=st.booleans())
def test_rules_never_raise_on_odd_rss(body: list[str], strict: bool) -> None:
    data = f'<rss version="2.0" {_NS}>{"".join(body)}</rss>'.encode()
    validate(data, name="t", now=NOW, strict=strict, location="https://e.org/feed")


@settings(max_examples=150, deadline=None)
@given(body=st.lists(_tree(_ATOM_NAMES), max_size=4), strict=st.booleans())
def test_rules_never_raise_on_odd_atom(body: list[str], strict: bool) -> None:
    data = f'<feed xmlns="http://www.w3.org/2005/Atom">{"".join(body)}</feed>'.encode()
    validate(data, name="t", now=NOW, strict=strict, location="https://e.org/feed")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-be"])
def test_a_bad_xml_base_is_found_in_any_encoding(encoding: str) -> None:
    """atom-invalid-uri searches for xml:base only when the bytes may hold
    it; UTF-16 does not write it as ASCII bytes, so there it always searches."""
    text = (f'<?xml version="1.0" encoding="{encoding.upper()}"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.org/a b/">'
            "<title>t</title><id>urn:x:1</id><updated>2026-01-01T00:00:00Z</updated>"
            "<author><name>a</name></author></feed>")
    report = validate(text.encode(encoding), name="t", now=NOW)
    assert [i.message for i in report.issues if i.code == "atom-invalid-uri"] == [
        "not a valid IRI reference: xml:base 'http://example.org/a b/' contains ' '"]
