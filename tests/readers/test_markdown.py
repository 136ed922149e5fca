"""Markdown files with front matter: fields, rendering, summaries, shortcodes, errors, a build."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from lxml import html as lxml_html
from tests.helpers import DATA
from tests.helpers import NOW

from feedwright import build
from feedwright.cli import cli
from feedwright.config import load_config
from feedwright.errors import InputError
from feedwright.model import Author
from feedwright.readers import LEFT_OUT
from feedwright.readers import Notices
from feedwright.readers import read_entries
from feedwright.readers import read_file
from feedwright.readers.markdown import HUGO
from feedwright.readers.markdown import LIQUID
from feedwright.readers.markdown import read_markdown
from feedwright.readers.raw import RawEntry

MD = DATA / "markdown"


def one(path: Path, notices: Notices | None = None) -> RawEntry:
    [entry] = read_markdown(path, notices)
    return entry


def fragment(content: str | None) -> lxml_html.HtmlElement:
    assert content is not None
    return lxml_html.fragment_fromstring(content, create_parent="div")


def error(tmp_path: Path, text: str, name: str = "post.md") -> InputError:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_file(path)
    return info.value


# --- front matter: the three languages --------------------------------------


def test_yaml_front_matter_gives_every_field_and_ignores_keys_of_its_own() -> None:
    entry = one(MD / "yaml-front-matter.md")  # layout, weight, images: the site's, ignored
    assert entry.title == "Baking bread at home"
    assert entry.published == datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    assert entry.updated == datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
    assert entry.slug == "bread"
    assert entry.tags == ("baking", "bread", "kitchen")  # categories follow the tags
    assert entry.authors == (Author("Ada Baker"),)
    assert entry.source == f"{MD / 'yaml-front-matter.md'}:1"
    assert entry.summary == "A loaf needs flour, water & time."
    assert entry.draft is False


def test_toml_front_matter_reads_tables_of_its_own_not_as_the_post() -> None:
    entry = one(MD / "toml-front-matter.md")
    assert entry.title == "Release 2.4 notes"  # not [params].title
    assert entry.published == datetime(2026, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    assert entry.draft is True
    assert entry.tags == ("releases",)
    assert entry.authors == (Author("Grace", "grace@example.org"),)
    assert entry.summary == "What changed in 2.4."  # Markdown in the summary: plain text


def test_json_front_matter_and_counts_given_stand() -> None:
    entry = one(MD / "json-front-matter.md")
    assert entry.title == "From JSON"
    assert entry.published == date(2026, 3, 3)  # not params.date
    assert entry.summary == "Described & plain."  # description stands for summary
    assert (entry.word_count, entry.reading_time) == (500, 2)
    assert [p.text for p in fragment(entry.content).iter("p")] == [
        "Body from a JSON-fronted file."
    ]


def test_json_front_matter_may_be_one_indented_line(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text('  {"title": "One line", "date": "2026-03-01"}\nBody.\n', encoding="utf-8")
    entry = one(path)
    assert (entry.title, entry.summary, entry.source) == ("One line", "Body.", f"{path}:1")


def test_a_divider_within_a_paragraph_cuts_the_summary_there(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text("---\ntitle: T\ndate: 2026-03-01\n---\nShort <!--more--> and the rest.\n",
                    encoding="utf-8")
    entry = one(path)
    assert entry.summary == "Short"
    assert [p.text for p in fragment(entry.content).iter("p")] == ["Short  and the rest."]


def test_keys_are_read_without_regard_to_case() -> None:
    entry = one(MD / "mixed-case-keys.md")
    assert (entry.title, entry.published, entry.tags) == ("Mixed case", date(2026, 3, 11), ("One",))
    assert entry.url == "https://example.org/elsewhere/"
    assert entry.summary == "Given in the front matter."


def test_blank_lines_and_a_byte_order_mark_may_precede_the_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text("\ufeff\n\n---\ntitle: Late\ndate: 2026-03-01\n---\nText.\n", encoding="utf-8")
    entry = one(path)
    assert (entry.title, entry.source) == ("Late", f"{path}:3")


def test_slug_is_the_file_name_or_a_page_bundles_folder(tmp_path: Path) -> None:
    assert one(MD / "page-bundle" / "index.md").slug == "page-bundle"
    assert one(MD / "raw-html.md").slug == "raw-html"
    path = tmp_path / "post.markdown"
    path.write_text("---\ntitle: T\ndate: 2026-03-01\n---\n", encoding="utf-8")
    [entry] = read_file(path)  # the .markdown suffix is read too
    assert (entry.slug, entry.content, entry.summary, entry.word_count) == ("post", None, "", None)


@pytest.mark.parametrize(
    ("front", "published"),
    [
        ("date: 2026-03-01", date(2026, 3, 1)),
        ("date: '2026-03-01T10:00:00Z'", datetime(2026, 3, 1, 10, tzinfo=UTC)),
        # Jekyll's own shape: a space before the offset
        ("date: 2026-03-01 10:00:00 +0200",
         datetime(2026, 3, 1, 10, tzinfo=timezone(timedelta(hours=2)))),
        # Hugo's publishDate is the publication date when given
        ("date: 2026-02-01\npublishDate: 2026-03-01", date(2026, 3, 1)),
    ],
)
def test_dates_as_written(tmp_path: Path, front: str, published: date) -> None:
    path = tmp_path / "post.md"
    path.write_text(f"---\ntitle: T\n{front}\n---\n", encoding="utf-8")
    assert one(path).published == published


def test_toml_dates_are_date_objects_already(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text('+++\ntitle = "T"\ndate = 2026-03-01\n'
                    "lastmod = 2026-03-02T08:00:00-05:00\n+++\n", encoding="utf-8")
    entry = one(path)
    assert entry.published == date(2026, 3, 1)
    assert entry.updated == datetime(2026, 3, 2, 8, tzinfo=timezone(timedelta(hours=-5)))


# --- the body ---------------------------------------------------------------


def test_tables_and_strikethrough_are_rendered() -> None:
    root = fragment(one(MD / "table-and-strikethrough.md").content)
    assert [th.text for th in root.iter("th")] == ["Flour", "Grams"]
    [cell] = root.xpath("//td[s]")
    assert (cell.find("s").text, cell.text_content()) == ("300", "300 250")


def test_raw_html_passes_through() -> None:
    root = fragment(one(MD / "raw-html.md").content)
    assert root.find("figure/img").get("src") == "https://example.org/a.jpg"
    assert root.find("p/abbr").get("title") == "HyperText"


def test_text_before_the_more_divider_is_the_summary() -> None:
    entry = one(MD / "more-separator.md")
    assert entry.summary == "The opening, with a link and code. Still the opening & more."
    assert entry.content is not None and "more-->" not in entry.content
    assert [p.text_content() for p in fragment(entry.content).iter("p")][-1] == (
        "The rest of the post."
    )


def test_first_paragraph_is_the_summary_without_divider_or_front_matter_summary() -> None:
    assert one(MD / "yaml-front-matter.md").summary == "A loaf needs flour, water & time."
    assert one(MD / "table-and-strikethrough.md").summary == ""  # no paragraph at all


def test_word_count_and_reading_time_from_the_rendered_text(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    words = " ".join(["word"] * 213) + " <b>one</b> **more**"
    path.write_text(f"---\ntitle: T\ndate: 2026-03-01\n---\n{words}\n", encoding="utf-8")
    entry = one(path)
    assert (entry.word_count, entry.reading_time) == (215, 2)  # 215 / 213 rounded up


# --- shortcodes and Liquid: never in a feed, told once ------------------------


def test_hugo_shortcodes_are_removed_and_a_paired_ones_text_kept() -> None:
    notices = Notices()
    entry = one(MD / "shortcodes.md", notices)
    root = fragment(entry.content)
    texts = [p.text_content() for p in root.iter("p")]
    assert texts == ["Before the figure.", "Keep this note text.",
                     "Write {{< figure >}} to show a shortcode."]  # Hugo's escape prints as is
    assert "{{%" not in entry.content and "youtube" not in entry.content
    assert notices.lines() == (
        f"{HUGO}: 4 ({{{{< figure >}}}} ×2, {{{{% note %}}}}, {{{{< youtube >}}}}) in 1 file: "
        f"{MD / 'shortcodes.md'}",
    )


def test_liquid_tags_are_removed_raw_kept_comments_dropped() -> None:
    notices = Notices()
    entry = one(MD / "liquid.md", notices)
    texts = [p.text_content() for p in fragment(entry.content).iter("p")]
    assert texts == ["Hello , see .", "Only when drafted.", "Show {{ this }} as written."]
    assert "never shown" not in (entry.content or "")
    assert notices.lines() == (
        f"{LIQUID}: 3 ({{{{ site.title }}}}, {{% link %}}, {{% if %}}) in 1 file: "
        f"{MD / 'liquid.md'}",
    )


def test_each_kind_is_told_once_per_build_naming_the_first_files(tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    for n in range(1, 6):
        (posts / f"p{n}.md").write_text(
            f"---\ntitle: Post {n}\ndate: 2026-03-0{n}\n---\nA {{{{< figure >}}}} here.\n",
            encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text("site:\n  title: T\n  base_url: https://example.org/\n  author: me\n"
                      "inputs: [posts/*.md]\noutput: feeds\n", encoding="utf-8")
    notices = Notices()
    entries = read_entries(load_config(config), notices)
    assert len(entries) == 5
    [line] = notices.lines()
    files = ", ".join(str(posts / f"p{n}.md") for n in range(1, 4))
    assert line == f"{HUGO}: 5 ({{{{< figure >}}}} ×5) in 5 files: {files} and 2 more"


def test_a_stray_brace_pair_never_swallows_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text("---\ntitle: T\ndate: 2026-03-01\n---\nA {{ stray.\n\nKept }} here.\n",
                    encoding="utf-8")
    texts = [p.text for p in fragment(one(path).content).iter("p")]
    assert texts == ["A {{ stray.", "Kept }} here."]


def test_without_a_collector_shortcodes_are_still_removed() -> None:
    assert "youtube" not in (one(MD / "shortcodes.md").content or "")


# --- errors: file:line, what is wrong, what to do ------------------------------


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("unclosed-fence.md", 2, "the YAML front matter opened here with '---' is never closed: "
         "add a line '---' after its last line, before the post's text"),
        ("bad-yaml.md", 5, "not valid YAML: expected ',' or ']', but got ':'"),
        ("bad-toml.md", 4, "not valid TOML: Invalid value"),
    ],
)
def test_front_matter_that_cannot_be_read(name: str, line: int, message: str) -> None:
    with pytest.raises(InputError) as info:
        read_file(MD / name)
    assert (info.value.source, info.value.message) == (f"{MD / name}:{line}", message)


BAD = [
    # (file text, line, message)
    ("Just text.\n", 1, "no front matter: a Markdown file must start with front matter "
     "holding at least its title and date: YAML between '---' lines, TOML between '+++' lines, "
     "or a JSON object"),
    ("+++\ntitle = 'T'\n", 1, "the TOML front matter opened here with '+++' is never closed: "
     "add a line '+++' after its last line, before the post's text"),
    ("---\ndate: 2026-03-01\n---\n# A heading\n", 1, "title is required: add 'title: …' to the "
     "front matter (feedwright does not guess one from the file name or a heading)"),
    ("---\ntitle: T\n---\n", 1, "date is required: add 'date: YYYY-MM-DD' (or an RFC 3339 "
     "datetime) to the front matter"),
    ("---\ntitle: T\ndate: 2026-03-01\ndraft: 'yes'\n---\n", 4,
     "draft: expected true or false, got 'yes'"),
    ("---\ntitle: T\nlayout: x\nDate: March 1st\n---\n", 4,
     "date: 'March 1st' is not a date (YYYY-MM-DD) or an RFC 3339 datetime"),
    ("---\ntitle: T\ndate: 2026-03-01T10:00:00\n---\n", 3, "date: '2026-03-01T10:00:00' has no "
     "UTC offset; add one, e.g. 2026-03-01T10:00:00Z or 2026-03-01T10:00:00+02:00"),
    ("+++\ntitle = 'T'\n\ndate = 2026-03-01T10:00:00\n+++\n", 4, "date: 2026-03-01T10:00:00 has "
     "no UTC offset; add one, e.g. 2026-03-01T10:00:00Z or 2026-03-01T10:00:00+02:00"),
    ("+++\ntitle = 'T'\ndate = 10:00:00\n+++\n", 3,
     "date: expected a date (YYYY-MM-DD) or RFC 3339 datetime, got datetime.time(10, 0)"),
    ("---\ntitle: T\ndate: 2026-03-01\nlastmod: 2026-03-02\n---\n", 4, "lastmod: 2026-03-02 is "
     "a date; a change needs a time too, e.g. 2026-03-02T10:00:00Z"),
    ("---\ntitle: T\ndate: 2026-03-01\ntags: cooking, bread\n---\n", 4, "tags: 'cooking, bread' "
     "is one string; write a list, e.g. tags: [cooking, bread]"),
    ('+++\ntitle = "T"\ndate = 2026-03-01\n"categories" = [1]\n+++\n', 4,
     "categories: expected a list of names, got [1]"),
    ('+++\ntitle = "T"\nsummary = """\nreading_time = 3\n"""\ndate = 2026-03-01\n'
     "reading_time = -1\n+++\n", 7, "reading_time: expected a whole number >= 0, got -1"),
    ('+++\ntitle = "T"\ndate = 2026-03-01\ntags = [\n+++\n', 5,
     "not valid TOML: Invalid value at the end of the front matter"),
    ('+++\ntitle = "T"\ndate = \n+++\n', 3, "not valid TOML: Invalid value"),
    ('{\n  "title": "T",\n  "x": {"id": 1},\n  "id": 7,\n  "date": "2026-03-01"\n}\n', 4,
     "id: expected text, got int 7"),
    ('{\n  "title": "T"\n  "date": "2026-03-01"\n}\nBody\n', 3,
     "not valid JSON: Expecting ',' delimiter"),
    ("---\n- a list\n---\n", 1,
     "the YAML front matter must be a mapping of keys to values, got list"),
    ("---\ntitle: T\nTitle: U\ndate: 2026-03-01\n---\n", 3, "title: given twice, as 'title' and "
     "'Title' (keys are read without regard to case); keep one"),
    ("---\ntitle: '  '\ndate: 2026-03-01\n---\n", 2, "title: must not be empty"),
    ("---\ntitle: T\ndate: 2026-03-01\nauthor: A\nauthors: [B]\n---\n", 5,
     "authors: give either author or authors, not both"),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD, ids=[m[:40] for _, _, m in BAD])
def test_bad_front_matter_is_an_error_at_its_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    problem = error(tmp_path, text)
    assert (problem.source, problem.message) == (f"{tmp_path / 'post.md'}:{line}", message)


def test_a_bad_post_exits_2_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "post.md").write_text("---\ntitle: T\ndate: soon\n---\n", encoding="utf-8")
    (tmp_path / "config.yaml").write_text(
        "site:\n  title: T\n  base_url: https://example.org/\n  author: me\n"
        "inputs: [post.md]\noutput: feeds\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--config", str(tmp_path / "config.yaml")])
    assert result.exit_code == 2
    assert result.stderr == (f"feedwright: error: {tmp_path / 'post.md'}:3: date: 'soon' is not "
                             "a date (YYYY-MM-DD) or an RFC 3339 datetime\n")


# --- a whole build ------------------------------------------------------------

POST = """\
---
title: Rendered post
date: 2026-03-02T10:00:00Z
tags: [bread]
---
A **bold** start with a [link](https://example.org/about/).

{{< gallery >}}

| a | b |
|---|---|
| 1 | 2 |
"""


def test_a_folder_of_markdown_builds_and_feed_readers_get_the_html(tmp_path: Path) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "rendered.md").write_text(POST, encoding="utf-8")
    (posts / "draft.md").write_text("---\ntitle: Draft\ndate: 2026-03-03\ndraft: true\n---\nx\n",
                                    encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text("site:\n  title: T\n  base_url: https://example.org/\n  author: me\n"
                      "inputs: [posts/*.md]\noutput: feeds\n", encoding="utf-8")
    result = build(config, now=NOW, cache=False)
    where = posts / "rendered.md"
    assert result.notices == (f"{HUGO}: 1 ({{{{< gallery >}}}}) in 1 file: {where}",
                              f"{LEFT_OUT}: 1 (draft) in 1 file: {posts / 'draft.md'}:1")
    feed = feedparser.parse((tmp_path / "feeds" / "atom.xml").read_bytes())
    [entry] = feed.entries
    assert entry.title == "Rendered post"
    assert entry.link == "https://example.org/posts/rendered/"
    assert entry.summary == "A bold start with a link."
    root = fragment(entry.content[0].value)
    assert root.find("p/strong").text == "bold"
    assert root.find("p/a").get("href") == "https://example.org/about/"
    assert [td.text for td in root.iter("td")] == ["1", "2"]
    assert "gallery" not in entry.content[0].value
    cli_run = CliRunner().invoke(cli, ["build", "--config", str(config), "--no-cache"])
    assert cli_run.exit_code == 0, cli_run.output
    assert f"feedwright: note: {result.notices[0]}\n" in cli_run.stderr


@pytest.mark.parametrize("opening, close", [
    ('{{< figure src="x.png"', ">}}"), ("{{% note", "%}}"), ("{% if site.x", "%}"),
])
def test_a_template_tag_never_closed_is_refused_at_its_line(
    tmp_path: Path, opening: str, close: str
) -> None:
    post = tmp_path / "post.md"
    post.write_text(f"---\ntitle: T\ndate: 2026-01-01T00:00:00Z\n---\nFine.\n\nText {opening}\n\n"
                    "More {{</* kept */>}} as written.\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_markdown(post)
    assert info.value.source == f"{post}:7"
    assert f"never closed: {opening!r}; close it with {close}" in info.value.message
