"""Podcast vocabularies (iTunes, Podcasting 2.0, Conversations Network): beyond the fixtures."""

from __future__ import annotations

import uuid
from datetime import UTC
from datetime import datetime
from pathlib import Path

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from lxml import etree

from feedwright.validator import validate
from feedwright.validator.document import Document
from feedwright.validator.rules import RULES
from feedwright.validator.rules import conversations_network
from feedwright.validator.rules import itunes
from feedwright.validator.rules import podcast
from feedwright.validator.rules._ext import declared

NOW = datetime(2026, 1, 1, tzinfo=UTC)
DATA = Path(__file__).resolve().parent.parent / "data" / "validate"
VOCABULARY_CODES = [c for c in RULES if c.startswith(("itunes-", "podcast-", "conversations"))]


def _codes(data: bytes) -> list[str]:
    return [i.code for i in validate(data, name="t", now=NOW).issues]


def test_rules_look_no_further_than_the_declarations_when_the_namespace_is_absent() -> None:
    # The tree is full of faults, but the declarations the rules are told
    # about (the one memoised scan they share, made here on a document that
    # names no vocabulary) never name a vocabulary: a rule that walked the
    # tree anyway would find them.
    faulty = (DATA / "itunes-invalid-explicit" / "fail_other_word.xml").read_bytes()
    faulty = faulty.replace(b"<!--ITEM-->", b"")
    root = etree.fromstring(faulty.replace(
        b"<itunes:duration>1830</itunes:duration>",
        b"<itunes:duration>soon</itunes:duration><itunes:category text='Nope'/>"
        b"<podcast:guid xmlns:podcast='" + podcast.PODCAST_NS.encode() + b"'>x</podcast:guid>"
        b"<cn:ratingCount xmlns:cn='" + conversations_network.CN_NS.encode() + b"'>-1"
        b"</cn:ratingCount>"))
    assert len(list(root.iter(itunes.IT + "*"))) > 3
    bare = b"<rss version='2.0'/>"
    doc = Document(name="t", data=bare, root=etree.fromstring(bare), format="rss2", now=NOW)
    assert declared(doc) == frozenset()
    doc.root = root
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


# --- robustness: the vocabulary rules meet any well-formed podcast feed ----

_NAMES = ["item", "channel", "enclosure", "itunes:explicit", "itunes:block", "itunes:complete",
          "itunes:duration", "itunes:episode", "itunes:season", "itunes:type",
          "itunes:episodeType", "itunes:image", "itunes:new-feed-url", "itunes:category",
          "itunes:owner", "itunes:email", "itunes:name", "itunes:summary", "itunes:keywords",
          "itunes:pubDate", "itunes:bogus", "podcast:guid", "podcast:locked", "podcast:medium",
          "podcast:transcript", "podcast:chapters", "podcast:funding", "podcast:person",
          "podcast:season", "podcast:episode", "podcast:alternateEnclosure", "podcast:source",
          "podcast:value", "podcast:valueRecipient", "podcast:valueTimeSplit",
          "podcast:liveItem", "cn:ratingTimestamp", "cn:image", "cn:ratingAverage"]
_TEXTS = st.sampled_from(["", " ", "0", "-1", "1.5", "x", "yes", "True", "clean", "99:99",
                          "2009-13-40T25:61:61Z", "https://e.org/a b", "/rel", "a@b",
                          "917393e3-1b1e-5cef-ace4-edaa54e1f810", "&lt;b&gt;x&lt;/b&gt;",
                          "Mon, 09 Jun 2025 09:30:00 +0000", "\u0085", "é" * 300])
_ATTRIBUTES = st.sampled_from(
    ["", ' text="Arts"', ' text="Nope"', ' text=""', ' href=""', ' href="/x"',
     ' url="https://e.org/a.ogg" length="x" type="audio/ogg"', ' url="" type=""',
     ' uri="ipfs://x"', ' role="Host" group="nope"', ' group="cast"', ' split="1.5"',
     ' owner="x"', ' length="-1" bitrate="x" height="1e3"', ' startTime="" duration="1"',
     ' url="http://[::1" type="a/b"', ' status="Live" start="2025-02-30T07:30" end=""',
     ' pubdate="x"', ' start="9999-12-31T23:59:60.5+9999"'])


def _podcast_tree() -> st.SearchStrategy[str]:
    leaf = st.tuples(st.sampled_from(_NAMES), _ATTRIBUTES, _TEXTS).map(
        lambda t: f"<{t[0]}{t[1]}>{t[2]}</{t[0]}>")
    return st.recursive(
        leaf,
        lambda kids: st.tuples(st.sampled_from(_NAMES), _ATTRIBUTES,
                               st.lists(kids, max_size=4)).map(
            lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}</{t[0]}>"),
        max_leaves=14,
    )


_DECLARATIONS = (
    f'xmlns:itunes="{itunes.ITUNES_NS}" xmlns:podcast="{podcast.PODCAST_NS}" '
    f'xmlns:cn="{conversations_network.CN_NS}"')


@settings(max_examples=200, deadline=None)
@given(body=st.lists(_podcast_tree(), max_size=4), strict=st.booleans(), atom=st.booleans())
def test_vocabulary_rules_never_raise(body: list[str], strict: bool, atom: bool) -> None:
    if atom:
        data = (f'<feed xmlns="http://www.w3.org/2005/Atom" {_DECLARATIONS}>'
                f'{"".join(body)}</feed>')
    else:
        data = f'<rss version="2.0" {_DECLARATIONS}><channel>{"".join(body)}</channel></rss>'
    validate(data.encode(), name="t", now=NOW, strict=strict)
