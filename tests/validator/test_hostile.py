"""Hostile input: every fixture in data/hostile gets its error code at a place, fast, leak-free."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from tests.helpers import serving

from feedwright.validator import RULES
from feedwright.validator import Report
from feedwright.validator import validate
from feedwright.validator.report import REPORT_FORMATS
from feedwright.validator.report import to_json

HOSTILE = Path(__file__).parent.parent / "data" / "hostile"
VALID = Path(__file__).parent.parent / "data" / "validate-valid"
#: Generous for one small input on a slow CI core; real times are ~1 ms.
DEADLINE = 2.0

# fixture: (format, code, line, column) of the issue that must be reported.
EXPECTED = {
    "billion-laughs.xml": ("unknown", "xml-entity-expansion", 8, 3),
    "quadratic-blowup.xml": ("unknown", "xml-entity-expansion", 7, 158),
    "entity-loop.xml": ("unknown", "xml-entity-expansion", 3, 3),
    "external-entity-file.xml": ("rss2", "xml-external-entity", 3, 3),
    "external-entity-http.xml": ("rss2", "xml-external-entity", 3, 3),
    "external-parameter-entity.xml": ("unknown", "xml-external-entity", 3, 3),
    "external-dtd-rss091.xml": ("rss09x", "xml-external-dtd", 2, 1),
    "undefined-html-entity.xml": ("rss2", "xml-undefined-entity", 4, 19),
    "nul-byte.xml": ("unknown", "xml-nul-byte", 4, 14),
    "invalid-utf8.xml": ("unknown", "xml-invalid-encoding", 3, 11),
    "wrong-encoding-declaration.xml": ("unknown", "xml-encoding-mismatch", 4, 11),
    "declared-latin1-but-utf8.xml": ("rss2", "xml-utf8-declared-single-byte", 4, 11),
    "unknown-encoding.xml": ("unknown", "xml-invalid-encoding", 1, 31),
    "bom-mismatch.xml": ("unknown", "xml-bom-mismatch", 1, 1),
    "garbage.bin": ("unknown", "xml-not-well-formed", 1, 1),
    "empty.xml": ("unknown", "xml-empty-document", 1, 1),
    "whitespace-only.xml": ("unknown", "xml-empty-document", 1, 1),
    "not-well-formed.xml": ("unknown", "xml-not-well-formed", 4, 11),
    "truncated.xml": ("unknown", "xml-not-well-formed", 5, 14),
    "deep-nesting.xml": ("unknown", "xml-too-large", 2, 5383),
    "html-page.html": ("unknown", "unknown-format", 2, 1),
    "broken.json": ("jsonfeed1", "json-not-well-formed", 4, 13),
    # 5,000 levels: past the parser's recursion limit; the issue names level 257.
    "deep-nesting.json": ("jsonfeed1", "json-too-large", 6, 267),
    "huge-number.json": ("jsonfeed1", "json-too-large", 6, 9),
    "nan.json": ("jsonfeed1", "json-not-well-formed", 6, 13),
    "invalid-utf8.json": ("jsonfeed1", "json-invalid-encoding", 6, 22),
    "nul-byte.json": ("jsonfeed1", "json-not-well-formed", 6, 25),
    "bom.json": ("jsonfeed1", "json-byte-order-mark", 1, 1),
    "top-level-array.json": ("unknown", "unknown-format", 2, 3),
    "null.json": ("unknown", "unknown-format", 1, 1),
    "garbage.json": ("jsonfeed1", "json-not-well-formed", 3, 3),
}


def timed_validate(data: bytes, name: str, **kwargs: object) -> Report:
    started = time.perf_counter()
    report = validate(data, name=name, **kwargs)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    assert elapsed < DEADLINE, f"{name}: {elapsed:.2f} s"
    return report


def test_every_fixture_has_an_expectation() -> None:
    on_disk = {p.name for p in HOSTILE.iterdir() if p.suffix != ".py"}
    controls = {"internal-entity-ok.xml", "utf16-with-bom.xml"}
    assert on_disk == set(EXPECTED) | controls


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_fixture_reports_its_code_at_its_place(name: str) -> None:
    fmt, code, line, column = EXPECTED[name]
    report = timed_validate((HOSTILE / name).read_bytes(), name)
    assert report.format == fmt
    assert (code, line, column) in [(i.code, i.line, i.column) for i in report.issues]
    assert report.valid is (RULES[code].severity == "warning")
    assert "root:" not in to_json([report])  # no /etc/passwd contents, ever


@pytest.mark.parametrize("name", ["internal-entity-ok.xml", "utf16-with-bom.xml"])
def test_controls_parse_as_rss2(name: str) -> None:
    # Internal entities are expanded; UTF-16 with a BOM is fine.
    report = timed_validate((HOSTILE / name).read_bytes(), name)
    assert report.format == "rss2"
    assert report.valid
    assert not [i for i in report.issues if i.code.startswith("xml-")]


def test_document_over_the_size_cap_is_refused_unparsed() -> None:
    data = (VALID / "wordpress-style-rss2.xml").read_bytes()
    report = timed_validate(data, "big.xml", max_bytes=len(data) - 1)
    assert [(i.code, i.line) for i in report.issues] == [("xml-too-large", None)]
    assert f"{len(data):,} bytes" in report.issues[0].message


def test_json_over_the_size_cap_is_refused_with_the_json_code() -> None:
    data = b'{"version": "https://jsonfeed.org/version/1.1", "title": "' + b"x" * 1000 + b'"}'
    report = timed_validate(data, "big.json", max_bytes=len(data) - 1)
    assert report.format == "jsonfeed1"
    assert [(i.code, i.line) for i in report.issues] == [("json-too-large", None)]


#: A 60 MB string: over the default cap; with the cap raised, read in bounded
#: time (C-level json.loads and a regex scan to the value after it).
HUGE = 60_000_000


def _huge_string_feed() -> bytes:
    return (b'{"version": "https://jsonfeed.org/version/1.1", "title": "t",\n'
            b' "feed_url": "https://example.org/feed.json",\n "items": [{"id": "a", '
            b'"content_html": "' + b"\\\"x" * (HUGE // 3) + b'",\n "url": "/relative"}]}\n')


def test_60_mb_json_string_hits_the_default_size_cap() -> None:
    report = timed_validate(_huge_string_feed(), "huge.json")
    assert [i.code for i in report.issues] == ["json-too-large"]
    assert report.format == "jsonfeed1"


def test_60_mb_json_string_under_a_raised_cap_is_checked_in_bounded_time() -> None:
    data = _huge_string_feed()
    started = time.perf_counter()
    report = validate(data, name="huge.json", max_bytes=2 * len(data))
    elapsed = time.perf_counter() - started
    assert elapsed < 10 * DEADLINE, f"{elapsed:.1f} s"
    # The finding after the string is placed exactly, and its message is short.
    assert [(i.code, i.line, i.column) for i in report.issues] == [
        ("feed-too-large-for-readers", None, None), ("jsonfeed-invalid-url", 4, 9)]
    assert len(to_json([report])) < 2_000


def test_100_000_open_brackets_are_an_issue_at_their_place() -> None:
    data = b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 100_000
    report = timed_validate(data, "brackets.json")
    assert [(i.code, i.line, i.column) for i in report.issues] == [("json-too-large", 1, 313)]


def test_huge_text_node_is_refused_not_parsed_as_huge_tree() -> None:
    data = b'<rss version="2.0"><channel><title>' + b"x" * 11_000_000 + b"</title></channel></rss>"
    report = timed_validate(data, "huge-node.xml")
    assert [i.code for i in report.issues] == ["xml-too-large"]


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        _Recorder.hits.append(self.path)
        body = b'<!ENTITY leak "LEAKED">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def listener() -> Iterator[str]:
    _Recorder.hits = []
    with serving(_Recorder) as url:
        yield url


@pytest.mark.parametrize("template", [
    b'<!DOCTYPE rss [<!ENTITY x SYSTEM "{url}/entity">]>\n<rss version="2.0">&x;</rss>',
    b'<!DOCTYPE rss [<!ENTITY % p SYSTEM "{url}/pe"> %p;]>\n<rss version="2.0">&leak;</rss>',
    b'<!DOCTYPE rss SYSTEM "{url}/dtd">\n<rss version="2.0">&leak;</rss>',
    b'<?xml-stylesheet href="{url}/xsl"?>\n<rss version="2.0" xmlns:xi="http://www.w3.org/2001/'
    b'XInclude"><xi:include href="{url}/xi"/></rss>',
])
def test_nothing_is_ever_fetched(listener: str, template: bytes) -> None:
    data = template.replace(b"{url}", listener.encode())
    report = timed_validate(data, "ssrf.xml")
    assert _Recorder.hits == []
    assert "LEAKED" not in to_json([report])


# --- fuzzing -------------------------------------------------------------------

_TOKENS = [b"&", b"<", b">", b"&amp", b"&lol;", b"&#0;", b"&#xD800;", b"\x00", b"\xff", b"\xc3",
           b"]]>", b"<!--", b"<![CDATA[", b"<?xml", b"\xef\xbb\xbf", b'"', b"</channel>",
           b'<!DOCTYPE rss [<!ENTITY a "&a;">]>', b"<atom:link/>", b"xmlns:a='urn:a'"]


def _mutate(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 3)):
        n = len(data)
        i, j = sorted((rng.randrange(n + 1), rng.randrange(n + 1)))
        kind = rng.randrange(5)
        if kind == 0 and n:  # byte flips
            buf = bytearray(data)
            for _ in range(rng.randint(1, 4)):
                buf[rng.randrange(n)] = rng.randrange(256)
            data = bytes(buf)
        elif kind == 1:  # truncation
            data = data[:i]
        elif kind == 2:  # duplicated span
            data = data[:j] + data[i:j] + data[j:]
        elif kind == 3:  # deleted span
            data = data[:i] + data[j:]
        else:  # inserted markup, entities, NULs, stray bytes
            data = data[:i] + rng.choice(_TOKENS) + data[i:]
    return data


def _check(report: Report) -> None:
    assert isinstance(report, Report)
    assert report.format in REPORT_FORMATS
    for issue in report.issues:
        assert issue.code in RULES, issue.code
        assert issue.severity == RULES[issue.code].severity


def _seeds() -> list[bytes]:
    return [p.read_bytes() for p in sorted(VALID.glob("*.xml"))] + [
        (HOSTILE / "internal-entity-ok.xml").read_bytes()
    ]


_JSON_TOKENS = [b"{", b"}", b"[", b"]", b'"', b",", b":", b"\\", b"\\u", b'"\\ud800"', b"NaN",
                b"-Infinity", b"1e999", b"9" * 5000, b"\x00", b"\xff", b"\xc3", b"\xef\xbb\xbf",
                b"null", b"true", b'"_a.b": 1,', b'"id": 1,', b'"id": "a",', b'"author": {},',
                b'"date_published": "2025-13-01",', b'"url": "/x",', b"[" * 300, b'"items": 1,']
_JSON_VALID = Path(__file__).parent.parent / "data" / "validate" / "valid"


def test_fuzzed_json_feeds_always_yield_a_report_fast() -> None:
    rng = random.Random(4321)
    seeds = [p.read_bytes() for p in sorted(_JSON_VALID.glob("*.json"))]
    codes: set[str] = set()
    for n in range(800):
        data = rng.choice(seeds)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(data) + 1)
            if rng.random() < 0.5:
                data = data[:i] + rng.choice(_JSON_TOKENS) + data[i:]
            else:
                data = _mutate(rng, data)
        report = timed_validate(data, f"mutant-{n}.json")
        _check(report)
        codes.update(i.code for i in report.issues)
    # The mutations reach the hostile paths and the schema, not just the happy one.
    assert {"json-not-well-formed", "json-invalid-encoding", "jsonfeed-schema"} <= codes


def test_fuzzed_feeds_always_yield_a_report_fast() -> None:
    rng = random.Random(1234)
    seeds = _seeds()
    codes: set[str] = set()
    for n in range(1200):
        data = _mutate(rng, rng.choice(seeds))
        report = timed_validate(data, f"mutant-{n}")
        _check(report)
        codes.update(i.code for i in report.issues)
    # The mutations really reach the hostile paths, not just the happy one.
    assert {"xml-not-well-formed", "xml-invalid-encoding", "xml-nul-byte"} <= codes
    assert codes & {"rss-schema", "atom-schema"}


@settings(derandomize=True, max_examples=300, deadline=None, database=None)
@given(st.lists(st.sampled_from(_TOKENS + [b"<rss version='2.0'>", b"<channel>", b"<title>",
                                           b"x", b"\n", b"</title>", b"<feed xmlns="
                                           b"'http://www.w3.org/2005/Atom'>"]), max_size=40),
       st.binary(max_size=64))
def test_arbitrary_token_soup_yields_a_report(tokens: list[bytes], tail: bytes) -> None:
    _check(timed_validate(b"".join(tokens) + tail, "soup"))
