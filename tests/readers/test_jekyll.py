"""The Jekyll reader: posts, dates, categories, excerpts, URLs as Jekyll and jekyll-feed give them.

The reference trees in tests/data/sites/ were built with Jekyll 4.3.1 and
jekyll-feed 0.17.0; each holds the feed jekyll-feed wrote (``jekyll-feed.xml``),
which these tests parse and hold our entries to.  The jekyll binary is not needed.
"""

from __future__ import annotations

import shutil
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from lxml import etree
from lxml import html as lxml_html
from tests.helpers import DATA

from feedwright.errors import ConfigError
from feedwright.errors import FeedwrightError
from feedwright.errors import InputError
from feedwright.model import Author
from feedwright.readers.jekyll import NOT_DATED
from feedwright.readers.jekyll import NOT_MARKDOWN
from feedwright.readers.jekyll import load_jekyll_config
from feedwright.readers.jekyll import read_jekyll_site
from feedwright.readers.jekyll_urls import absolute_url
from feedwright.readers.jekyll_urls import slugify
from feedwright.readers.notices import Notices
from feedwright.readers.raw import RawEntry

SITES = DATA / "sites"
TZ_SITE = SITES / "jekyll-tz"
EDGE_SITE = SITES / "jekyll-edge"
ATOM = "{http://www.w3.org/2005/Atom}"


def read(root: Path, **options: bool) -> list[RawEntry]:
    return read_jekyll_site(root, Notices(), **options)


