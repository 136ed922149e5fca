"""The browser view, the index page and the OPML list: what they hold, that
they pass the validator, and that they go through the feeds' write path."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from lxml import etree

from feedwright import build
from feedwright import validate
from feedwright.cache import BuildCache
from feedwright.config import load_config
from feedwright.errors import ConfigError
from feedwright.errors import InvalidFeedError
from feedwright.errors import StaleFeedsError
from feedwright.feedset import build_feedset
from feedwright.gate import Gate
from feedwright.parallel import Runner
from feedwright.readers import Notices
from feedwright.readers import read_entries
from feedwright.render.browser import FEED_CSS
from feedwright.render.browser import INDEX_CSS
from feedwright.render.keys import head_key
from feedwright.render.xslt import FEED_XSL
from helpers import BASIC
from helpers import NOW
from helpers import make_site

PI = re.compile(rb'<\?xml-stylesheet type="([^"]+)" href="([^"]+)"\?>')


def _instruction(path: Path) -> tuple[str, str] | None:
    m = PI.search(path.read_bytes()[:300])
    return None if m is None else (m[1].decode(), m[2].decode())


def test_every_xml_feed_names_the_stylesheet_relative_to_itself(tmp_path: Path) -> None:
    result = build(make_site(tmp_path, BASIC, "formats: [rss, atom, json]\n"), now=NOW)
    out = result.output
    assert (out / "feed.css").read_text(encoding="utf-8") == FEED_CSS
    xml = [p for p in result.documents if not p.endswith(".json")]
    assert len(xml) == 6
    for path in xml:
        kind, href = _instruction(out / path) or ("", "")
        assert kind == "text/css"
        # Resolved against the feed, it is the one stylesheet at the top.
        assert urljoin(f"https://x.example/f/{path}", href) == "https://x.example/f/feed.css"
    assert b"xml-stylesheet" not in (out / "feed.json").read_bytes()
    # The instruction sits before the root, after the XML declaration.
    head = (out / "tags/a/rss.xml").read_bytes().split(b"\n")[:3]
    assert head[0].startswith(b"<?xml version")
    assert head[1] == b'<?xml-stylesheet type="text/css" href="../../feed.css"?>'
    assert head[2].startswith(b"<rss")


def test_browser_view_none_writes_no_stylesheet(tmp_path: Path) -> None:
    result = build(make_site(tmp_path, BASIC, "browser_view: none\n"), now=NOW)
    assert result.files == ("feeds.opml", "index.html")
    assert not (result.output / "feed.css").exists()
    assert all(_instruction(result.output / p) is None for p in result.documents)


def test_browser_view_xslt_writes_a_transform_that_shows_the_entries(tmp_path: Path) -> None:
    result = build(make_site(tmp_path, BASIC, "browser_view: xslt\n"), now=NOW)
    assert (result.output / "feed.xsl").read_text(encoding="utf-8") == FEED_XSL
    assert _instruction(result.output / "tags/b/atom.xml") == ("text/xsl", "../../feed.xsl")
    transform = etree.XSLT(etree.XML(FEED_XSL.encode()))
    for name in ("rss.xml", "atom.xml"):
        page = str(transform(etree.parse(str(result.output / name))))
        assert "<h1>" in page and "Test site" in page, name
        for title in ("Third post", "Second post", "First post"):
            assert title in page, (name, title)
        assert "https://example.org/feeds/" + name in page  # the address to copy


def test_browser_view_refuses_unknown_values_at_their_line(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC, "limit: 5\nbrowser_view: html\n")
    with pytest.raises(ConfigError) as info:
        load_config(config)
    assert info.value.source == f"{config}:8"
    assert "browser_view: expected one of css, xslt, none, got 'html'" in str(info.value)
    config.write_text(config.read_text().replace("browser_view: html", "index_page: maybe"))
    with pytest.raises(ConfigError, match="index_page: expected true or false"):
        load_config(config)


def test_the_head_key_names_the_stylesheet(tmp_path: Path) -> None:
    """render/keys.py: a head's bytes depend on the stylesheet it names."""
    keys = []
    for view in ("css", "none", "xslt"):
        config = load_config(make_site(tmp_path, BASIC, f"browser_view: {view}\n"))
        feedset = build_feedset(read_entries(config, Notices(), now=NOW), config)
        main = feedset.feeds[0]
        keys.append(head_key(main, main.outputs[0]))
    assert len(set(keys)) == 3


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.alternates: list[dict[str, str | None]] = []
        self.inputs: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.labels: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append(a)
        elif tag == "input":
            self.inputs.append(a)
        elif tag == "a":
            self.links.append(a["href"] or "")
        elif tag == "label":
            self.labels.append(a["for"] or "")


