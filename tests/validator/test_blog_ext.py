"""The blog extension vocabularies' rules: W3CDTF dates, namespace gating, UTF-16 documents."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

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
            # RFC 5005's paging links need no namespace: fh-archive-link-to-
            # itself looks at the head's few links before it scans the bytes.
            if module is feed_history and helper == "head":
                continue
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


_SLOTS = (
    '<thr:in-reply-to ref="{v}" href="{v}" source="{v}" type="{v}"/>',
    '<link rel="{v}" href="{v}" thr:count="{v}" thr:updated="{v}" thr:when="{v}"/>',
    "<thr:total>{v}</thr:total>", "<dc:date>{v}</dc:date>", "<dc:language>{v}</dc:language>",
    "<dcterms:modified>{v}</dcterms:modified>", "<slash:comments>{v}</slash:comments>",
    "<slash:hit_parade>{v}</slash:hit_parade>", "<wfw:commentRss>{v}</wfw:commentRss>",
    '<trackback:ping rdf:resource="{v}">{v}</trackback:ping>',
    "<feedburner:origLink>{v}</feedburner:origLink>",
    '<feedburner:feedFlare href="{v}" src="{v}">{v}</feedburner:feedFlare>',
    "<creativeCommons:license>{v}</creativeCommons:license>",
    "<sy:updatePeriod>{v}</sy:updatePeriod>", "<sy:updateFrequency>{v}</sy:updateFrequency>",
    "<sy:updateBase>{v}</sy:updateBase>", '<xhtml:meta name="{v}" content="{v}"/>',
    "<app:edited>{v}</app:edited>", "<app:control><app:draft>{v}</app:draft></app:control>",
    '<access:restriction relationship="{v}"/>', "<fh:archive/><fh:complete/>",
)
_NS = " ".join(f'xmlns:{p}="{u}"' for p, u in (
    ("thr", _blog_ext.THR_NS), ("dc", _blog_ext.DC_NS), ("dcterms", _blog_ext.DCTERMS_NS),
    ("slash", _blog_ext.SLASH_NS), ("wfw", _blog_ext.WFW_NS), ("trackback", _blog_ext.TRACKBACK_NS),
    ("rdf", _blog_ext.RDF_NS), ("feedburner", _blog_ext.FEEDBURNER_NS),
    ("creativeCommons", _blog_ext.CREATIVE_COMMONS_NS), ("sy", _blog_ext.SY_NS),
    ("xhtml", _blog_ext.XHTML_NS), ("app", publishing.APP_NS), ("access", publishing.ACCESS_NS),
    ("fh", feed_history.FH_NS)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn"))),
                min_size=1, max_size=4),
       st.booleans())
def test_any_value_in_any_slot_yields_a_report(values: list[str], atom: bool) -> None:
    body = "".join(slot.replace('"{v}"', quoteattr(v)).replace("{v}", escape(v))
                   for slot in _SLOTS for v in values)
    if atom:
        doc = (f'<feed xmlns="http://www.w3.org/2005/Atom" {_NS} xml:base={quoteattr(values[0])}>'
               f"<title>t</title><id>urn:x:1</id><updated>2025-06-09T09:30:00Z</updated>{body}"
               f"<entry><title>e</title><id>urn:x:2</id><updated>2025-06-09T09:30:00Z</updated>"
               f"{body}</entry></feed>")
    else:
        doc = (f'<rss version="2.0" {_NS}><channel><title>t</title><link>https://e.org/</link>'
               f"<description>d</description>{body}<item><title>i</title>{body}</item>"
               "</channel></rss>")
    report = validate(doc.encode(), name="fuzz.xml", now=NOW)
    assert report.format == ("atom1" if atom else "rss2")
