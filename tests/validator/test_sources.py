"""validate_sources: many inputs (files, URLs on 127.0.0.1, stdin) to reports, as a library call."""

from __future__ import annotations

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
