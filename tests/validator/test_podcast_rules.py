"""Podcast vocabularies (iTunes, Podcasting 2.0, Conversations Network): beyond the fixtures."""

from __future__ import annotations

import uuid
from datetime import UTC
from datetime import datetime
from pathlib import Path

from lxml import etree

from feedwright.validator import validate
from feedwright.validator.document import Document
from feedwright.validator.rules import RULES
from feedwright.validator.rules import conversations_network
from feedwright.validator.rules import itunes
from feedwright.validator.rules import podcast

NOW = datetime(2026, 1, 1, tzinfo=UTC)
DATA = Path(__file__).resolve().parent.parent / "data" / "validate"
VOCABULARY_CODES = [c for c in RULES if c.startswith(("itunes-", "podcast-", "conversations"))]


def _codes(data: bytes) -> list[str]:
    return [i.code for i in validate(data, name="t", now=NOW).issues]


def test_rules_look_no_further_than_the_bytes_when_the_namespace_is_absent() -> None:
    # The tree is full of faults, but the bytes the rules are told about never
    # name a vocabulary: a rule that walked the tree anyway would find them.
    faulty = (DATA / "itunes-invalid-explicit" / "fail_other_word.xml").read_bytes()
    faulty = faulty.replace(b"<!--ITEM-->", b"")
    root = etree.fromstring(faulty.replace(
        b"<itunes:duration>1830</itunes:duration>",
        b"<itunes:duration>soon</itunes:duration><itunes:category text='Nope'/>"
        b"<podcast:guid xmlns:podcast='" + podcast.PODCAST_NS.encode() + b"'>x</podcast:guid>"
        b"<cn:ratingCount xmlns:cn='" + conversations_network.CN_NS.encode() + b"'>-1"
        b"</cn:ratingCount>"))
    assert len(list(root.iter(itunes.IT + "*"))) > 3
    doc = Document(name="t", data=b"<rss version='2.0'/>", root=root, format="rss2", now=NOW)
    for code in VOCABULARY_CODES:
        check = RULES[code].check
        assert check is not None
        assert list(check(doc)) == [], code  # type: ignore[arg-type]


def test_the_same_tree_with_its_bytes_is_judged() -> None:
    data = (DATA / "itunes-invalid-explicit" / "fail_other_word.xml").read_bytes()
    assert "itunes-invalid-explicit" in _codes(data)


PODCAST = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:podcast="%s">
  <channel>
    <title>t</title><link>https://example.org/</link><description>d</description>
    <podcast:guid>%s</podcast:guid>
  </channel>
</rss>"""


def test_the_first_podcast_namespace_uri_is_read_too() -> None:
    old = podcast.PODCAST_NS_OLD.encode()
    assert "podcast-invalid-guid" in _codes(PODCAST % (old, b"not-a-uuid"))
    good = b"917393e3-1b1e-5cef-ace4-edaa54e1f810"
    assert "podcast-invalid-guid" not in _codes(PODCAST % (old, good))


def test_the_specs_example_guid_is_the_uuid5_of_its_feed_url() -> None:
    # docs/tags/guid.md: "mp3s.nashownotes.com/pc20rss.xml" -> 917393e3-…; our
    # pass fixture uses it, and the rule accepts what the recipe in its doc makes.
    ns = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
    made = uuid.uuid5(ns, "mp3s.nashownotes.com/pc20rss.xml")
    assert str(made) == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    assert "podcast-invalid-guid" not in _codes(PODCAST % (podcast.PODCAST_NS.encode(),
                                                           str(made).encode()))
    v4 = str(uuid.UUID(int=0x0F8FAD5BD9CB469FA16570867728950E))
    assert "podcast-invalid-guid" in _codes(PODCAST % (podcast.PODCAST_NS.encode(), v4.encode()))


def test_explicit_names_the_retired_vocabulary() -> None:
    data = (DATA / "itunes-invalid-explicit" / "fail_clean.xml").read_bytes()
    [issue] = [i for i in validate(data, name="t", now=NOW).issues
               if i.code == "itunes-invalid-explicit"]
    assert "'clean' is the retired yes/no/clean vocabulary" in issue.message


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
  <title>t</title><id>urn:uuid:60a76c80-d399-11d9-b91C-0003939e0af6</id>
  <updated>2025-06-09T09:30:00Z</updated><author><name>a</name></author>
  <link href="https://example.org/"/>
  <link rel="self" href="https://example.org/feed.atom"/>
  <itunes:explicit>%s</itunes:explicit>
  <entry>
    <title>e</title><id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2025-06-09T09:30:00Z</updated><link href="https://example.org/1"/>
    <summary>s</summary>
    <itunes:duration>%s</itunes:duration>
  </entry>
</feed>"""


def test_itunes_values_are_judged_in_atom_feeds_as_w3c_does() -> None:
    assert _codes(ATOM % (b"false", b"30:00")) == []
    assert sorted(_codes(ATOM % (b"clean", b"soon"))) == [
        "itunes-invalid-duration", "itunes-invalid-explicit"]


def test_every_current_category_and_subcategory_passes() -> None:
    for top, subs in itunes.CATEGORIES.items():
        for sub in (None, *subs):
            cat = etree.Element(itunes.IT + "category", text=top)
            if sub is not None:
                etree.SubElement(cat, itunes.IT + "category", text=sub)
            declaration = b' xmlns:ns0="' + itunes.ITUNES_NS.encode() + b'"'
            body = etree.tostring(cat).replace(declaration, b"")
            body = body.replace(b"ns0:", b"itunes:")
            data = (DATA / "itunes-invalid-category" / "fail_unknown.xml").read_bytes().replace(
                b'<itunes:category text="Everything"/>', body)
            codes = _codes(data)
            assert "itunes-invalid-category" not in codes, (top, sub)
            assert "itunes-obsolete-category" not in codes, (top, sub)


def test_a_utf16_podcast_feed_is_checked_too() -> None:
    # The namespace URI is not an ASCII byte string in UTF-16: the byte search
    # must not be trusted there.
    text = (DATA / "itunes-invalid-explicit" / "fail_other_word.xml").read_text()
    data = text.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    codes = _codes(data)
    assert "itunes-invalid-explicit" in codes
    assert "itunes-not-utf8" in codes
