"""The command line: exit codes 0/1/2, one-line errors naming file:line, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from freezegun import freeze_time
from tests.helpers import BASIC
from tests.helpers import REPO
from tests.helpers import fresh_python
from tests.helpers import make_site

from feedwright.cli import cli


def run(runner: CliRunner, *args: str, input: bytes | None = None):  # noqa: ANN201
    result = runner.invoke(cli, list(args), input=input, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def test_build_ok_then_check_ok(runner: CliRunner, tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    first = run(runner, "build", "--config", str(config))
    assert first.exit_code == 0, first.output
    assert "wrote 9 of 9 files" in first.output
    second = run(runner, "build", "--config", str(config))
    assert "wrote 0 of 9" in second.output
    check = run(runner, "build", "--config", str(config), "--check")
    assert check.exit_code == 0
    assert "up to date" in check.output


def test_check_stale_exits_1_and_lists_files(runner: CliRunner, tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    run(runner, "build", "--config", str(config))
    (tmp_path / "feeds" / "rss.xml").write_text("stale", encoding="utf-8")
    result = run(runner, "build", "--config", str(config), "--check")
    assert result.exit_code == 1
    assert "1 of 9 files in" in result.output
    assert "is not what the config builds" in result.output
    assert "rss.xml" in result.output
    assert (tmp_path / "feeds" / "rss.xml").read_text(encoding="utf-8") == "stale"


def test_quiet_build_prints_nothing(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "build", "--config", str(make_site(tmp_path, BASIC)), "--quiet")
    assert result.exit_code == 0
    assert result.output == ""


def test_missing_config_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "build", "--config", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope.yaml'}: config file not found" in result.output


def test_build_finds_feedwright_yaml_before_config_yaml(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = make_site(tmp_path, BASIC).rename(tmp_path / "feedwright.yaml")
    # A Hugo site's own config.yaml beside it is neither read nor touched.
    hugo = tmp_path / "config.yaml"
    hugo.write_text("baseURL: https://example.org/\ntitle: Hugo's\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(runner, "build")
    assert result.exit_code == 0, result.output
    assert "wrote 9 of 9 files" in result.output
    assert hugo.read_text(encoding="utf-8").startswith("baseURL:")
    ours.unlink()
    result = run(runner, "build")
    assert result.exit_code == 2
    assert f"{hugo}:1: this is not a feedwright config (none of its keys is ours" in result.output
    hugo.unlink()
    result = run(runner, "build")
    assert result.exit_code == 2
    assert "no feedwright.yaml or config.yaml here" in result.output


def test_unknown_config_key_exits_2_with_line(runner: CliRunner, tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC, "colour: blue\n")
    result = run(runner, "build", "--config", str(config))
    assert result.exit_code == 2
    assert f"{config}:7: colour: unknown key" in result.output


def test_bad_regex_exits_2_with_line(runner: CliRunner, tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC, "tags:\n  rules:\n    rag: [\"/(unclosed/\"]\n")
    result = run(runner, "build", "--config", str(config))
    assert result.exit_code == 2
    assert f"{config}:9: tags.rules.rag: bad regular expression" in result.output


def test_bad_meta_line_exits_2_with_file_line(runner: CliRunner, tmp_path: Path) -> None:
    page = (REPO / "archive" / "000_c3e0ca055b8300cb.txt").read_text(encoding="utf-8")
    broken = page.replace("April 1, 2026\u00a0·\u00a010 min", "April 1 2026\u00a0·\u00a0ten min")
    (tmp_path / "page.txt").write_text(broken, encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(
        "site: {title: T, base_url: 'https://example.org/', author: a}\ninputs: [page.txt]\n",
        encoding="utf-8",
    )
    result = run(runner, "build", "--config", str(config))
    assert result.exit_code == 2
    assert f"{tmp_path / 'page.txt'}:17: cannot read the meta line" in result.output
    assert not (tmp_path / "feeds").exists()


def test_unwritable_output_exits_2_with_one_line(runner: CliRunner, tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    blocker = tmp_path / "blocker"
    blocker.write_bytes(b"")
    result = run(runner, "build", "--config", str(config), "--out", str(blocker / "feeds"))
    assert result.exit_code == 2
    assert result.output.startswith(f"feedwright: error: {blocker / 'feeds'}")
    assert ": cannot " in result.output and len(result.output.splitlines()) == 1
    assert blocker.read_bytes() == b""


def test_future_entry_exits_1_naming_rule_and_entry(runner: CliRunner, tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC, "future: error\n")
    with freeze_time("2026-03-02 12:00:00"):
        result = run(runner, "build", "--config", str(config))
    assert result.exit_code == 1
    assert "date-in-future" in result.output
    assert f"entry at {tmp_path / 'entries.yaml'}:1" in result.output
    assert not (tmp_path / "feeds").exists()


def test_validate_our_own_feeds_text_and_json(runner: CliRunner) -> None:
    feeds = [str(p) for p in sorted((REPO / "feeds").rglob("*"))
             if p.is_file() and p.suffix in (".xml", ".json")]
    assert len(feeds) == 27  # main + 8 tags, each in RSS, Atom and JSON Feed
    text = run(runner, "validate", "--strict", *feeds)
    assert text.exit_code == 0, text.output
    assert f"{len(feeds)} checked, {len(feeds)} valid, 0 invalid" in text.output
    result = run(runner, "validate", "--format", "json", *feeds[:3])
    reports = json.loads(result.output)
    assert [r["path"] for r in reports] == feeds[:3]
    assert {r["format"] for r in reports} == {"rss2", "atom1", "jsonfeed1"}
    assert all(r["valid"] and r["issues"] == [] for r in reports)


def test_validate_invalid_feed_exits_1_with_positions(runner: CliRunner, tmp_path: Path) -> None:
    feed = tmp_path / "broken.xml"
    feed.write_text('<?xml version="1.0"?>\n<rss version="2.0">\n  <channel>\n', encoding="utf-8")
    result = run(runner, "validate", "--format", "json", str(feed))
    assert result.exit_code == 1
    [report] = json.loads(result.output)
    assert report["valid"] is False
    issue = report["issues"][0]
    assert issue["severity"] == "error"
    assert issue["code"] == "xml-not-well-formed"
    assert issue["line"] == 4
    text = run(runner, "validate", str(feed))
    assert f"{feed}:4:" in text.output
    assert "error xml-not-well-formed" in text.output


def test_validate_unreadable_input_still_gets_a_report(runner: CliRunner, tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.xml")
    ok = str(REPO / "feeds" / "rss.xml")
    result = run(runner, "validate", "--format", "json", missing, ok)
    assert result.exit_code == 1
    reports = json.loads(result.output)
    assert [r["path"] for r in reports] == [missing, ok]
    assert reports[0]["valid"] is False and reports[0]["format"] == "unknown"
    assert len(reports[0]["issues"]) == 1 and reports[0]["issues"][0]["severity"] == "error"
    assert reports[0]["issues"][0]["code"] == "input-unreadable"
    assert reports[0]["issues"][0]["message"] == "the input cannot be read: no such file"
    assert reports[1]["valid"] is True


def test_input_unreadable_is_a_rule_explain_knows(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "explain", "input-unreadable")
    assert result.exit_code == 0
    assert result.output.startswith("input-unreadable (error): the input cannot be read\n")
    assert "Why it matters:" in result.output and "How to fix:" in result.output
    missing = str(tmp_path / "missing.xml")
    explained = run(runner, "validate", "--explain", missing)
    assert explained.exit_code == 1
    assert f"{missing}: error input-unreadable: the input cannot be read: " in explained.output
    assert "input-unreadable (error): the input cannot be read" in explained.output


def test_validate_stdin(runner: CliRunner) -> None:
    data = (REPO / "feeds" / "atom.xml").read_bytes()
    result = run(runner, "validate", "--format", "json", "-", input=data)
    assert result.exit_code == 0
    assert json.loads(result.output)[0]["format"] == "atom1"


def test_validate_needs_an_input(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 2
    assert "Missing argument" in result.output


def test_validate_explain_says_why_and_how(runner: CliRunner, tmp_path: Path) -> None:
    feed = tmp_path / "no-title.xml"
    feed.write_text(
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><link>https://example.org/</link>'
        "<description>d</description></channel></rss>\n",
        encoding="utf-8",
    )
    result = run(runner, "validate", "--explain", str(feed))
    assert result.exit_code == 1
    assert "rss-missing-channel-title (error): <channel> has no <title>" in result.output
    assert "Why it matters:" in result.output and "How to fix:" in result.output


def test_explain_a_code_and_list_all(runner: CliRunner) -> None:
    one = run(runner, "explain", "rss-invalid-date")
    assert one.exit_code == 0
    assert one.output.startswith("rss-invalid-date (error):")
    listing = run(runner, "explain")
    assert "rss-missing-channel-title" in listing.output
    unknown = run(runner, "explain", "no-such-rule")
    assert unknown.exit_code == 2
    assert "unknown rule code 'no-such-rule'" in unknown.output


def test_an_internal_error_is_one_line_not_a_traceback(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import feedwright

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(feedwright, "build", broken)
    result = run(runner, "build", "--config", str(make_site(tmp_path, BASIC)))
    assert result.exit_code == 2
    assert "internal error: RuntimeError: boom" in result.output
    monkeypatch.setenv("FEEDWRIGHT_DEBUG", "1")
    with pytest.raises(RuntimeError):
        runner.invoke(cli, ["build", "--config", str(tmp_path / "config.yaml")],
                      catch_exceptions=False)


def test_validate_many_inputs_in_parallel_keeps_order(runner: CliRunner, tmp_path: Path) -> None:
    good = (REPO / "feeds" / "rss.xml").read_bytes()
    paths = []
    for n in range(12):
        path = tmp_path / f"feed-{n:02d}.xml"
        path.write_bytes(good if n != 5 else good.replace(b"<title>", b"<title>", 1)[:-20])
        paths.append(str(path))
    one = run(runner, "validate", "--format", "json", "-j", "1", *paths)
    two = run(runner, "validate", "--format", "json", "-j", "2", *paths)
    assert one.exit_code == two.exit_code == 1
    assert one.output == two.output
    reports = json.loads(two.output)
    assert [r["path"] for r in reports] == paths
    assert [r["valid"] for r in reports] == [n != 5 for n in range(12)]


def test_validate_imports_nothing_of_the_build() -> None:
    # A fresh interpreter: `feedwright validate` starts without the renderer,
    # the config and the readers (feedgen, PyYAML), and the package's public
    # `build` is the function, beside the module `feedwright.pipeline`.
    code = (
        "import sys, feedwright.cli\n"
        "heavy = {'feedgen', 'yaml', 'feedwright.pipeline', 'feedwright.config',"
        " 'feedwright.readers', 'feedwright.render'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
        "import feedwright, feedwright.pipeline\n"
        "print(feedwright.build is feedwright.pipeline.build)\n"
    )
    assert fresh_python(code) == ["[]", "True"]


def test_counts_are_printed_in_the_right_number(runner: CliRunner, tmp_path: Path) -> None:
    """"wrote 1 entries" and "(1 errors, 1 warnings)" once read as bugs."""
    config = make_site(tmp_path, "- title: Only post\n  published: 2026-03-01\n",
                       "formats: [rss]\nbrowser_view: none\nindex_page: false\nopml: false\n")
    built = run(runner, "build", "--config", str(config))
    assert built.output == f"wrote 1 of 1 file to {tmp_path / 'feeds'} (0 unchanged)\n"
    check = run(runner, "build", "--config", str(config), "--check")
    assert check.output == f"1 file in {tmp_path / 'feeds'} is up to date\n"
    page = tmp_path / "one.txt"
    page.write_text("A title\n\nA summary ...\n\nMarch 1, 2026 \u00b7 1 min \u00b7 1 word "
                    "\u00b7 ann\n", encoding="utf-8")
    out = tmp_path / "one.yaml"
    imported = runner.invoke(cli, ["import", str(page), "-o", str(out)])
    assert imported.stderr == f"wrote 1 entry to {out}\n"
    feed = (tmp_path / "feeds" / "rss.xml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.xml"  # one error (no title), one warning (no self link)
    bad.write_text(feed.replace("<title>Test site</title>", "").replace(
        '<atom:link href="https://example.org/feeds/rss.xml" rel="self" '
        'type="application/rss+xml"/>', ""), encoding="utf-8")
    result = run(runner, "validate", str(bad))
    assert result.output.splitlines()[-2:] == [
        f"{bad}: INVALID rss2 (1 error, 1 warning)", "1 checked, 0 valid, 1 invalid"]
    assert f"{bad}: valid rss2 (0 errors, 0 warnings)" in run(
        runner, "validate", str(tmp_path / "feeds" / "rss.xml")).output.replace(
        str(tmp_path / "feeds" / "rss.xml"), str(bad))


def test_build_prints_each_allowed_warning_once_on_stderr(runner: CliRunner,
                                                          tmp_path: Path) -> None:
    embed = ("- title: A video\n  published: 2026-03-04\n  summary: Embedded.\n"
             "  content: '<iframe src=\"https://www.youtube.com/embed/x\"></iframe>'\n")
    config = make_site(tmp_path, embed + BASIC, "gate:\n  allow: [html-security-risk]\n")
    with freeze_time("2026-11-23 12:00:00"):
        result = run(runner, "build", "--config", str(config))
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if line.startswith("feedwright: note:")]
    assert notes == [
        "feedwright: note: gate.allow accepted the warning html-security-risk (HTML content "
        f"holds scripts or embedded frames) in 1 place: {tmp_path / 'entries.yaml'}:1"
    ]
    bad = make_site(tmp_path, BASIC, "gate:\n  allow: [not-a-rule]\n")
    result = run(runner, "build", "--config", str(bad))
    assert result.exit_code == 2
    assert (f"feedwright: error: {bad}:8: gate.allow: unknown rule code 'not-a-rule'"
            in result.stderr)


def test_build_names_what_it_left_out_and_future_brings_it_in(
    runner: CliRunner, tmp_path: Path
) -> None:
    config = make_site(tmp_path, BASIC)
    with freeze_time("2026-03-02 12:00:00"):
        left = run(runner, "build", "--config", str(config), "--out", str(tmp_path / "a"))
        preview = run(runner, "build", "--config", str(config), "--out", str(tmp_path / "b"),
                      "--future")
    assert left.exit_code == 0 and preview.exit_code == 0, left.output + preview.output
    assert "feedwright: note: left out posts that are not to be published now" in left.stderr
    assert "1 (scheduled) in 1 file" in left.stderr
    assert "left out" not in preview.stderr
    assert b"Third post" not in (tmp_path / "a" / "rss.xml").read_bytes()
    assert b"Third post" in (tmp_path / "b" / "rss.xml").read_bytes()
