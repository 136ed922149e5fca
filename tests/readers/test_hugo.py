"""The Hugo site reader against what Hugo 0.111.3 itself says of small trees (no hugo needed).

Each tree under ``tests/data/sites/hugo-*`` holds the ``hugo list all``
output Hugo gave for it (``hugo-list-all.csv``): every post read here must
have the permalink, title and date Hugo gives it there.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tests.helpers import DATA

from feedwright.errors import ConfigError
from feedwright.errors import InputError
from feedwright.model import Author
from feedwright.readers.hugo import HugoSite
from feedwright.readers.hugo import load_hugo_config
from feedwright.readers.hugo import read_hugo_site
from feedwright.readers.hugo import urlize
from feedwright.readers.markdown import HUGO
from feedwright.readers.notices import Notices
from feedwright.readers.raw import RawEntry

SITES = DATA / "sites"
URLIZE = json.loads((SITES / "hugo-urlize.json").read_text(encoding="utf-8"))["paths"]


def hugo_list(root: Path) -> dict[str, dict[str, str]]:
    """``hugo list all`` of the tree, by the page's path under the tree."""
    with (root / "hugo-list-all.csv").open(encoding="utf-8", newline="") as f:
        return {row["path"]: row for row in csv.DictReader(f)}


def posts(root: Path, notices: Notices | None = None) -> dict[str, RawEntry]:
    """The posts read, by their path under the tree (as ``hugo list`` names them)."""
    entries = read_hugo_site(root, Notices() if notices is None else notices)
    out = {}
    for entry in entries:
        path = Path(entry.source.rpartition(":")[0]).relative_to(root).as_posix()
        assert path not in out
        out[path] = entry
    return out


def site(tmp_path: Path, config: str, pages: dict[str, str], name: str = "hugo.toml") -> Path:
    """A small Hugo tree: the config file and ``content/<path>`` files."""
    (tmp_path / name).write_text(config, encoding="utf-8")
    for path, text in pages.items():
        file = tmp_path / "content" / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    return tmp_path


def toml_post(title: str, *lines: str) -> str:
    return "\n".join(["+++", f'title = "{title}"', 'date = 2024-01-01', *lines, "+++", "Text."])


BASE = 'baseURL = "https://e.org/"\n'


# --- urlize: Hugo's :title ---------------------------------------------------


@pytest.mark.parametrize(("title", "path"), URLIZE.items(), ids=[repr(t) for t in URLIZE])
def test_urlize_gives_the_path_hugo_gives_the_title(title: str, path: str) -> None:
    assert "/" + urlize(title) + "/" == path


def test_the_issue_example() -> None:
    assert urlize("Release 2.4. Notes") == "release-2.4.-notes"


# --- the reference trees: URL, title and date as Hugo gives them --------------

#: Tree → the paths Hugo lists that are posts (the main sections' regular pages).
TREES = {
    "hugo-toml": lambda path: path.startswith("content/posts/"),
    "hugo-yaml": lambda path: path.startswith(("content/blog/", "content/news/")),
    "hugo-paths": lambda path: True,
}


@pytest.mark.parametrize("tree", TREES)
def test_every_post_has_hugos_permalink_title_and_date(tree: str) -> None:
    root = SITES / tree
    listed = hugo_list(root)
    read = posts(root)
    assert set(read) == {path for path in listed if TREES[tree](path)}
    for path, entry in read.items():
        row = listed[path]
        assert entry.url == row["permalink"], path
        assert entry.title == row["title"], path
        assert entry.published == datetime.fromisoformat(row["publishDate"]), path
        assert entry.published.utcoffset() is not None
        expiry = datetime.fromisoformat(row["expiryDate"])
        assert entry.expires == (None if expiry.year == 1 else expiry), path
        assert entry.draft == (row["draft"] == "true"), path


def test_list_pages_stray_pages_and_other_sections_are_not_posts() -> None:
    read = posts(SITES / "hugo-toml")
    assert "content/posts/_index.md" not in read
    assert "content/about.md" not in read
    assert not any(path.startswith("content/notes/") for path in read)
    assert "content/posts/bundle/index.md" in read  # a page bundle is a post


def test_a_bundles_other_markdown_files_are_its_resources() -> None:
    read = posts(SITES / "hugo-yaml")
    assert "content/blog/Trip Report/index.md" in read
    assert "content/blog/Trip Report/notes.md" not in read


def test_drafts_scheduled_and_expired_posts_come_back_flagged() -> None:
    read = posts(SITES / "hugo-toml")
    berlin = ZoneInfo("Europe/Berlin")
    assert read["content/posts/draft.md"].draft
    assert read["content/posts/scheduled.md"].published == datetime(2031, 1, 1, tzinfo=berlin)
    assert read["content/posts/expired.md"].expires == datetime(2025, 2, 1, tzinfo=berlin)
    assert not read["content/posts/release-notes.md"].draft
    assert read["content/posts/release-notes.md"].expires is None


