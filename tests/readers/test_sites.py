"""A site generator's tree, built end to end through `source:`: feeds whose
links, titles and dates are what the generator itself gives those posts
(tests/data/sites/, each with the generator's own output)."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import datetime
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from tests.helpers import DATA
from tests.helpers import NOW

from feedwright import build
from feedwright.cli import cli
from feedwright.config import GENERATORS
from feedwright.readers import SITE_READERS

SITES = DATA / "sites"


def test_every_generator_the_config_names_has_a_reader() -> None:
    assert set(GENERATORS) == set(SITE_READERS)


def site_copy(tmp_path: Path, name: str, generator: str, base_url: str) -> Path:
    root = tmp_path / name
    shutil.copytree(SITES / name, root)
    (root / "feedwright.yaml").write_text(
        f"site:\n  title: Sample\n  base_url: {base_url}\n  author: Sam\n"
        f"source:\n  generator: {generator}\n  root: .\nformats: [rss, atom, json]\n",
        encoding="utf-8")
    return root


def test_a_hugo_site_builds_with_the_links_hugo_gives(tmp_path: Path) -> None:
    root = site_copy(tmp_path, "hugo-toml", "hugo", "https://example.org/blog/")
    result = build(root / "feedwright.yaml", now=NOW, cache=False)
    with (SITES / "hugo-toml" / "hugo-list-all.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["path"].startswith("content/posts/")
                and not r["path"].endswith("_index.md")]
    expiry = {r["path"]: r["expiryDate"] for r in rows}
    published = {
        r["permalink"]: (r["title"], datetime.fromisoformat(r["publishDate"]))
        for r in rows
        if r["draft"] == "false" and datetime.fromisoformat(r["publishDate"]) <= NOW
        and (expiry[r["path"]].startswith("0001") or
             datetime.fromisoformat(expiry[r["path"]]) > NOW)
    }
    assert len(published) == 5
    feed = feedparser.parse((root / "feeds" / "atom.xml").read_bytes())
    got = {e.link: (e.title, datetime.fromisoformat(e.published)) for e in feed.entries}
    assert got == published
    items = json.loads((root / "feeds" / "feed.json").read_bytes())["items"]
    assert {i["url"] for i in items} == set(published)
    for item in items:  # full content, no relative URL anywhere
        assert 'src="http' in item["content_html"] or "src=" not in item["content_html"]
    assert any("left out posts" in n and "3 (draft, expired, scheduled)" in n
               for n in result.notices)
    assert any("{{< youtube >}}" in n for n in result.notices)


def test_a_source_must_name_a_known_generator(tmp_path: Path) -> None:
    from feedwright import ConfigError

    root = site_copy(tmp_path, "hugo-toml", "gatsby", "https://example.org/blog/")
    with pytest.raises(ConfigError, match="source.generator: expected one of"):
        build(root / "feedwright.yaml", now=NOW)


@pytest.mark.parametrize("name, generator", [("hugo-toml", "hugo"), ("jekyll-tz", "jekyll")])
def test_init_then_build_gives_the_generators_links(
    tmp_path: Path, name: str, generator: str, runner: CliRunner
) -> None:
    root = tmp_path / name
    shutil.copytree(SITES / name, root)
    made = runner.invoke(cli, ["init", str(root)], catch_exceptions=False)
    assert made.exit_code == 0, made.output
    assert f"for a {generator} site" in made.stderr
    config = (root / "feedwright.yaml").read_text(encoding="utf-8")
    assert f"generator: {generator}" in config
    if generator == "hugo":  # Hugo's site has no author: init says so, build refuses
        assert "fill in author" in made.stderr
        assert build_refused(root)
        config = config.replace("  # author: …", '  author: "Sam"  #')
        (root / "feedwright.yaml").write_text(config, encoding="utf-8")
    result = build(root / "feedwright.yaml", now=NOW, cache=False)
    out = root / ("public" if generator == "hugo" else "_site") / "feeds"
    assert result.output == out
    links = {e.link for e in feedparser.parse((out / "atom.xml").read_bytes()).entries}
    if generator == "hugo":
        with (SITES / name / "hugo-list-all.csv").open(encoding="utf-8") as handle:
            known = {r["permalink"] for r in csv.DictReader(handle)}
    else:
        from lxml import etree

        atom = "{http://www.w3.org/2005/Atom}"
        tree = etree.parse(str(SITES / name / "jekyll-feed.xml"))
        known = {link.get("href") for link in tree.iter(f"{atom}link")}
        # titles and dates too: what jekyll-feed says of each post
        theirs = {e.find(f"{atom}link").get("href"): (
            e.findtext(f"{atom}title"), datetime.fromisoformat(e.findtext(f"{atom}published")))
            for e in tree.iter(f"{atom}entry")}
        ours = {e.link: (e.title, datetime.fromisoformat(e.published))
                for e in feedparser.parse((out / "atom.xml").read_bytes()).entries}
        assert ours == theirs
    assert links and links <= known
    again = runner.invoke(cli, ["init", str(root)], catch_exceptions=False)
    assert again.exit_code == 2 and "already exists; pass --force" in again.stderr


def test_init_offers_archives_and_websub_commented_out_and_they_work_uncommented(
    tmp_path: Path, runner: CliRunner
) -> None:
    root = tmp_path / "jekyll-tz"
    shutil.copytree(SITES / "jekyll-tz", root)
    assert runner.invoke(cli, ["init", str(root)], catch_exceptions=False).exit_code == 0
    path = root / "feedwright.yaml"
    config = path.read_text(encoding="utf-8")
    assert "# archives: {per_page: 100}" in config and "# websub: {hubs: [" in config
    path.write_text(config.replace("# archives:", "archives:").replace("# websub:", "websub:"),
                    encoding="utf-8")
    result = build(path, now=NOW, cache=False)
    atom = feedparser.parse((result.output / "atom.xml").read_bytes())
    assert [li.href for li in atom.feed.links if li.rel == "hub"] == [
        "https://pubsubhubbub.appspot.com/"]


def build_refused(root: Path) -> bool:
    from feedwright import ConfigError

    try:
        build(root / "feedwright.yaml", now=NOW, cache=False)
    except ConfigError as exc:
        return "site.author is required" in str(exc)
    return False


def test_init_on_a_folder_of_markdown_says_what_to_fill_in(
    tmp_path: Path, runner: CliRunner
) -> None:
    (tmp_path / "post.md").write_text("---\ntitle: T\ndate: 2026-01-01\n---\nx\n",
                                      encoding="utf-8")
    made = runner.invoke(cli, ["init", str(tmp_path)], catch_exceptions=False)
    assert made.exit_code == 0
    assert 'inputs: ["**/*.md"]' in (tmp_path / "feedwright.yaml").read_text(encoding="utf-8")
    assert "fill in base_url" in made.stderr and "fill in title" in made.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = runner.invoke(cli, ["init", str(empty)], catch_exceptions=False)
    assert nothing.exit_code == 2 and "no Hugo site" in nothing.stderr
