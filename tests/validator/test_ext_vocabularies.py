"""Extension vocabularies (Media RSS, geo, FeedSync): found wherever declared, free when absent."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest
from lxml import etree

from feedwright.validator import validate
from feedwright.validator.document import Document
from feedwright.validator.rules import RULES
from feedwright.validator.rules import Check
from feedwright.validator.rules._ext import declared
from feedwright.validator.rules._syntax import WHOLE_NUMBER_CAP
from feedwright.validator.rules._syntax import whole_number

NOW = datetime(2026, 1, 1, tzinfo=UTC)
VOCABULARIES = ("media-", "geo-", "feedsync-")
EXT_RULES = [r for code, r in RULES.items() if code.startswith(VOCABULARIES)]

HEAD = """<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"{decls}>
  <channel>
    <title>Example</title>
    <link>https://example.org/</link>
    <description>An example feed.</description>
    <atom:link href="https://example.org/feed.xml" rel="self" type="application/rss+xml"/>
    <item>
      <title>Post 1</title>
      <link>https://example.org/posts/1/</link>
      <description>{description}</description>
      <guid>https://example.org/posts/1/</guid>
      <pubDate>Mon, 09 Jun 2025 09:30:00 +0000</pubDate>
      {item}
    </item>
  </channel>
</rss>
"""


def _feed(item: str = "", decls: str = "", description: str = "Summary.") -> str:
    return HEAD.format(item=item, decls=decls, description=description)


def _codes(data: bytes) -> list[str]:
    return [i.code for i in validate(data, name="t.xml", now=NOW).issues]


def test_vocabularies_have_rules() -> None:
    assert {r.code.split("-")[0] for r in EXT_RULES} == {"media", "geo", "feedsync"}


def test_namespace_declared_on_the_element_itself_is_found() -> None:
    item = ('<media:content xmlns:media="http://search.yahoo.com/mrss/" '
            'url="https://example.org/v.mp4" medium="8-track"/>')
    assert _codes(_feed(item).encode()) == ["media-invalid-content-attribute"]


def test_utf16_document_is_checked() -> None:
    text = _feed('<geo:lat>91</geo:lat><geo:long>0</geo:long>',
                 ' xmlns:geo="http://www.w3.org/2003/01/geo/wgs84_pos#"')
    data = ('<?xml version="1.0" encoding="utf-16"?>\n' + text).encode("utf-16")
    assert _codes(data) == ["geo-invalid-latitude"]


def test_wrong_namespace_quoted_in_text_is_not_a_declaration() -> None:
    said = 'Declare xmlns:media="http://search.yahoo.com/mrss" and it breaks.'
    assert _codes(_feed(description=said).encode()) == []


class _Untouchable:
    """A root that fails the test when a rule walks it."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"a vocabulary rule walked a document without it ({name})")


@pytest.mark.parametrize("fmt", ["rss2", "atom1"])
def test_rules_never_walk_a_document_without_their_namespaces(fmt: str) -> None:
    # The build gate validates every feed we write, and ours use none of
    # these vocabularies: the one shared scan for declarations must settle it.
    data = _feed().encode()
    doc = Document(name="t.xml", data=data, root=etree.fromstring(data), format=fmt, now=NOW)
    declared(doc)  # the scan every vocabulary shares, memoised
    doc.root = _Untouchable()  # type: ignore[assignment]
    for r in EXT_RULES:
        check: Check = r.check  # type: ignore[assignment]
        assert list(check(doc)) == []


def test_rules_walk_a_document_with_their_namespace() -> None:
    # The near miss of the test above: with the namespace declared, the
    # untouchable root is touched.
    data = _feed(decls=' xmlns:media="http://search.yahoo.com/mrss/"').encode()
    doc = Document(name="t.xml", data=data, root=etree.fromstring(data), format="rss2", now=NOW)
    declared(doc)
    doc.root = _Untouchable()  # type: ignore[assignment]
    media = [r for r in EXT_RULES if r.code == "media-invalid-hash"]
    check: Check = media[0].check  # type: ignore[assignment]
    with pytest.raises(AssertionError, match="walked"):
        list(check(doc))


def test_parsed_root_of_fixture_kind() -> None:
    # Sanity for the helper above: the feed parses and carries no issue.
    data = _feed().encode()
    assert etree.fromstring(data).tag == "rss"
    assert _codes(data) == []


@pytest.mark.parametrize("number", ["9" * 5000, "0" * 5000, "+" + "1" * 4301])
def test_numbers_longer_than_python_converts_are_judged_not_crashed_on(number: str) -> None:
    # int() refuses strings of more than 4,300 digits; a feed may hold any.
    media = ('<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
             "<title>t</title><link>https://e.org/</link><description>d</description>"
             f'<item><title>x</title><media:content url="https://e.org/a.mp3" width="{number}"'
             f' fileSize="{number}"/></item></channel></rss>')
    codes = [i.code for i in validate(media.encode(), name="t.xml", now=NOW).issues]
    assert ("media-invalid-number" in codes) == (number.strip("+0") == "")
    assert whole_number(number) == (0 if number.strip("+0") == "" else WHOLE_NUMBER_CAP)


def test_empty_default_namespace_undeclaration_is_read_not_crashed_on() -> None:
    # xmlns="" takes an element out of the default namespace; the scan once
    # read its empty value as absent and validate crashed ("internal error").
    item = ('<media:content xmlns:media="http://search.yahoo.com/mrss/" '
            'url="https://example.org/v.mp4" medium="8-track"/><x xmlns="">1</x>')
    assert "media-invalid-content-attribute" in _codes(_feed(item).encode())


def test_undeclaring_the_default_namespace_is_no_declaration() -> None:
    # xmlns="" takes the default namespace away (W3C's missing_xhtml_ns.xml
    # does it inside XHTML content); it crashed the byte scan that preceded
    # the tree walk.  A media:content below it is still found.
    item = ('<category xmlns="">c</category><media:content url="https://example.org/v.mp4" '
            'medium="8-track"/>')
    data = _feed(item, ' xmlns:media="http://search.yahoo.com/mrss/"').encode()
    doc = Document(name="t.xml", data=data, root=etree.fromstring(data), format="rss2", now=NOW)
    assert declared(doc) == {"http://www.w3.org/2005/Atom", "http://search.yahoo.com/mrss/"}
    assert _codes(data) == ["media-invalid-content-attribute"]
