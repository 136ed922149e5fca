"""The command line: exit codes 0/1/2, one-line errors naming file:line, no tracebacks."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner
from freezegun import freeze_time
from tests.helpers import BASIC
from tests.helpers import REPO
from tests.helpers import fresh_python
from tests.helpers import make_site
from tests.helpers import serving

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
    assert result.exit_code == 2  # could not be read: not "invalid"
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
    assert explained.exit_code == 2
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
    assert "unknown rule code or W3C message class 'no-such-rule'" in unknown.output


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


# --- a person at a terminal: exit codes, folded issues, HTML pages, gzip, explain ----------

GOOD_RSS = REPO / "feeds" / "rss.xml"
GOOD_ATOM = REPO / "feeds" / "atom.xml"

ITEM = """    <item>
      <title>Post {n}</title>
      <link>https://example.org/posts/{n}/</link>
      <description>Summary of post {n}.</description>
      <guid>https://example.org/posts/{n}/</guid>
      <pubDate>Thu, 10 Jan 2030 09:30:00 +0000</pubDate>
    </item>
"""


def future_feed(items: int) -> str:
    """A valid RSS feed whose every item is dated 2030: one date-in-future warning each,
    item n's at line 8 + 7 * n, column 7."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        "  <channel>\n"
        "    <title>Example</title>\n"
        "    <link>https://example.org/</link>\n"
        "    <description>An example feed.</description>\n"
        '    <atom:link href="https://example.org/feed.xml" rel="self" '
        'type="application/rss+xml"/>\n'
        + "".join(ITEM.format(n=n) for n in range(items))
        + "  </channel>\n</rss>\n"
    )


