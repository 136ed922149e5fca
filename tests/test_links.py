"""links.make_absolute: each relative URL in an entry's HTML made absolute, nothing else changed."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from lxml import etree
from tests.helpers import NOW
from tests.helpers import make_site

from feedwright import build
from feedwright import links
from feedwright.links import make_absolute
from feedwright.links import rewrite

BASE = "https://example.org/posts/slug/"


@pytest.mark.parametrize(("html", "expected"), [
    ('<a href="/about/">a</a>', '<a href="https://example.org/about/">a</a>'),
    ('<img src="img/x.jpg">', '<img src="https://example.org/posts/slug/img/x.jpg">'),
    ('<img src="../img/x.jpg">', '<img src="https://example.org/posts/img/x.jpg">'),
    ('<video poster="p.jpg" src="v.mp4"></video>',
     '<video poster="https://example.org/posts/slug/p.jpg" '
     'src="https://example.org/posts/slug/v.mp4"></video>'),
    ('<audio><source src="/a.ogg" type="audio/ogg"></audio>',
     '<audio><source src="https://example.org/a.ogg" type="audio/ogg"></audio>'),
    ('<video><track src="subs.vtt" kind="captions"></video>',
     '<video><track src="https://example.org/posts/slug/subs.vtt" kind="captions"></video>'),
    ('<blockquote cite="/quoted/">q</blockquote>',
     '<blockquote cite="https://example.org/quoted/">q</blockquote>'),
    ('<table background="bg.png"></table>',
     '<table background="https://example.org/posts/slug/bg.png"></table>'),
    ('<iframe src="/embed/1"></iframe>', '<iframe src="https://example.org/embed/1"></iframe>'),
    ('<sup><a href="#fn:1">1</a></sup>',
     '<sup><a href="https://example.org/posts/slug/#fn:1">1</a></sup>'),
    ('<a href="?page=2">next</a>', '<a href="https://example.org/posts/slug/?page=2">next</a>'),
    ('<script src="//cdn.example.net/x.js"></script>',
     '<script src="https://cdn.example.net/x.js"></script>'),
], ids=["href-root", "src-relative", "src-parent", "poster-and-src", "source", "track",
        "cite", "background", "iframe", "fragment", "query", "protocol-relative"])
def test_each_url_attribute_is_made_absolute(html: str, expected: str) -> None:
    assert make_absolute(html, BASE) == expected


@pytest.mark.parametrize("html", [
    '<a href="https://example.net/x">abs</a>',
    '<a href="http://example.net/x">plain http</a>',
    '<a href="mailto:me@example.org">mail</a>',
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    '<a href="tel:+4912345">call</a>',
    '<a href="">empty</a>',
    '<a name="top">no URL attribute</a>',
    "<p>no tags with URLs at all &amp; &nbsp; entities</p>",
    '<p title="/not/a/url">title is no URL attribute</p>',
    '<!-- <a href="/commented"> --><p>x</p>',
    '<script>document.write("<a href=/in-script>")</script>',
])
def test_absolute_urls_other_schemes_and_non_urls_are_left_alone(html: str) -> None:
    assert make_absolute(html, BASE) == html
    assert rewrite(html, BASE) == html


def test_srcset_makes_each_candidate_absolute_and_keeps_descriptors() -> None:
    html = ('<img srcset="small.jpg 480w, /m/medium.jpg 800w,'
            '../large.jpg 2x, https://cdn.example.net/huge.jpg 4x" src="small.jpg">')
    assert make_absolute(html, BASE) == (
        '<img srcset="https://example.org/posts/slug/small.jpg 480w, '
        "https://example.org/m/medium.jpg 800w,"
        "https://example.org/posts/large.jpg 2x, https://cdn.example.net/huge.jpg 4x\" "
        'src="https://example.org/posts/slug/small.jpg">'
    )


def test_srcset_without_descriptors_and_with_a_data_url() -> None:
    """A candidate's URL runs to the next space (HTML's srcset parsing): a
    trailing comma ends a candidate without descriptors, a data: URL keeps its
    commas."""
    html = '<source srcset="a.jpg, b.jpg 2x,\n data:image/png;base64,AA,BB= 3x">'
    assert make_absolute(html, BASE) == (
        '<source srcset="https://example.org/posts/slug/a.jpg, '
        'https://example.org/posts/slug/b.jpg 2x,\n data:image/png;base64,AA,BB= 3x">'
    )


def test_everything_but_the_urls_stays_as_written() -> None:
    """SVG's case (viewBox, linearGradient), self-closed tags, void <source>,
    entities and quoting survive byte for byte; only the URLs change.
    (lxml's HTML parser changes each of these: see links.py.)"""
    html = (
        "<p>Caf&eacute; &amp; bar&nbsp;&mdash; <br/> <IMG SRC='pic.jpg' ALT=\"a &quot;b&quot;\"/>"
        '<a href=/about/ class="x">about</a></p>\n'
        '<svg viewBox="0 0 10 10"><defs><linearGradient id="g"/></defs>'
        '<use href="#g"/><image href="logo.png"/><path d="M0 0L1 1"/></svg>\n'
        '<picture><source srcset="b.webp" type="image/webp"><img src="b.jpg"></picture>'
    )
    assert make_absolute(html, BASE) == (
        "<p>Caf&eacute; &amp; bar&nbsp;&mdash; <br/> "
        "<IMG SRC='https://example.org/posts/slug/pic.jpg' ALT=\"a &quot;b&quot;\"/>"
        '<a href="https://example.org/about/" class="x">about</a></p>\n'
        '<svg viewBox="0 0 10 10"><defs><linearGradient id="g"/></defs>'
        '<use href="#g"/><image href="https://example.org/posts/slug/logo.png"/>'
        '<path d="M0 0L1 1"/></svg>\n'
        '<picture><source srcset="https://example.org/posts/slug/b.webp" type="image/webp">'
        '<img src="https://example.org/posts/slug/b.jpg"></picture>'
    )


def test_tags_over_several_lines_and_crlf_are_rewritten_in_place() -> None:
    html = 'x\r\n<p>\r\n<A\r\n  HREF="y"\r\n>z</A>\r\n<a href=/about/>w</a>'
    assert make_absolute(html, BASE) == (
        'x\r\n<p>\r\n<A\r\n  HREF="https://example.org/posts/slug/y"\r\n>z</A>\r\n'
        '<a href="https://example.org/about/">w</a>'
    )


def test_fragments_inside_svg_and_math_stay_local_and_outside_resolve() -> None:
    html = ('<svg><use xlink:href="#icon"/></svg><math href="#m"><mi>x</mi></math>'
            '<a href="#after">after</a>')
    assert make_absolute(html, BASE) == (
        '<svg><use xlink:href="#icon"/></svg><math href="#m"><mi>x</mi></math>'
        '<a href="https://example.org/posts/slug/#after">after</a>'
    )


def test_ampersands_in_rewritten_urls_are_escaped_once() -> None:
    html = "<a href='?a=1&amp;b=2'>q</a><a href=\"x?a=1&b=2\">r</a>"
    assert make_absolute(html, BASE) == (
        "<a href='https://example.org/posts/slug/?a=1&amp;b=2'>q</a>"
        '<a href="https://example.org/posts/slug/x?a=1&amp;b=2">r</a>'
    )


def test_content_with_only_absolute_urls_is_returned_unparsed() -> None:
    html = '<p><a href="https://example.org/">home</a> <img src="https://example.org/i.png"></p>'
    assert make_absolute(html, BASE) is html


_PIECES = st.sampled_from([
    "<a ", "<img ", "<svg>", "</svg>", "<source ", ">", "/>", " ", "\t", "\x0b", "=", "==",
    '"', "'", "href", "HREF", "src", "srcset", "poster", "cite", "data-src", "xlink:href",
    "http:", "https://x.org/", "mailto:a", "#f", "/p", "a.jpg", " 2x", ",", "&amp;", "&#47;",
    "<!--", "-->", "<script>", "</script>", "text",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_the_shortcut_never_skips_what_the_full_rewrite_would_change(html: str) -> None:
    assert make_absolute(html, BASE) == rewrite(html, BASE)


def _maybe_relative_reference(content: str) -> bool:
    """``links._maybe_relative`` without its shortcut for ``="https:`` values."""
    at = content.find("=")
    while at != -1:
        name = content[max(0, at - 24) : at].rstrip().lower()
        if name.endswith(links._URL_ATTRIBUTES):
            if name.endswith("srcset"):
                return True
            value = content[at + 1 : at + 200].lstrip().lstrip("=").lstrip()
            if links._RELATIVE_VALUE.match(value):
                return True
        at = content.find("=", at + 1)
    return False


_ATTRIBUTE_PIECES = st.tuples(
    st.sampled_from(["<a ", "<img ", " ", "text", ">", ""]),
    st.sampled_from(["href", "HREF", "src", "srcset", "SrcSeT", "srcse\u212a", "cite", "xlink:href",
                     "t", "T", "data-x", ""]),
    st.sampled_from(["", " ", "\t", "\u2003"]),
    st.sampled_from(["=", "==", "= ="]),
    st.sampled_from(['"https:', "'http:", '"http:', '"', " ", ""]),
    st.sampled_from(["https://x.org/", "//x.org/", "/p", "#f", ""]),
).map("".join)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_ATTRIBUTE_PIECES, max_size=6).map("".join))
def test_the_quoted_http_shortcut_decides_as_the_full_look(html: str) -> None:
    assert links._maybe_relative(html) == _maybe_relative_reference(html)


@pytest.mark.parametrize("html, expected", [
    ('<a href="https://x.org/">', False), ('<img srcset="https://x.org/a.png 2x">', True),
    ('<img SRCSET="http://x.org/a.png">', True), ('<img srcset ="https://x.org/a.png">', True),
    ('<a href="/a">', True), ("<a href='http://x.org/'>", False), ('="https://x.org/"', False),
    ('t="https://x.org/" <a href=/b>', True),
])
def test_the_quoted_http_shortcut(html: str, expected: bool) -> None:
    assert links._maybe_relative(html) is expected


# --- end to end: the build passes and readers see absolute URLs ----------------

CONTENT_ENTRY = """\
- title: Links inside
  published: 2026-03-03
  slug: links-inside
  summary: A post whose HTML links relatively.
  content: '<p>See <a href="/about/">about</a> and <img src="img/x.jpg" alt="x">
    <a href="#fn:1">1</a></p>'
"""

ABOUT = "https://example.org/about/"
IMAGE = "https://example.org/posts/links-inside/img/x.jpg"
NOTE = "https://example.org/posts/links-inside/#fn:1"


def _urls(html: str) -> list[str]:
    tree = etree.HTML(html)
    return [v for el in tree.iter() for k, v in el.attrib.items() if k in ("href", "src")]


def test_relative_links_in_content_build_and_read_back_absolute(tmp_path: Path) -> None:
    """The gate used to refuse this entry (contains-relative-reference)."""
    config = make_site(tmp_path, CONTENT_ENTRY, "formats: [rss, atom, json]\n")
    build(config, now=NOW, cache=False)
    feeds = tmp_path / "feeds"
    rss = feedparser.parse((feeds / "rss.xml").read_bytes(), resolve_relative_uris=False,
                           sanitize_html=False)
    atom = feedparser.parse((feeds / "atom.xml").read_bytes(), resolve_relative_uris=False,
                            sanitize_html=False)
    jsonfeed = json.loads((feeds / "feed.json").read_text(encoding="utf-8"))
    for html in (rss.entries[0].content[0].value, atom.entries[0].content[0].value,
                 jsonfeed["items"][0]["content_html"]):
        assert _urls(html) == [ABOUT, IMAGE, NOTE]
    # Plain-text summaries are text: nothing in them is a link to rewrite.
    assert rss.entries[0].summary == "A post whose HTML links relatively."
    assert jsonfeed["items"][0]["summary"] == "A post whose HTML links relatively."


def test_content_summary_leaves_the_html_out_of_every_format(tmp_path: Path) -> None:
    config = make_site(tmp_path, CONTENT_ENTRY, "formats: [rss, atom, json]\ncontent: summary\n")
    build(config, now=NOW, cache=False)
    feeds = tmp_path / "feeds"
    rss = feedparser.parse((feeds / "rss.xml").read_bytes())
    atom = feedparser.parse((feeds / "atom.xml").read_bytes())
    item = json.loads((feeds / "feed.json").read_text(encoding="utf-8"))["items"][0]
    assert "content" not in rss.entries[0] and "content" not in atom.entries[0]
    summary = "A post whose HTML links relatively."
    assert rss.entries[0].summary == atom.entries[0].summary == summary
    assert b"content:encoded" not in (feeds / "rss.xml").read_bytes()
    assert item["content_text"] == "A post whose HTML links relatively."
    assert "content_html" not in item and "summary" not in item
