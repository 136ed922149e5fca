"""The blog extension vocabularies' rules: W3CDTF dates, namespace gating, UTF-16 documents."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest

from feedwright.validator import validate
from feedwright.validator.rules import _blog_ext
from feedwright.validator.rules import comments
from feedwright.validator.rules import dublin_core
from feedwright.validator.rules import feed_history
from feedwright.validator.rules import feedburner
from feedwright.validator.rules import licenses
from feedwright.validator.rules import publishing
from feedwright.validator.rules import syndication
from feedwright.validator.rules import threading
from feedwright.validator.rules import xhtml_meta
from feedwright.validator.rules._blog_ext import w3cdtf_problem

DATA = Path(__file__).resolve().parent.parent / "data" / "validate"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
VOCABULARIES = (_blog_ext.ADMIN_NS, _blog_ext.CC_NS, _blog_ext.CREATIVE_COMMONS_NS,
                _blog_ext.DC_NS, _blog_ext.DCTERMS_NS, _blog_ext.FEEDBURNER_NS, feed_history.FH_NS,
                _blog_ext.SLASH_NS, _blog_ext.SY_NS, _blog_ext.THR_NS, threading.OLD_THR_NS,
                _blog_ext.TRACKBACK_NS, _blog_ext.WFW_NS, _blog_ext.XHTML_NS,
                publishing.APP_NS, publishing.ACCESS_NS)
MODULES = (comments, dublin_core, feed_history, feedburner, licenses, publishing, syndication,
           threading, xhtml_meta)


@pytest.mark.parametrize(
    "value",
    ["2025", "2025-06", "2025-06-09", "2025-06-09T09:30Z", "2025-06-09T09:30:00+02:00",
     "2025-06-09T09:30:00.25-05:00", " 2025-06-09T09:30:00Z "],
)
def test_w3cdtf_accepts(value: str) -> None:
    assert w3cdtf_problem(value) is None


@pytest.mark.parametrize(
    ("value", "why"),
    [("2025-06-09T09:30:00", "no time zone"), ("Mon, 09 Jun 2025 09:30:00 GMT", "not a W3C"),
     ("2025-02-30", "day is out of range"), ("2025-13", "month out of range"),
     ("2025-06-09T24:00Z", "time out of range"), ("2025-06-09T09:30:00 Z", "not a W3C"),
     ("", "not a W3C")],
)
def test_w3cdtf_refuses(value: str, why: str) -> None:
    problem = w3cdtf_problem(value)
    assert problem is not None and why in problem


def test_rules_do_not_walk_a_document_without_their_namespaces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The build gate validates every feed we write, and they use none of these
    # vocabularies: without the namespace, no rule may look past the bytes.
    def walked(*_: object) -> object:
        raise AssertionError("a blog-extension rule walked a feed without its namespace")

    for module in MODULES:
        for helper in ("head", "holders", "entry_elements"):
            if hasattr(module, helper):
                monkeypatch.setattr(module, helper, walked)
    for path in sorted(DATA.glob("valid/*.xml")):
        data = path.read_bytes()
        for ns in VOCABULARIES:
            data = data.replace(ns.encode(), ns.replace("http://", "urn:x-other:").encode())
        validate(data, name=path.name, now=NOW)


def test_utf16_document_is_judged_too() -> None:
    fixture = DATA / "thr-invalid-count" / "fail_negative_total.xml"
    text = fixture.read_text(encoding="utf-8").replace('encoding="utf-8"', 'encoding="utf-16"')
    report = validate(text.encode("utf-16"), name="utf16.xml", now=NOW)
    assert "thr-invalid-count" in {i.code for i in report.issues}


def test_malformed_base_is_reported_not_raised() -> None:
    feed = (DATA / "fh-link-past-end" / "fail_last_page_with_next.xml").read_text()
    feed = feed.replace('<feed xmlns="http://www.w3.org/2005/Atom"',
                        '<feed xml:base="http://[broken/" xmlns="http://www.w3.org/2005/Atom"')
    report = validate(feed.encode(), name="broken-base.xml", now=NOW)
    assert report.format == "atom1"


@pytest.mark.parametrize(
    ("text", "non_negative", "positive"),
    [("0", True, False), ("12", True, True), ("+3", True, True), ("-0", True, False),
     ("-1", False, False), ("007", True, True), ("2.5", False, False), ("", False, False),
     ("+", False, False), (" 4 ", True, True), ("9" * 5000, True, True), ("1e3", False, False)],
)
def test_integers(text: str, non_negative: bool, positive: bool) -> None:
    assert _blog_ext.non_negative_integer(text) is non_negative
    assert _blog_ext.positive_integer(text) is positive
