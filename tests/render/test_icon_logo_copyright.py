"""site.icon, .logo, .copyright: Atom icon/logo/rights, RSS image/copyright, JSON icons."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import feedparser
import pytest
from tests.helpers import BASIC
from tests.helpers import NOW
from tests.helpers import make_site

from feedwright import build
from feedwright.config import load_config
from feedwright.errors import ConfigError
from feedwright.feedset import build_feedset
from feedwright.readers import read_entries
from feedwright.render.keys import head_key

SITE = """\
  icon: /favicon.png
  logo: https://cdn.example.net/logo.svg
  copyright: "© 2026 Ann <ann@example.org> & friends"
"""


def _site(tmp_path: Path, site: str, formats: str = "[rss, atom, json]") -> Path:
    config = make_site(tmp_path, BASIC, f"formats: {formats}\n")
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  author: tester\n", "  author: tester\n" + site),
                      encoding="utf-8")
    return config


def _parse(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_every_format_carries_them(tmp_path: Path) -> None:
    build(_site(tmp_path, SITE), now=NOW)  # the gate: strict, every rule
    for folder in ("", "tags/a/"):
        out = tmp_path / "feeds" / folder
        atom = _parse(out / "atom.xml").feed
        assert atom.icon == "https://example.org/favicon.png"
        assert atom.logo == "https://cdn.example.net/logo.svg"
        assert atom.rights == "© 2026 Ann <ann@example.org> & friends"
        rss = _parse(out / "rss.xml").feed
        assert rss.rights == "© 2026 Ann <ann@example.org> & friends"
        # an SVG is no RSS image (W3C: ImageUrlFormat): the PNG icon stands in
        assert rss.image.href == "https://example.org/favicon.png"
        assert rss.image.title == rss.title
        assert rss.image.link == rss.link == "https://example.org/"
        data = json.loads((out / "feed.json").read_text(encoding="utf-8"))
        assert data["icon"] == "https://cdn.example.net/logo.svg"
        assert data["favicon"] == "https://example.org/favicon.png"
    text = (tmp_path / "feeds" / "rss.xml").read_text(encoding="utf-8")
    assert "<copyright>© 2026 Ann &#x3C;ann@example.org&#x3E; &#x26; friends</copyright>" in text


def test_rss_image_prefers_the_logo(tmp_path: Path) -> None:
    build(_site(tmp_path, "  icon: img/icon.ico\n  logo: img/logo.jpg\n"), now=NOW)
    rss = _parse(tmp_path / "feeds" / "rss.xml").feed
    assert rss.image.href == "https://example.org/img/logo.jpg"
    assert "rights" not in rss


def test_none_given_none_written(tmp_path: Path) -> None:
    build(_site(tmp_path, ""), now=NOW)
    out = tmp_path / "feeds"
    for name in ("rss.xml", "atom.xml"):
        text = (out / name).read_text(encoding="utf-8")
        for tag in ("<image>", "<icon>", "<logo>", "<rights>", "<copyright>"):
            assert tag not in text
    data = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    assert "icon" not in data and "favicon" not in data


def test_head_key_covers_them(tmp_path: Path) -> None:
    config = load_config(_site(tmp_path, SITE))
    feed = build_feedset(read_entries(config), config).feeds[0]
    output = feed.outputs[0]
    keys = {head_key(dataclasses.replace(feed, **{name: value}), output)
            for name, value in (("icon", None), ("logo", None), ("copyright", "other"))}
    assert len(keys | {head_key(feed, output)}) == 4


@pytest.mark.parametrize(
    "site, line, message",
    [
        ("  icon: ftp://example.org/i.png\n", 5,
         "site.icon: expected an absolute http(s) URL, got 'ftp://example.org/i.png'"),
        ("  logo: ''\n", 5, "site.logo: must not be empty (leave the key out for no image)"),
        ("  copyright: 2026\n", 5, "site.copyright: expected text, got int 2026"),
        ("  copyright: ' '\n", 5,
         "site.copyright: must not be empty (leave the key out for none)"),
    ],
    ids=["icon-scheme", "logo-empty", "copyright-number", "copyright-blank"],
)
def test_bad_values_name_the_key_and_line(
    tmp_path: Path, site: str, line: int, message: str
) -> None:
    config = _site(tmp_path, site)
    with pytest.raises(ConfigError) as info:
        load_config(config)
    assert info.value.source == f"{config}:{line}"
    assert info.value.message == message