def test_validate_exit_codes_tell_unreadable_from_invalid(runner: CliRunner,
                                                          tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text('<rss version="2.0">\n', encoding="utf-8")
    missing, folder, good = str(tmp_path / "missing.xml"), str(tmp_path), str(GOOD_RSS)
    assert run(runner, "validate", good).exit_code == 0
    assert run(runner, "validate", good, str(broken)).exit_code == 1
    for unreadable in (missing, folder):
        result = run(runner, "validate", good, str(broken), unreadable)
        assert result.exit_code == 2, unreadable
    text = run(runner, "validate", folder, good).output.splitlines()
    assert f"{folder}: UNREADABLE (is a directory, not a feed file)" in text
    assert text[-1] == "2 checked, 1 valid, 1 invalid (1 could not be read)"
    # the JSON contract is unchanged: an unreadable input is an invalid report
    [report] = json.loads(run(runner, "validate", "--format", "json", missing).output)
    assert report == {"path": missing, "format": "unknown", "valid": False, "issues": [
        {"severity": "error", "code": "input-unreadable",
         "message": "the input cannot be read: no such file", "line": None, "column": None}]}
    # larger than --max-bytes: read up to the cap and judged too large, not unreadable
    capped = run(runner, "validate", "--max-bytes", "100", good)
    assert capped.exit_code == 1
    assert "100-byte limit" in capped.output


def test_validate_exits_2_for_a_refused_connection_and_a_failed_dns_lookup(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused = run(runner, "validate", "-j", "1", "--timeout", "5",
                  f"http://127.0.0.1:{port}/feed.xml", str(GOOD_RSS))
    assert refused.exit_code == 2
    assert "connection refused" in refused.output

    def no_dns(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)  # tests never touch the internet
    dns = run(runner, "validate", "-j", "1", "https://feeds.example.invalid/rss.xml")
    assert dns.exit_code == 2
    assert "DNS lookup failed" in dns.output


def test_repeated_issues_fold_into_one_line_with_count_and_first_positions(
    runner: CliRunner, tmp_path: Path
) -> None:
    feed = tmp_path / "future.xml"
    feed.write_text(future_feed(301), encoding="utf-8")
    folded = run(runner, "validate", str(feed))
    assert folded.exit_code == 0  # warnings only
    lines = folded.output.splitlines()
    assert lines == [
        f"{feed}:13:7: warning date-in-future ×301, first at 13:7, 20:7, 27:7 …: "
        "date is in the future: Thu, 10 Jan 2030 09:30:00 +0000",
        f"{feed}: valid rss2 (0 errors, 301 warnings)",
        "1 checked, 1 valid, 0 invalid",
        "(300 repeated issues folded into the lines above; --all lists every one)",
    ]
    every = run(runner, "validate", "--all", str(feed)).output.splitlines()
    assert len(every) == 301 + 2
    assert every[300] == (f"{feed}:2113:7: warning date-in-future: date is in the future: "
                          "Thu, 10 Jan 2030 09:30:00 +0000")
    quiet = run(runner, "validate", "-q", str(feed), str(GOOD_RSS)).output.splitlines()
    assert quiet == [f"{feed}: valid rss2 (0 errors, 301 warnings)",
                     f"{GOOD_RSS}: valid rss2 (0 errors, 0 warnings)",
                     "2 checked, 2 valid, 0 invalid"]
    # JSON keeps every issue
    [report] = json.loads(run(runner, "validate", "--format", "json", str(feed)).output)
    assert [(i["line"], i["column"]) for i in report["issues"]] == [
        (13 + 7 * n, 7) for n in range(301)]


def test_a_few_repeats_are_listed_one_by_one(runner: CliRunner, tmp_path: Path) -> None:
    feed = tmp_path / "three.xml"
    feed.write_text(future_feed(3), encoding="utf-8")
    lines = run(runner, "validate", str(feed)).output.splitlines()
    assert [line.split(": warning")[0] for line in lines[:3]] == [
        f"{feed}:13:7", f"{feed}:20:7", f"{feed}:27:7"]
    assert "×" not in "".join(lines) and "folded" not in lines[-1]


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <title>A blog</title>
  <base href="/blog/">
  <link rel="stylesheet" href="style.css">
  <link rel="alternate" type="application/rss+xml" title="RSS" href="rss.xml">
  <link rel="Alternate" type="application/atom+xml" href="{absolute}/atom.xml">
  <link rel="alternate" type="application/feed+json" href="feed.json?x=1&amp;y=2">
  <link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
</head>
<body><link rel="alternate" type="application/rss+xml" href="not-in-head.xml"></body>
</html>
"""


class FeedSite(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        host = f"http://{self.headers['Host']}"
        gz = gzip.compress(GOOD_RSS.read_bytes())
        pages: dict[str, tuple[bytes, str, dict[str, str]]] = {
            "/": (PAGE.format(absolute=host).encode(), "text/html; charset=utf-8", {}),
            "/bare": (b"<!doctype html><html><head></head><body>hi</body></html>",
                      "text/html", {}),
            "/sly": (f'<html><head><link rel="alternate" type="application/rss+xml" '
                     f'href="{GOOD_RSS.as_uri()}"></head></html>'.encode(), "text/html", {}),
            "/blog/rss.xml": (GOOD_RSS.read_bytes(), "application/rss+xml", {}),
            "/atom.xml": (GOOD_ATOM.read_bytes(), "application/atom+xml", {}),
            "/rss.xml.gz": (gz, "application/gzip", {}),
            "/encoded": (gz, "application/rss+xml", {"Content-Encoding": "gzip"}),
        }
        if self.path not in pages:
            self.send_error(404)
            return
        body, kind, headers = pages[self.path]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


def test_an_html_page_is_named_as_such_with_the_feeds_it_links_to(runner: CliRunner) -> None:
    with serving(FeedSite) as base:
        result = run(runner, "validate", "--format", "json", "-j", "1", f"{base}/")
        assert result.exit_code == 1
        [report] = json.loads(result.output)
        [issue] = report["issues"]
        assert (report["format"], issue["code"], issue["line"]) == ("unknown", "unknown-format", 2)
        assert issue["message"] == (
            "the document is not a feed: an HTML page; it links to 3 feeds: "
            f"{base}/blog/rss.xml (RSS), {base}/atom.xml (Atom), "
            f"{base}/blog/feed.json?x=1&y=2 (JSON Feed); validate them instead "
            "(feedwright validate --discover does)")
        bare = run(runner, "validate", "-j", "1", f"{base}/bare")
        assert bare.exit_code == 1
        assert "an HTML page, and it announces no feed" in bare.output


def test_discover_validates_the_feeds_a_page_names(runner: CliRunner) -> None:
    with serving(FeedSite) as base:
        result = run(runner, "validate", "--discover", "--format", "json", "-j", "1",
                     f"{base}/", str(GOOD_RSS), f"{base}/bare")
    reports = json.loads(result.output)
    assert [r["path"] for r in reports] == [
        f"{base}/blog/rss.xml", f"{base}/atom.xml", f"{base}/blog/feed.json?x=1&y=2",
        str(GOOD_RSS), f"{base}/bare"]
    assert [r["format"] for r in reports[:2]] == ["rss2", "atom1"]
    assert reports[2]["issues"][0]["code"] == "input-unreadable"  # a 404: exit 2
    assert reports[4]["issues"][0]["code"] == "unknown-format"  # a page naming no feed stays
    assert result.exit_code == 2


def test_discover_never_reads_a_local_file_a_web_page_names(runner: CliRunner) -> None:
    with serving(FeedSite) as base:
        result = run(runner, "validate", "--discover", "--format", "json", "-j", "1",
                     f"{base}/sly")
    [report] = json.loads(result.output)
    assert report["path"] == f"{base}/sly"  # the page, not the file it names
    assert GOOD_RSS.as_uri() in report["issues"][0]["message"]
    assert result.exit_code == 1


def test_discover_on_stdin_reads_only_absolute_urls(runner: CliRunner, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "rss.xml").write_bytes(GOOD_RSS.read_bytes())
    monkeypatch.chdir(tmp_path)  # a relative link is not a path in the current folder
    page = b'<html><head><link rel="alternate" type="application/rss+xml" href="rss.xml">'
    result = run(runner, "validate", "--discover", "-", input=page)
    assert result.exit_code == 1
    assert "-:1:1: error unknown-format: the document is not a feed: an HTML page; it links " \
           "to a feed: rss.xml (RSS)" in result.output


def test_discover_on_a_local_page_resolves_against_the_file(runner: CliRunner,
                                                            tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "feed.xml").write_bytes(GOOD_ATOM.read_bytes())
    page = tmp_path / "site" / "index.html"
    page.write_text('<html><head><link rel="alternate" type="application/atom+xml" '
                    'href="feed.xml"></head></html>', encoding="utf-8")
    url = (tmp_path / "site" / "feed.xml").as_uri()
    told = run(runner, "validate", str(page))
    assert f"it links to a feed: {url} (Atom); validate it instead" in told.output
    found = run(runner, "validate", "--discover", str(page))
    assert found.exit_code == 0
    assert found.output.splitlines()[0] == f"{url}: valid atom1 (0 errors, 0 warnings)"


def test_a_gzip_file_is_decompressed_then_validated(runner: CliRunner, tmp_path: Path) -> None:
    packed = tmp_path / "rss.xml.gz"
    packed.write_bytes(gzip.compress(GOOD_RSS.read_bytes()))
    result = run(runner, "validate", str(packed))
    assert result.exit_code == 0, result.output
    assert f"{packed}: valid rss2 (0 errors, 0 warnings)" in result.output
    piped = run(runner, "validate", "--format", "json", "-",
                input=gzip.compress(GOOD_ATOM.read_bytes()))
    assert json.loads(piped.output)[0]["format"] == "atom1"
    # two members, as `cat a.gz b.gz` makes: both are read
    data = GOOD_RSS.read_bytes()
    packed.write_bytes(gzip.compress(data[:100]) + gzip.compress(data[100:]))
    assert run(runner, "validate", str(packed)).exit_code == 0
    with serving(FeedSite) as base:
        served = run(runner, "validate", "--format", "json", "-j", "1",
                     f"{base}/rss.xml.gz", f"{base}/encoded")
    assert [r["format"] for r in json.loads(served.output)] == ["rss2", "rss2"]


def test_a_gzip_bomb_is_a_clear_error_at_the_size_cap(runner: CliRunner, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml.gz"
    bomb.write_bytes(gzip.compress(b"<rss>" + b" " * 200_000_000, compresslevel=9))
    assert bomb.stat().st_size < 1_000_000
    result = run(runner, "validate", "--max-bytes", "5000000", "--format", "json", str(bomb))
    [report] = json.loads(result.output)
    [issue] = report["issues"]
    assert issue["code"] == "input-unreadable"
    assert "larger than the 5,000,000-byte limit (a compression bomb?)" in issue["message"]
    assert result.exit_code == 1  # judged too large, as any input over the cap
    cut = tmp_path / "cut.xml.gz"
    cut.write_bytes(gzip.compress(GOOD_RSS.read_bytes())[:-30])
    broken = run(runner, "validate", str(cut))
    assert broken.exit_code == 2
    assert "the gzip data is cut off before its end" in broken.output
    corrupt = tmp_path / "corrupt.xml.gz"
    corrupt.write_bytes(b"\x1f\x8b" + b"not gzip at all")
    assert "corrupt gzip data" in run(runner, "validate", str(corrupt)).output


def test_explain_answers_w3c_class_names_with_our_codes(runner: CliRunner) -> None:
    from feedwright.validator.rules import by_w3c_class

    not_html = run(runner, "explain", "NotHtml")
    assert not_html.exit_code == 0
    codes = [r.code for r in by_w3c_class()["NotHtml"]]
    assert not_html.output.startswith(f"W3C's NotHtml is reported here as {', '.join(codes)}:")
    assert f"\n{codes[0]} (" in not_html.output and "How to fix:" in not_html.output
    contact = run(runner, "explain", "invalidcontact")  # case does not matter
    assert "rss-invalid-contact (error):" in contact.output
    assert "\n\nW3C's validator reports it as InvalidContact" in contact.output
    # SAXError is reported by several rules: each is explained
    sax = run(runner, "explain", "SAXError").output
    assert all(f"\n{r.code} (" in sax for r in by_w3c_class()["SAXError"])
    for typo, meant in (("NotHtlm", "NotHtml"), ("rss-invalid-dat", "rss-invalid-date")):
        unknown = run(runner, "explain", typo)
        assert unknown.exit_code == 2
        assert f"did you mean {meant!r}?" in unknown.output
    assert "did you mean" not in run(runner, "explain", "zzzzzzzzzz").output


def _feedwright(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "feedwright", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_a_reader_that_stops_early_ends_the_output_quietly(tmp_path: Path) -> None:
    # the reader is gone before the first line: every write fails
    with _feedwright("explain") as gone:
        assert gone.stdout is not None and gone.stderr is not None
        gone.stdout.close()
        assert gone.stderr.read() == b""
        assert gone.wait(30) == 0
    # `validate … | head -3` that stops reading at once (a pipe's buffer can hold
    # a long report whole, so the reader leaves before the first line instead)
    feed = tmp_path / "future.xml"
    feed.write_text(future_feed(500).replace("<title>Example</title>", ""), encoding="utf-8")
    with _feedwright("validate", "--all", str(feed)) as head:
        assert head.stdout is not None and head.stderr is not None
        head.stdout.close()
        assert head.stderr.read() == b""
        assert head.wait(60) == 1  # the verdict, reached before printing: invalid