def test_dates_without_offset_are_in_the_sites_time_zone_and_urls_use_the_written_one() -> None:
    read = posts(SITES / "hugo-toml")
    local = read["content/posts/local-time.md"]
    assert local.published == datetime(2026, 2, 28, 23, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    late = read["content/posts/second/index.md"]  # 23:30 UTC: March in Berlin, URL says 02
    assert late.published == datetime(2026, 2, 28, 23, 30, tzinfo=UTC)
    assert late.url == "https://example.org/blog/2026/02/late-night-in-berlin/"
    assert late.updated == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def test_publish_date_is_the_publication_the_url_follows_date() -> None:
    both = posts(SITES / "hugo-yaml")["content/blog/both-dates.md"]
    assert both.published == datetime(2024, 4, 1, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    assert "/2024/mar-01/" in (both.url or "")


def test_mixed_case_keys_and_the_post_fields() -> None:
    read = posts(SITES / "hugo-toml")
    bundle = read["content/posts/bundle/index.md"]  # Title, Date, Tags
    assert bundle.title == "A Page Bundle"
    assert bundle.tags == ("hugo",)
    assert bundle.slug == "bundled-post"
    notes = read["content/posts/release-notes.md"]
    assert notes.tags == ("release", "Go", "News")
    assert notes.summary == "What is new in 2.4."
    assert notes.content is not None and "footnote" in notes.content
    assert "<!--more-->" not in notes.content
    spaced = posts(SITES / "hugo-yaml")["content/blog/spaced.md"]  # Title, DATE, lastMod, Slug
    assert spaced.updated == datetime(2024, 1, 10, 8, 0, tzinfo=UTC)


def test_shortcodes_are_removed_and_noted_once() -> None:
    notices = Notices()
    bundle = posts(SITES / "hugo-toml", notices)["content/posts/bundle/index.md"]
    assert bundle.content is not None
    assert "{{" not in bundle.content and "youtube" not in bundle.content
    assert "The end." in bundle.content
    [line] = notices.lines()
    assert line.startswith(HUGO) and "{{< youtube >}}" in line and "bundle/index.md" in line


# --- the site's config ------------------------------------------------------


def test_hugo_toml_is_read() -> None:
    root = SITES / "hugo-toml"
    hugo = load_hugo_config(root)
    assert isinstance(hugo, HugoSite)
    assert hugo.config_file == root / "hugo.toml"
    assert hugo.base_url == "https://example.org/blog/"
    assert (hugo.title, hugo.language_code, hugo.time_zone) == ("Hugo Sample", "en-gb",
                                                               "Europe/Berlin")
    assert hugo.tz == ZoneInfo("Europe/Berlin")
    assert hugo.permalinks == {"posts": "/:year/:month/:title/"}
    assert hugo.taxonomies == {"tag": "tags", "category": "categories"}
    assert hugo.main_sections == ()
    assert hugo.content_dir == root / "content"


def test_hugos_own_config_yaml_with_mixed_case_keys_and_params() -> None:
    hugo = load_hugo_config(SITES / "hugo-yaml")
    assert hugo.config_file.name == "config.yaml"
    assert hugo.title == "Hugo YAML Sample"  # written Title
    assert hugo.main_sections == ("blog", "news")
    assert hugo.author == Author("Jo Writer", "jo@example.com")


def test_a_config_yaml_without_content_beside_it_is_not_hugos(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("site:\n  title: feedwright's own\n",
                                          encoding="utf-8")
    with pytest.raises(ConfigError, match="no Hugo site"):
        load_hugo_config(tmp_path)


def test_newer_permalinks_page_table_and_config_default_folder(tmp_path: Path) -> None:
    (tmp_path / "config" / "_default").mkdir(parents=True)
    (tmp_path / "config" / "_default" / "hugo.toml").write_text(BASE, encoding="utf-8")
    (tmp_path / "config" / "_default" / "permalinks.toml").write_text(
        '[page]\nposts = "/p/:slug/"\n[section]\nposts = "/p/"\n', encoding="utf-8")
    (tmp_path / "config" / "_default" / "params.toml").write_text(
        'author = "Ann"\n', encoding="utf-8")
    hugo = load_hugo_config(tmp_path)
    assert hugo.permalinks == {"posts": "/p/:slug/"}
    assert hugo.author == Author("Ann")


# --- Hugo's main-section rule, ugly URLs, other formats ------------------------


def test_without_main_sections_the_section_with_most_pages_is_the_posts(tmp_path: Path) -> None:
    root = site(tmp_path, BASE, {
        "a/1.md": toml_post("A1"), "a/2.md": toml_post("A2"),
        "b/1.md": toml_post("B1"), "b/2.md": toml_post("B2"), "b/3.md": toml_post("B3"),
        "c/_index.md": "+++\n+++\n", "c/sub/_index.md": "+++\n+++\n",
        "c/sub/x.md": toml_post("C"),  # one subsection: weight 5
        "top.md": toml_post("Top"),
    })
    assert {e.title for e in read_hugo_site(root, Notices())} == {"C"}
    (root / "content" / "c" / "sub" / "_index.md").unlink()  # c: one page of its own
    assert {e.title for e in read_hugo_site(root, Notices())} == {"B1", "B2", "B3"}


def test_a_tie_goes_to_the_last_section_by_name_as_in_hugo(tmp_path: Path) -> None:
    root = site(tmp_path, BASE, {"a/1.md": toml_post("A"), "b/1.md": toml_post("B")})
    assert [e.title for e in read_hugo_site(root, Notices())] == ["B"]


def test_ugly_urls(tmp_path: Path) -> None:
    # What hugo 0.111.3 gave this tree (uglyURLs applies to every page but a front matter url).
    config = BASE + 'uglyURLs = true\nmainSections = ["posts", "blog"]\n' \
        '[permalinks]\nblog = "/:year/:title/"\n'
    root = site(tmp_path, config, {
        "posts/a.md": toml_post("A"), "posts/bun/index.md": toml_post("B"),
        "blog/c.md": toml_post("C c"), "blog/d.md": toml_post("D", 'url = "/d/"'),
    })
    assert {e.title: e.url for e in read_hugo_site(root, Notices())} == {
        "A": "https://e.org/posts/a.html", "B": "https://e.org/posts/bun.html",
        "C c": "https://e.org/2024/c-c.html", "D": "https://e.org/d/",
    }


def test_pages_hugo_renders_with_other_tools_are_left_out_with_a_notice(tmp_path: Path) -> None:
    root = site(tmp_path, BASE, {"posts/a.md": toml_post("A"), "posts/b.org": "#+title: B\n"})
    notices = Notices()
    assert [e.title for e in read_hugo_site(root, notices)] == ["A"]
    assert "posts/b.org" in notices.lines()[0]


def test_base_url_from_the_command_line_wins(tmp_path: Path) -> None:
    root = site(tmp_path, 'baseURL = "/"\n', {"posts/a.md": toml_post("A")})
    [entry] = read_hugo_site(root, Notices(), base_url="https://deploy.example/x/")
    assert entry.url == "https://deploy.example/x/posts/a/"
    with pytest.raises(ConfigError, match="baseURL") as info:
        read_hugo_site(root, Notices())
    assert info.value.source == str(root / "hugo.toml")


def test_a_lastmod_before_the_publication_is_not_an_update(tmp_path: Path) -> None:
    root = site(tmp_path, BASE, {"posts/a.md": toml_post("A", "lastmod = 2023-01-01")})
    [entry] = read_hugo_site(root, Notices())
    assert entry.updated is None


# --- errors: exit 2, at file:line, never a traceback ---------------------------


def test_bad_toml_front_matter_is_an_input_error_at_its_line(tmp_path: Path) -> None:
    root = site(tmp_path, BASE, {"posts/a.md": '+++\ntitle = "A"\ndate = = 2024\n+++\n'})
    with pytest.raises(InputError, match="not valid TOML") as info:
        read_hugo_site(root, Notices())
    assert info.value.source == f"{root / 'content/posts/a.md'}:3"
    assert info.value.exit_code == 2


def test_an_unknown_permalink_placeholder_is_a_config_error_at_its_line(tmp_path: Path) -> None:
    root = site(tmp_path, BASE + '\n[permalinks]\n  posts = "/:year/:foo/"\n',
                {"posts/a.md": toml_post("A")})
    with pytest.raises(ConfigError, match=r"permalinks\.posts: unknown placeholder :foo") as info:
        read_hugo_site(root, Notices())
    assert info.value.source == f"{root / 'hugo.toml'}:4"
    assert info.value.exit_code == 2


@pytest.mark.parametrize(("config", "message", "line"), [
    (BASE + 'timeZone = "Mars/Olympus"\n', "unknown IANA time zone", 2),
    (BASE + 'title = "x\n', "not valid TOML", 2),
    (BASE + "mainSections = 3\n", "mainSections: expected a list", 2),
])
def test_config_errors_name_the_line(tmp_path: Path, config: str, message: str,
                                     line: int) -> None:
    root = site(tmp_path, config, {"posts/a.md": toml_post("A")})
    with pytest.raises(ConfigError, match=message) as info:
        load_hugo_config(root)
    assert info.value.source == f"{root / 'hugo.toml'}:{line}"


@pytest.mark.parametrize(("lines", "message", "line"), [
    (['url = "https://elsewhere.example/x/"'], "url: .* is absolute", 4),
    (['publishDate = "next tuesday"'], "publishdate: expected a date", 4),
    (['expiryDate = "2024-02-30"'], "not a real date", 4),
    (["draft = 1"], "draft: expected true or false", 4),
])
def test_post_errors_name_the_key_line(tmp_path: Path, lines: list[str], message: str,
                                       line: int) -> None:
    root = site(tmp_path, BASE, {"posts/a.md": toml_post("A", *lines)})
    with pytest.raises(InputError, match=message) as info:
        read_hugo_site(root, Notices())
    assert info.value.source == f"{root / 'content/posts/a.md'}:{line}"


def test_a_post_without_a_date_says_what_to_add(tmp_path: Path) -> None:
    root = site(tmp_path, BASE, {"posts/a.md": '+++\ntitle = "A"\n+++\n'})
    with pytest.raises(InputError, match="date is required") as info:
        read_hugo_site(root, Notices())
    assert info.value.source == f"{root / 'content/posts/a.md'}:1"
