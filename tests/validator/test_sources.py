"""validate_sources: many inputs (files, URLs on 127.0.0.1, stdin) to reports, as a library call."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from tests.helpers import DATA
from tests.helpers import REPO
from tests.helpers import serving

import feedwright
from feedwright import Report
from feedwright import validate
from feedwright import validate_sources
from feedwright.validator.rules import RULES

GOOD = REPO / "feeds" / "rss.xml"
ATOM = REPO / "feeds" / "atom.xml"
#: Valid, with one warning (no self link): invalid only under --strict.
WARNS = DATA / "validate" / "rss-missing-self-link" / "fail_no_self.xml"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path == "/atom.xml":
            body, code, kind = ATOM.read_bytes(), 200, "application/atom+xml"
        elif self.path == "/as-html":
            body, code, kind = GOOD.read_bytes(), 200, "text/html; charset=utf-8"
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/atom.xml")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        else:
            body, code, kind = b"not here", 404, "text/plain"
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(Handler) as base:
        yield base


def codes(report: Report) -> list[str]:
    return [i.code for i in report.issues]


def test_is_public_api() -> None:
    assert "validate_sources" in feedwright.__all__
    assert feedwright.validate_sources is validate_sources


def test_files_in_input_order_with_unreadable_ones_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b'<?xml version="1.0"?>\n<rss version="2.0">\n  <channel>\n')
    missing = str(tmp_path / "missing.xml")
    specs = [str(GOOD), missing, str(broken), str(ATOM)]
    reports = validate_sources(specs, jobs=1)
    assert [r.path for r in reports] == specs
    assert [r.valid for r in reports] == [True, False, False, True]
    assert [r.format for r in reports] == ["rss2", "unknown", "unknown", "atom1"]
    [issue] = reports[1].issues
    rule = RULES["input-unreadable"]
    assert (issue.severity, issue.code) == (rule.severity, rule.code)
    assert issue.message == f"{rule.message}: no such file"
    assert codes(reports[2]) == ["xml-not-well-formed"]
    # a file's report is the one validate() gives its bytes
    assert reports[0] == validate(GOOD.read_bytes(), name=str(GOOD))


def test_urls_are_fetched_with_their_transport_checks(server: str) -> None:
    specs = [f"{server}/moved", f"{server}/as-html", f"{server}/gone"]
    moved, as_html, gone = validate_sources(specs, jobs=1, timeout=5)
    assert [moved.path, moved.format] == [specs[0], "atom1"]
    # the self link is checked against the URL the feed came from in the end
    assert "self-link-mismatch" in codes(moved)
    assert "http-unexpected-content-type" in codes(as_html)
    assert codes(gone) == ["input-unreadable"] and not gone.valid
    assert "404" in gone.issues[0].message


def test_stdin_is_read_for_dash() -> None:
    [report] = validate_sources(["-"], stdin=io.BytesIO(ATOM.read_bytes()), jobs=1)
    assert (report.path, report.format, report.valid) == ("-", "atom1", True)


def test_strict_and_max_bytes(tmp_path: Path) -> None:
    [lenient] = validate_sources([str(WARNS)], jobs=1)
    [strict] = validate_sources([str(WARNS)], strict=True, jobs=1)
    assert lenient.valid and not strict.valid
    assert {i.severity for i in strict.issues} == {"error"}
    [capped] = validate_sources([str(GOOD)], max_bytes=100, jobs=1)
    assert codes(capped) == ["input-unreadable"]
    assert "100-byte limit" in capped.issues[0].message


def test_on_report_sees_each_report_in_order(tmp_path: Path) -> None:
    seen: list[Report] = []
    specs = [str(GOOD), str(tmp_path / "nope.xml"), str(ATOM)]
    reports = validate_sources(specs, jobs=1, on_report=seen.append)
    assert seen == reports


def test_a_pool_gives_the_same_reports_in_the_same_order(tmp_path: Path) -> None:
    good, atom = GOOD.read_bytes(), ATOM.read_bytes()
    specs = []
    for n in range(20):  # enough to be worth a pool (parallel.MIN_PARALLEL)
        path = tmp_path / f"feed-{n:02d}.xml"
        if n % 3:
            path.write_bytes(atom)
        else:
            path.write_bytes(good[:-20] if n % 2 else good)  # cut short: not well-formed
        specs.append(str(path))
    specs.insert(7, str(tmp_path / "missing.xml"))
    seen: list[str] = []
    pooled = validate_sources(specs, jobs=2, on_report=lambda r: seen.append(r.path))
    assert pooled == validate_sources(specs, jobs=1)
    assert [r.path for r in pooled] == seen == specs
    assert not pooled[7].valid and any(not r.valid for r in pooled[8:])


# --- what reading makes ready: gzip, HTML pages; validate() on text -----------------------


def test_gunzip_is_bounded_and_leaves_other_bytes_alone() -> None:
    from feedwright.fetch import TooLargeError
    from feedwright.validator.sources import gunzip

    data = GOOD.read_bytes()
    assert gunzip(data, 10, "x") is data  # not gzip: untouched, whatever its size
    assert gunzip(gzip.compress(data), len(data), "x") == data
    with pytest.raises(TooLargeError, match="compression bomb"):
        gunzip(gzip.compress(data), len(data) - 1, "x")
    with pytest.raises(TooLargeError):  # the cap holds across members too
        gunzip(gzip.compress(data) + gzip.compress(data), len(data) + 10, "x")


def test_discover_replaces_a_page_by_its_feeds_in_page_order(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(
        "<!-- a comment first -->\n<!DOCTYPE HTML>\n<html><head>"
        f'<link rel="alternate feed" type="application/atom+xml" href="{ATOM.as_uri()}">'
        f'<link rel="alternate" type="application/rss+xml; charset=utf-8" href="{GOOD.as_uri()}">'
        f'<link rel="alternate" type="application/atom+xml" href="{ATOM.as_uri()}">'
        "</head><body></body></html>", encoding="utf-8")
    [told] = validate_sources([str(page)], jobs=1)
    assert (told.format, codes(told), told.issues[0].line) == ("unknown", ["unknown-format"], 3)
    found = validate_sources([str(page)], jobs=1, discover=True)
    assert [(r.path, r.format, r.valid) for r in found] == [
        (ATOM.as_uri(), "atom1", True), (GOOD.as_uri(), "rss2", True)]


def test_validate_takes_text_as_utf8_whatever_its_declaration_says() -> None:
    # a str is text already: the bytes a declared encoding describes are gone
    utf8 = GOOD.read_bytes()
    text = utf8.decode("utf-8")
    assert validate(text, name="t") == validate(utf8, name="t")
    assert text.startswith("<?xml version='1.0' encoding='UTF-8'?>")
    latin = text.replace("encoding='UTF-8'", 'encoding="ISO-8859-1"', 1).replace(
        "</title>", " café</title>", 1)
    assert latin != text
    report = validate(latin, name="t")
    assert report.valid and report.format == "rss2", report.issues
    # read as the UTF-16 it declares, the UTF-8 encoding of the text would not parse
    wide = text.replace("encoding='UTF-8'", "encoding='UTF-16'", 1)
    assert validate(wide, name="t") == validate(utf8, name="t")
    # positions stay where they are in the text: the same issue, the same place
    broken = latin.replace("<link>", "<link>\u00e9 ", 1).replace("<title>", "", 1)
    as_utf8 = broken.replace('encoding="ISO-8859-1"', 'encoding="utf-8"     ', 1)
    assert [(i.code, i.line, i.column) for i in validate(broken, name="t").issues] == [
        (i.code, i.line, i.column) for i in validate(as_utf8.encode(), name="t").issues]
    assert validate(broken, name="t").issues
    # a lone surrogate is reported as the bad character it is, never raised
    bad = validate(text.replace("</title>", "\ud800</title>", 1), name="t")
    assert not bad.valid and codes(bad)


def test_validate_names_an_html_page_and_its_feeds() -> None:
    page = ('<!doctype html><html><head><base href="https://example.org/blog/">'
            '<link rel="alternate" type="application/feed+json" href="../feed.json">'
            "</head></html>")
    report = validate(page.encode(), name="page", location="https://example.org/x/y.html")
    [issue] = report.issues
    assert issue.code == "unknown-format"
    assert "https://example.org/feed.json (JSON Feed)" in issue.message
