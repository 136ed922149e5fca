"""Size budgets (issue 15): readers' caps are a notice, ``budget:`` a gate error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.helpers import BASIC
from tests.helpers import NOW
from tests.helpers import make_site
from tests.helpers import snapshot

import feedwright.gate
from feedwright import ConfigError
from feedwright import InvalidFeedError
from feedwright import build
from feedwright.cli import cli
from feedwright.config import load_config
from feedwright.feedset import build_feedset
from feedwright.readers import Notices
from feedwright.readers import read_entries
from feedwright.render import render
from feedwright.validator.parse import READER_CAPS


def _cli(runner: CliRunner, config: Path) -> tuple[int, str]:
    result = runner.invoke(cli, ["build", "--config", str(config)], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _sizes(feeds: Path) -> dict[str, int]:
    return {p.relative_to(feeds).as_posix(): p.stat().st_size
            for p in feeds.rglob("*.xml") if p.is_file()}


def test_a_feed_over_budget_is_refused_and_published_feeds_stay(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW)
    before = snapshot(tmp_path / "feeds")
    sizes = _sizes(tmp_path / "feeds")
    # A budget every tag feed fits exactly, and the main feeds (three entries) do not.
    budget = max(size for path, size in sizes.items() if path.startswith("tags/"))
    assert sizes["rss.xml"] > budget and sizes["atom.xml"] > budget
    config.write_text(config.read_text(encoding="utf-8") + f"budget: {budget}\n",
                      encoding="utf-8")
    with pytest.raises(InvalidFeedError) as info:
        build(config, now=NOW)
    message = str(info.value)
    assert info.value.exit_code == 1
    assert f"over the budget of {budget:,} bytes" in message
    named = [line.strip() for line in message.splitlines() if line.endswith(" bytes")]
    assert named == [f"rss.xml: {sizes['rss.xml']:,} bytes",
                     f"atom.xml: {sizes['atom.xml']:,} bytes"]
    assert snapshot(tmp_path / "feeds") == before


def test_over_budget_through_the_cli_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    assert _cli(runner, config)[0] == 0
    before = snapshot(tmp_path / "feeds")
    config.write_text(config.read_text(encoding="utf-8") + "budget: 100\n", encoding="utf-8")
    code, output = _cli(runner, config)
    assert code == 1
    assert "over the budget of 100 bytes" in output
    assert "atom.xml: " in output and "tags/a/rss.xml: " in output
    assert snapshot(tmp_path / "feeds") == before


def test_a_site_under_budget_builds(runner: CliRunner, tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC, "budget: 1000000\n")
    code, output = _cli(runner, config)
    assert code == 0, output
    assert (tmp_path / "feeds" / "rss.xml").is_file()
    assert "readers accept" not in output


@pytest.mark.parametrize("value", ["0", "-5", "'4MB'", "1.5", "true", "[1]"])
def test_a_bad_budget_is_a_config_error_at_its_line(
    runner: CliRunner, tmp_path: Path, value: str,
) -> None:
    config = make_site(tmp_path, BASIC, f"budget: {value}\n")
    with pytest.raises(ConfigError) as info:
        build(config, now=NOW)
    assert str(info.value).startswith(f"{config}:7: budget: expected a number of bytes > 0")
    code, output = _cli(runner, config)
    assert code == 2
    [line] = output.strip().splitlines()
    assert f"{config}:7: budget:" in line


def test_the_caps_are_the_validators() -> None:
    # One table of caps in the codebase: the validator's.
    assert feedwright.gate.READER_CAPS is READER_CAPS


def test_a_feed_over_a_readers_cap_is_a_notice(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW, out=tmp_path / "probe")
    sizes = _sizes(tmp_path / "probe")
    cap = max(size for path, size in sizes.items() if path.startswith("tags/"))
    # The caps scaled down, so the main feeds go over the first only.
    monkeypatch.setattr(feedwright.gate, "READER_CAPS",
                        ((cap, "Reader A", "tiny"), (10**6, "Reader B", "1 MB")))
    code, output = _cli(runner, config)
    assert code == 0, output
    notes = [line for line in output.splitlines() if "readers accept" in line]
    assert [n.split(" is ")[0] for n in notes] == ["feedwright: note: rss.xml",
                                                   "feedwright: note: atom.xml"]
    line = notes[0]
    assert f"rss.xml is {sizes['rss.xml']:,} bytes" in line
    assert "refused by Reader A (over tiny)" in line
    assert "Reader B" not in line
    assert "lower `limit`" in line and "summaries" in line and "archives" in line
    # Through the library: the same lines in the build's notices.
    result = build(config, now=NOW)
    assert [n for n in result.notices if "readers accept" in n] == [
        n.removeprefix("feedwright: note: ") for n in notes]


def test_the_real_caps_name_the_readers_that_refuse_a_feed(tmp_path: Path) -> None:
    """The validator's own caps, on the main RSS feed with its fragments
    swapped for big ones (measured, never validated: fast)."""
    config = load_config(make_site(tmp_path, BASIC))
    doc = render(build_feedset(read_entries(config, Notices(), now=NOW), config))[0]
    assert doc.output.path == "rss.xml"
    assert feedwright.gate.reader_cap_notices([doc]) == ()

    def notice(total: int) -> str:
        big = doc.with_fragments([b"x" * (total // 3)] * 3)
        [line] = feedwright.gate.reader_cap_notices([big])
        assert f"rss.xml is {len(big.data):,} bytes" in line
        return line

    w3c = notice(5_100_000)  # over 5,000,000 bytes, under 5 MiB
    assert "refused by the W3C Feed Validation Service (over 5,000,000 bytes), whose" in w3c
    two = notice(6_000_000)
    assert ("refused by the W3C Feed Validation Service (over 5,000,000 bytes), "
            "CommaFeed (over 5 MiB), whose") in two
    assert "Miniflux" in notice(16 * 1024 * 1024)
    assert feedwright.gate.reader_cap_notices([doc.with_fragments([b"x" * 1000] * 3)]) == ()