def feed_entries(root: Path) -> list[dict[str, Any]]:
    """What jekyll-feed wrote for each post, in its order (newest first)."""
    tree = etree.parse(str(root / "jekyll-feed.xml"))
    out = []
    for entry in tree.iter(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None
        summary = entry.findtext(f"{ATOM}summary")
        out.append({
            "title": entry.findtext(f"{ATOM}title"),
            "url": link.get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "published": datetime.fromisoformat(entry.findtext(f"{ATOM}published") or ""),
            "summary": summary or "",
            "tags": tuple(c.get("term") for c in entry.iter(f"{ATOM}category")),
            "author": Author(entry.findtext(f"{ATOM}author/{ATOM}name") or "",
                             entry.findtext(f"{ATOM}author/{ATOM}email"),
                             entry.findtext(f"{ATOM}author/{ATOM}uri")),
        })
    return out


def site(tmp_path: Path, config: str, posts: dict[str, str]) -> Path:
    """A Jekyll tree: _config.yml and files by their path from the root."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "_config.yml").write_text(config, encoding="utf-8")
    for name, text in posts.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


URL = "url: https://example.org\n"


def only(tmp_path: Path, post: str, config: str = URL, name: str = "2026-03-10-a-post.md",
         ) -> RawEntry:
    [entry] = read(site(tmp_path, config, {f"_posts/{name}": post}))
    return entry


def failure(tmp_path: Path, config: str, posts: dict[str, str]) -> FeedwrightError:
    with pytest.raises(FeedwrightError) as info:
        read(site(tmp_path, config, posts))
    return info.value


# --- the reference site, as jekyll-feed wrote it -------------------------------


@pytest.mark.parametrize("root", [TZ_SITE], ids=lambda p: p.name)
def test_every_published_post_has_jekyll_feeds_link_title_date_and_summary(root: Path) -> None:
    expected = feed_entries(root)
    ours = [e for e in read(root) if not e.draft and e.published.year < 2099]
    assert [e.url for e in ours] == [x["url"] for x in expected]
    assert [e.title for e in ours] == [x["title"] for x in expected]
    assert [e.published for e in ours] == [x["published"] for x in expected]
    # and the offset: the post's time in the site's zone, as jekyll-feed writes it
    assert [e.published.utcoffset() for e in ours] == [
        x["published"].utcoffset() for x in expected  # type: ignore[attr-defined]
    ]
    assert [e.summary for e in ours] == [x["summary"] for x in expected]
    assert [e.tags for e in ours] == [x["tags"] for x in expected]


@pytest.mark.parametrize("root", [TZ_SITE, EDGE_SITE], ids=lambda p: p.name)
def test_jekyll_feeds_ids_on_request(root: Path) -> None:
    expected = feed_entries(root)
    ours = [e for e in read(root, jekyll_feed_ids=True)
            if not e.draft and e.published.year < 2099]
    assert [e.id for e in ours] == [x["id"] for x in expected]
    assert all(e.id is None for e in read(root))


#: jekyll-feed's ``smartify`` of titles; feedwright keeps a title as written.
_SMART = str.maketrans({"’": "'", "“": '"', "”": '"'})


def test_the_edge_site_as_jekyll_feed_wrote_it() -> None:
    expected = feed_entries(EDGE_SITE)
    ours = read(EDGE_SITE)
    assert [e.url for e in ours] == [x["url"] for x in expected]
    assert [e.published for e in ours] == [x["published"] for x in expected]
    assert [e.published.utcoffset() for e in ours] == [
        x["published"].utcoffset() for x in expected]
    assert [e.summary for e in ours] == [x["summary"] for x in expected]
    assert [e.title for e in ours] == [x["title"].translate(_SMART) for x in expected]
    assert [e.authors for e in ours] == [(x["author"],) for x in expected]
    for entry, feed in zip(ours, expected, strict=True):
        if entry.title == "Fish":  # a singular category: jekyll-feed lists it alone
            assert entry.tags == ("kitchen", "ﬁsh + chips") and feed["tags"] == ("ﬁsh + chips",)
        else:
            assert entry.tags == feed["tags"]


def test_the_edge_sites_pages_are_where_the_links_point() -> None:
    pages = set((EDGE_SITE / "jekyll-pages.txt").read_text(encoding="utf-8").splitlines())
    for entry in read(EDGE_SITE):
        assert entry.url is not None
        page = unquote(entry.url).replace("//", "/").replace(":/", "://")
        page = page + "index.html" if page.endswith("/") else page
        if entry.title == "Fish":  # the link is NFKC-normalised, the folder is not
            page = page.replace("fish", "ﬁsh")
        assert page in pages


@pytest.mark.parametrize("style", ["date", "pretty", "ordinal", "none", "weekdate"])
def test_permalink_styles_as_jekyll_builds_them(tmp_path: Path, style: str) -> None:
    expected = [line.split("\t")[1] for line in
                (EDGE_SITE / "jekyll-styles.txt").read_text(encoding="utf-8").splitlines()
                if line.startswith(style + "\t")]
    root = tmp_path / "site"
    shutil.copytree(EDGE_SITE, root)
    config = root / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "permalink: pretty\n", f"permalink: {style}\n"), encoding="utf-8")
    assert [e.url for e in read(root)] == expected


def test_the_page_jekyll_wrote_is_where_the_link_points() -> None:
    # jekyll-pages.txt lists the files Jekyll wrote, by their unescaped path.
    pages = set((TZ_SITE / "jekyll-pages.txt").read_text(encoding="utf-8").splitlines())
    published = [e for e in read(TZ_SITE) if not e.draft and e.published.year < 2099]
    assert len(published) == 3
    for entry in published:
        assert entry.url is not None
        page = unquote(entry.url)
        assert (page + "index.html" if page.endswith("/") else page) in pages


def test_late_evening_utc_takes_the_site_zones_day() -> None:
    entry = next(e for e in read(TZ_SITE) if e.title == "Late Evening")
    new_york = timezone(timedelta(hours=-5))
    assert entry.published == datetime(2026, 3, 2, 2, 30, tzinfo=UTC)
    assert entry.published.utcoffset() == new_york.utcoffset(None)
    assert entry.url == "https://example.net/site/2026/03/01/late-evening.html"


def test_unpublished_is_a_draft_and_the_future_post_comes_back_dated() -> None:
    entries = {e.title: e for e in read(TZ_SITE)}
    assert entries["Not Published"].draft is True
    future = entries["The Future"]
    assert future.draft is False
    assert future.published == datetime(2099, 1, 1, tzinfo=timezone(timedelta(hours=-5)))
    assert future.url == "https://example.net/site/2099/01/01/future.html"


def test_a_collection_is_not_posts_and_the_entries_come_newest_first() -> None:
    entries = read(TZ_SITE)
    assert "Sourdough Bread" not in {e.title for e in entries}
    assert len(entries) == 5
    assert [e.published for e in entries] == sorted((e.published for e in entries),
                                                    reverse=True)


def test_content_is_the_rendered_body_with_smart_quotes_as_kramdown_writes() -> None:
    entry = next(e for e in read(TZ_SITE) if e.title == "Late Evening")
    assert entry.content is not None
    assert "the site’s" in entry.content
    words = lxml_html.fragment_fromstring(entry.content, create_parent="div").text_content()
    assert entry.word_count == len(words.split()) == 25
    assert entry.reading_time == 1


def test_the_config_read() -> None:
    config = load_jekyll_config(TZ_SITE)
    assert config.url == "https://example.net"
    assert config.baseurl == "/site"
    assert config.title == "Jekyll Sample"
    assert config.description == "Notes and recipes."
    assert config.timezone == "America/New_York"
    assert config.permalink == "/:categories/:year/:month/:day/:title:output_ext"
    assert config.post_permalink == config.permalink
    assert config.collections == {"recipes": "/recipes/:title/"}
    assert config.author == Author("Jo Writer")
    assert config.excerpt_separator == "\n\n"
    assert config.future is False
    assert config.at("timezone") == f"{TZ_SITE / '_config.yml'}:7"


# --- config -------------------------------------------------------------------


@pytest.mark.parametrize(("style", "path"), [
    ("date", "/news/2026/03/10/a-post.html"),
    ("pretty", "/news/2026/03/10/a-post/"),
    ("ordinal", "/news/2026/069/a-post.html"),
    ("none", "/news/a-post.html"),
    ("weekdate", "/news/2026/W11/Tue/a-post.html"),
    ("/:year/:i_month/:i_day/:short_year/:hour:minute:second/:slug", "/2026/3/10/26/000000/a-post"),
])
def test_permalink_styles(tmp_path: Path, style: str, path: str) -> None:
    entry = only(tmp_path, "---\ncategories: News\n---\nText.\n",
                 f"{URL}permalink: {style}\n")
    assert entry.url == "https://example.org" + path


def test_the_posts_collection_permalink_wins_over_the_sites(tmp_path: Path) -> None:
    config = f"{URL}permalink: pretty\ncollections:\n  posts:\n    permalink: /blog/:title\n"
    assert only(tmp_path, "---\n---\nText.\n", config).url == "https://example.org/blog/a-post"


def test_front_matter_defaults_for_posts(tmp_path: Path) -> None:
    config = (f"{URL}defaults:\n"
              "  - scope: {path: '', type: posts}\n"
              "    values: {author: Ann, categories: [kitchen], permalink: /:categories/:slug/}\n"
              "  - scope: {path: '_posts/deep', type: post}\n"
              "    values: {author: {name: Deep, twitter: x}}\n"
              "  - scope: {type: pages}\n"
              "    values: {author: Page}\n")
    root = site(tmp_path, config, {
        "_posts/2026-03-10-a.md": "---\ncategories: bread\n---\nA.\n",
        "_posts/deep/2026-03-11-b.md": "---\nauthor: Bea\n---\nB.\n",
        "_posts/deep/2026-03-12-c.md": "---\n---\nC.\n",
    })
    c, b, a = read(root)
    assert (a.authors, a.tags, a.url) == ((Author("Ann"),), ("kitchen", "bread"),
                                          "https://example.org/kitchen/bread/a/")
    assert b.authors == (Author("Bea"),)
    assert c.authors == (Author("Deep"),)


# --- posts: files, dates, names -----------------------------------------------


def test_where_posts_are_found_and_what_is_left_out(tmp_path: Path) -> None:
    root = site(tmp_path, f"{URL}permalink: /:categories/:title/\n", {
        "_posts/2026-01-01-top.md": "---\n---\nA.\n",
        "_posts/2025/2025-12-31-in-a-subfolder.markdown": "---\n---\nB.\n",
        "cooking/_posts/2026-01-02-folder-category.md": "---\ncategories: [bread]\n---\nC.\n",
        "_posts/notes.md": "---\n---\nNo date in the name.\n",
        "_posts/2026-01-03-static.md": "No front matter: still a post.\n",
        "_posts/2026-01-04-page.html": "---\n---\n<p>HTML.</p>\n",
        "_posts/.2026-01-05-hidden.md": "---\n---\nHidden.\n",
        "_drafts/2026-01-06-draft.md": "---\n---\nDraft.\n",
        "node_modules/_posts/2026-01-07-module.md": "---\n---\nx\n",
    })
    notices = Notices()
    entries = read_jekyll_site(root, notices)
    assert [e.url for e in entries] == [
        "https://example.org/static/",
        "https://example.org/cooking/bread/folder-category/",
        "https://example.org/top/",
        "https://example.org/in-a-subfolder/",
    ]
    assert (entries[0].title, entries[0].summary) == ("Static", "No front matter: still a post.")
    assert entries[1].tags == ("cooking", "bread")
    text = "\n".join(notices.lines())
    for kind in (NOT_DATED, NOT_MARKDOWN):
        assert kind in text


@pytest.mark.parametrize(("written", "expected"), [
    ("2026-03-10 10:00:00 +0200", datetime(2026, 3, 10, 8, 0, tzinfo=UTC)),
    ("2026-03-10 10:00:00 -05:00", datetime(2026, 3, 10, 15, 0, tzinfo=UTC)),
    ("2026-03-10T10:00:00Z", datetime(2026, 3, 10, 10, 0, tzinfo=UTC)),
    ("2026-03-10 10:00", datetime(2026, 3, 10, 9, 0, tzinfo=UTC)),  # Berlin: +1
    ("2026-03-10", datetime(2026, 3, 9, 23, 0, tzinfo=UTC)),
    ("'2026-03-10 10:00:00.5 UTC'", datetime(2026, 3, 10, 10, 0, 0, 500000,
                                             tzinfo=UTC)),
])
def test_dates_as_jekyll_reads_them(tmp_path: Path, written: str, expected: datetime) -> None:
    entry = only(tmp_path, f"---\ndate: {written}\n---\nText.\n",
                 f"{URL}timezone: Europe/Berlin\n")
    assert entry.published == expected
    assert entry.published.utcoffset() == timedelta(hours=1)  # in the site's zone


def test_without_a_date_the_file_names_day_at_midnight_in_the_sites_zone(tmp_path: Path) -> None:
    entry = only(tmp_path, "---\n---\nText.\n", f"{URL}timezone: Asia/Tokyo\n")
    assert entry.published == datetime(2026, 3, 10, tzinfo=timezone(timedelta(hours=9)))
    assert only(tmp_path / "utc", "---\n---\nT.\n").published == datetime(
        2026, 3, 10, tzinfo=UTC)


def test_title_and_slug(tmp_path: Path) -> None:
    entry = only(tmp_path, "---\n---\nText.\n", name="2026-03-10-hello-big-world.md")
    assert entry.title == "Hello Big World"  # Jekyll's titleize_slug
    entry = only(tmp_path / "b", "---\ntitle: T\nslug: Own Slug!\npermalink: /:title/:slug/\n"
                 "---\nText.\n")
    assert entry.slug == "Own Slug!"
    assert entry.url == "https://example.org/Own-Slug!/own-slug/"


def test_categories_and_tags_lists_or_strings(tmp_path: Path) -> None:
    entry = only(tmp_path, "---\ncategories: [Site Updates, news]\ncategory: One Thing\n"
                 "tags: intro  welcome intro\n---\nText.\n", f"{URL}permalink: none\n")
    assert entry.tags == ("Site Updates", "news", "One Thing", "intro", "welcome")
    assert entry.url == "https://example.org/site%20updates/news/one%20thing/a-post.html"
    entry = only(tmp_path / "b", "---\ncategories: a b\ntag: one tag\ntags: ignored\n---\nT.\n")
    assert entry.tags == ("a", "b", "one tag")


def test_url_encoding_as_jekyll_feed_writes_links(tmp_path: Path) -> None:
    entry = only(tmp_path, "---\ncategories: [Café, '100%', 'a#b']\n---\nText.\n",
                 f"{URL}baseurl: /my blog/\npermalink: none\n", name="2026-03-10-straße.md")
    assert entry.url == ("https://example.org/my%20blog/caf%C3%A9/100%25/a%23b/"
                         "stra%C3%9Fe.html")


def test_absolute_url_normalises_like_addressable() -> None:
    assert absolute_url("HTTPS://Example.ORG", "", "/a b/ﬁ/") == "https://example.org/a%20b/fi/"
    assert absolute_url("https://example.org", "blog", "/x/") == "https://example.org/blog/x/"


@pytest.mark.parametrize(("text", "pretty", "cased", "slug"), [
    ("Hello, World!", False, False, "hello-world"),
    ("Hello, World!", True, True, "Hello,-World!"),
    ("  spaced -- out  ", False, False, "spaced-out"),
    ("Crème brûlée 2", False, False, "crème-brûlée-2"),
    ("a_b.c", False, False, "a-b-c"),
    ("a_b.c", True, False, "a_b.c"),
])
def test_slugify_as_jekyll(text: str, pretty: bool, cased: bool, slug: str) -> None:
    assert slugify(text, pretty=pretty, cased=cased) == slug


# --- excerpts -----------------------------------------------------------------


@pytest.mark.parametrize(("front", "body", "config", "summary"), [
    ("description: Told *here*.\nexcerpt: Not this.", "First.\n\nSecond.", "", "Told *here*."),
    ("excerpt: Given <b>excerpt</b>.", "First.\n\nSecond.", "", "Given excerpt."),
    ("", "\n\nFirst *para*\nline.\n\nSecond.", "", "First para line."),
    ("", "# A heading\n\nText.", "", "A heading"),
    ("", "Only one paragraph,\nall of it.", "", "Only one paragraph, all of it."),
    ("excerpt_separator: <!--cut-->", "One.\n\nTwo.\n<!--cut-->\nThree.", "", "One. Two."),
    ("", "One.\n\nTwo.\n<!--more-->\nThree.", "excerpt_separator: <!--more-->\n", "One. Two."),
    ("", "See [the docs][d].\n\nMore.\n\n[d]: https://example.org/d", "", "See the docs."),
    ("excerpt_separator: ''", "One.\n\nTwo.", "", ""),
])
def test_excerpt_rules(tmp_path: Path, front: str, body: str, config: str, summary: str) -> None:
    entry = only(tmp_path, f"---\n{front}\n---\n{body}\n", URL + config)
    assert entry.summary == summary


def test_liquid_is_removed_and_told(tmp_path: Path) -> None:
    root = site(tmp_path, URL, {
        "_posts/2026-03-10-a.md": "---\n---\nHi {{ site.title }}.\n\n{% include x.html %}\n"})
    notices = Notices()
    [entry] = read_jekyll_site(root, notices)
    assert entry.content == "<p>Hi .</p>\n"
    assert any("Liquid" in line for line in notices.lines())


# --- errors, each at file:line --------------------------------------------------


def test_errors_at_file_and_line(tmp_path: Path) -> None:
    post = "_posts/2026-03-10-a.md"
    cases: list[tuple[str, dict[str, str], type[FeedwrightError], str, str]] = [
        (URL, {post: "---\ntitle: A\ndate: next tuesday\n---\nx\n"}, InputError,
         f"{post}:3", "not a date Jekyll reads"),
        (URL, {post: "---\npermalink: /:year/:nope/\n---\nx\n"}, InputError,
         f"{post}:2", "unknown placeholder :nope"),
        (URL, {post: "---\ntags: {a: 1}\n---\nx\n"}, InputError, f"{post}:2", "tags:"),
        (URL, {post: "---\npublished: nope\n---\nx\n"}, InputError, f"{post}:2", "true or false"),
        (URL, {post: "---\ntitle: [unclosed\n---\nx\n"}, InputError, f"{post}:3", "YAML"),
        (URL, {"_posts/2026-02-30-a.md": "---\n---\nx\n"}, InputError,
         "_posts/2026-02-30-a.md", "not a real date"),
        (f"{URL}permalink: /:year/:bogus\n", {}, ConfigError, "_config.yml:2",
         "unknown placeholder :bogus"),
        (f"{URL}timezone: Mars/Olympus\n", {}, ConfigError, "_config.yml:2", "time zone"),
        ("title: x\n", {}, ConfigError, "_config.yml", "url: not set"),
        ("url: example.org\n", {}, ConfigError, "_config.yml:1", "site's address"),
        (f"{URL}title: [a\n", {}, InputError, "_config.yml:3", "not valid YAML"),
        (f"{URL}author: {{email: a@b}}\n", {}, ConfigError, "_config.yml:2", "author"),
        (f"{URL}defaults:\n  - values: {{date: 2026}}\n", {post: "---\n---\nx\n"},
         ConfigError, "_config.yml:3", "date"),
    ]
    for index, (config, posts, kind, where, words) in enumerate(cases):
        error = failure(tmp_path / str(index), config, posts)
        assert isinstance(error, kind), (index, error)
        assert error.source is not None
        assert error.source.endswith(where) if ":" in where else where in error.source, (
            index, error.source)
        assert words in error.message, (index, error.message)


def test_no_config_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no _config.yml"):
        load_jekyll_config(tmp_path)


def test_author_names_looked_up_in_data_authors(tmp_path: Path) -> None:
    root = site(tmp_path, f"{URL}author: jo\n", {
        "_data/authors.yml": "jo: {name: Jo Writer, email: jo@example.org, twitter: jw}\n"
                             "ann: {uri: 'https://ann.example.org/'}\n",
        "_posts/2026-03-10-a.md": "---\nauthor: ann\n---\nA.\n",
        "_posts/2026-03-11-b.md": "---\nauthors: [jo, Someone Else]\n---\nB.\n",
    })
    assert load_jekyll_config(root).author == Author("Jo Writer", "jo@example.org")
    b, a = read(root)
    assert a.authors == (Author("ann", None, "https://ann.example.org/"),)
    assert b.authors == (Author("Jo Writer", "jo@example.org"), Author("Someone Else"))


def test_zone_names_ruby_reads(tmp_path: Path) -> None:
    entry = only(tmp_path, "---\ndate: 2026-03-10 10:00:00 EST\n---\nT.\n")
    assert entry.published == datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