def test_index_page_lists_every_feed_with_autodiscovery_and_addresses(tmp_path: Path) -> None:
    result = build(make_site(tmp_path, BASIC, "formats: [rss, atom, json]\n"), now=NOW)
    page = _Page()
    page.feed((result.output / "index.html").read_text(encoding="utf-8"))
    urls = {f"https://example.org/feeds/{p}" for p in result.documents}
    assert len(urls) == 9
    types = {"rss": "application/rss+xml", "atom": "application/atom+xml",
             "feed": "application/feed+json"}
    assert {a["href"] for a in page.alternates} == urls
    for a in page.alternates:
        assert a["type"] == types[(a["href"] or "").rsplit("/", 1)[1].split(".")[0]]
        assert a["title"]
    # Each address in a read-only field, named by a label: copyable with no script.
    assert {i["value"] for i in page.inputs} == urls
    assert all("readonly" in i and i["type"] == "text" for i in page.inputs)
    assert sorted(page.labels) == sorted(i["id"] or "" for i in page.inputs)
    # The page's links to the feeds are relative and reach the files written.
    local = [h for h in page.links if not h.startswith("https:")]
    assert set(local) == {*result.documents, "feeds.opml"}
    assert b"<script" not in (result.output / "index.html").read_bytes()


def test_index_page_escapes_the_site_title(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    config.write_text(config.read_text().replace("Test site", "'\"Q&A\" site <3'"))
    result = build(config, now=NOW)
    html = (result.output / "index.html").read_text(encoding="utf-8")
    assert "<3" not in html
    assert "<title>Feeds · &quot;Q&amp;A&quot; site &lt;3</title>" in html
    assert 'title="&quot;Q&amp;A&quot; site &lt;3 (RSS)"' in html


def test_opml_lists_every_feed_grouped_and_passes_the_validator(tmp_path: Path) -> None:
    result = build(make_site(tmp_path, BASIC), now=NOW)
    data = (result.output / "feeds.opml").read_bytes()
    report = validate(data, name="feeds.opml", strict=True, now=NOW)
    assert report.format == "opml" and report.issues == ()
    root = etree.fromstring(data)
    assert root.get("version") == "2.0"
    assert root.findtext("head/title") == "Test site: feeds"
    assert [el.tag for el in root.find("head")] == ["title", "ownerName"]  # type: ignore[union-attr]
    main, tags = root.find("body")  # type: ignore[misc]
    assert main.get("text") == "Test site" and tags.get("text") == "Test site by tag"
    assert [o.get("xmlUrl") for o in main] == [
        "https://example.org/feeds/rss.xml", "https://example.org/feeds/atom.xml"]
    assert [o.get("xmlUrl") for o in tags] == [
        f"https://example.org/feeds/tags/{t}/{f}.xml" for t in "ab" for f in ("rss", "atom")]
    assert dict(main.attrib) == {"text": "Test site"}  # a folder: no type, so nothing else
    for outline in root.iter("outline"):
        if outline.get("xmlUrl"):
            assert outline.get("title") == outline.get("text")
            assert outline.get("type") == "rss"
            assert outline.get("htmlUrl") == "https://example.org/"
            assert outline.get("text")
    assert [o.get("version") for o in main] == ["RSS2", None]


def test_opml_and_index_page_can_be_turned_off(tmp_path: Path) -> None:
    result = build(make_site(tmp_path, BASIC, "opml: false\nindex_page: false\n"), now=NOW)
    assert result.files == ("feed.css",)
    assert not (result.output / "feeds.opml").exists()
    assert not (result.output / "index.html").exists()


def test_index_page_leaves_out_the_opml_link_without_the_list(tmp_path: Path) -> None:
    result = build(make_site(tmp_path, BASIC, "opml: false\n"), now=NOW)
    assert b"feeds.opml" not in (result.output / "index.html").read_bytes()


def test_the_files_beside_the_feeds_are_written_like_feeds(tmp_path: Path) -> None:
    """Written only when changed, reported stale by a check, restored by a build."""
    config = make_site(tmp_path, BASIC)
    first = build(config, now=NOW)
    assert set(first.files) <= set(first.changed)
    out = first.output
    again = build(config, now=NOW)
    assert again.changed == ()
    page = out / "index.html"
    page.write_bytes(page.read_bytes().replace(b"All posts", b"Every post"))  # edited by hand
    (out / "feed.css").unlink()
    with pytest.raises(StaleFeedsError) as info:
        build(config, check=True, now=NOW)
    assert "feed.css" in str(info.value) and "index.html" in str(info.value)
    assert "feeds.opml" not in str(info.value)
    fixed = build(config, now=NOW)
    assert set(fixed.changed) == {"feed.css", "index.html"}
    build(config, check=True, now=NOW)
    # A new tag is a new feed: the OPML list and the index page change with it.
    (tmp_path / "entries.yaml").write_text(
        BASIC.replace("tags: [b]", "tags: [b, c]"), encoding="utf-8")
    grown = build(config, now=NOW)
    assert {"feeds.opml", "index.html"} <= set(grown.changed)
    assert "feed.css" not in grown.changed
    assert b"tags/c/rss.xml" in (out / "feeds.opml").read_bytes()


def test_the_gate_refuses_an_invalid_opml_list(tmp_path: Path) -> None:
    memory = BuildCache.load(None, "x")
    with Runner(1) as runner:
        gate = Gate(NOW, memory, runner)
        bad = b'<opml version="2.0"><head><title>t</title></head><body>' \
              b'<outline type="rss" text="x" xmlUrl="/rss.xml"/></body></opml>'
        with pytest.raises(InvalidFeedError, match="feeds.opml: opml-invalid-url"):
            gate.check_files({"feeds.opml": bad, "index.html": b"not judged"})
        gate.check_files({"feed.css": b"not judged either"})


@pytest.mark.parametrize("css", [FEED_CSS, INDEX_CSS], ids=["feed.css", "index.html"])
def test_the_stylesheets_avoid_what_w3c_css_validator_warns_about(css: str) -> None:
    """What W3C's CSS validator warns about, checked without it: a colour with
    no background (and the reverse), the same colour for both, a font family
    list with no generic family last, a property set twice in one rule;
    and no vendor prefixes, hacks or !important (plain CSS 2.1/3)."""
    body = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert "-webkit-" not in body and "-moz-" not in body and "-ms-" not in body
    assert "!important" not in body and "*zoom" not in body and "\\9" not in body
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", body)
    assert len(rules) > 5
    generic = ("serif", "sans-serif", "monospace", "cursive", "fantasy")
    for selector, block in rules:
        props = [(k.strip(), v.strip()) for k, _, v in
                 (d.partition(":") for d in block.split(";") if d.strip())]
        names = [k for k, _ in props]
        assert len(names) == len(set(names)), selector
        values = dict(props)
        assert ("color" in values) == ("background-color" in values), selector
        if "color" in values:
            assert values["color"] != values["background-color"], selector
        if "font-family" in values:
            assert values["font-family"].rsplit(",", 1)[-1].strip() in generic, selector


def test_a_page_feedwright_did_not_write_is_never_replaced(tmp_path: Path) -> None:
    """An output folder that is the site's root keeps its own index.html."""
    config = make_site(tmp_path, BASIC)
    (tmp_path / "feeds").mkdir()
    home = tmp_path / "feeds" / "index.html"
    home.write_text("<!DOCTYPE html><title>My home page</title>", encoding="utf-8")
    with pytest.raises(ConfigError, match="index.html exists and feedwright did not write it"):
        build(config, now=NOW)
    assert home.read_text(encoding="utf-8").endswith("My home page</title>")
    assert list((tmp_path / "feeds").iterdir()) == [home]  # nothing else written either
    config.write_text(config.read_text() + "index_page: false\n")
    result = build(config, now=NOW)
    assert "index.html" not in result.files + result.orphans
    assert home.read_text(encoding="utf-8").endswith("My home page</title>")


def test_files_of_an_earlier_config_are_reported_not_deleted(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW)
    config.write_text(config.read_text() + "browser_view: xslt\nopml: false\n")
    result = build(config, now=NOW)
    assert set(result.orphans) == {"feed.css", "feeds.opml"}
    assert (result.output / "feed.css").is_file()
