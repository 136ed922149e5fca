"""``feedwright diff OLD NEW``: exit 0 nothing shown twice, 1 ids changed, 2 cannot compare."""

from __future__ import annotations

import gzip
import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.helpers import serving

from feedwright.cli import cli

MON = "Mon, 02 Mar 2026 00:00:00 +0000"
TUE = "Tue, 03 Mar 2026 00:00:00 +0000"


def rss(*items: tuple[str, str, str], home: str = "https://e.org/") -> bytes:
    """RSS 2.0, one item a line (line 3 on): (guid, link, pubDate)."""
    lines = [f'<item><title>T</title><link>{link}</link><guid isPermaLink="false">{guid}</guid>'
             f"<pubDate>{date}</pubDate></item>" for guid, link, date in items]
    return ('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>x</title>'
            f"<link>{home}</link><description>d</description>\n"
            + "\n".join(lines) + "\n</channel></rss>\n").encode()


A = ("a", "https://e.org/a", MON)
B = ("b", "https://e.org/b", MON)
C = ("c", "https://e.org/c", MON)
NEW = ("n", "https://e.org/n", TUE)
A_AGAIN = ("a-2", "https://e.org/a", MON)


def run(*args: str, input: bytes | None = None):  # noqa: ANN201
    result = CliRunner().invoke(cli, ["diff", *args], input=input, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def files(tmp_path: Path, old: bytes, new: bytes) -> tuple[str, str]:
    (tmp_path / "old.xml").write_bytes(old)
    (tmp_path / "new.xml").write_bytes(new)
    return str(tmp_path / "old.xml"), str(tmp_path / "new.xml")


def test_new_posts_exit_0_and_say_what_fell_off(tmp_path: Path) -> None:
    old, new = files(tmp_path, rss(A, B, C), rss(NEW, A, B))
    result = run(old, new)
    assert result.exit_code == 0, result.output
    assert f"{new}:3: info item-added: 'https://e.org/n' ('T') is new" in result.output
    assert f"{old}:5: info item-fell-off: 'https://e.org/c' ('T') fell off the end" \
        in result.output
    assert result.output.splitlines()[-1] == (
        "no item will be shown twice or hidden (1 item-added, 1 item-fell-off)")
    quiet = run("-q", old, new)
    assert quiet.output.splitlines() == [quiet.output.splitlines()[-1]]


def test_a_changed_id_exits_1_naming_its_line_in_new(tmp_path: Path) -> None:
    old, new = files(tmp_path, rss(A, B), rss(B, A_AGAIN))
    result = run(old, new)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{new}:4: error id-changed: 'https://e.org/a': id was 'a', now 'a-2' -- readers will "
        "show it again as a new post and lose its read state")


def test_json_output(tmp_path: Path) -> None:
    old, new = files(tmp_path, rss(A, B), rss(B, A_AGAIN))
    result = run("--format", "json", old, new)
    assert result.exit_code == 1
    out = json.loads(result.output)
    assert (out["old"], out["new"], out["new_format"], out["ok"]) == (old, new, "rss2", False)
    assert out["changes"] == [{
        "severity": "error", "code": "id-changed", "message": "'https://e.org/a': id was 'a', "
        "now 'a-2'", "line": 4, "in": "new", "old_id": "a", "new_id": "a-2",
        "link": "https://e.org/a", "old_link": None}]


def test_gzip_files_are_read_as_validate_reads_them(tmp_path: Path) -> None:
    old, new = files(tmp_path, gzip.compress(rss(A, B)), rss(B, A_AGAIN))
    result = run(old, new)
    assert result.exit_code == 1 and "error id-changed" in result.output


def test_stdin_and_urls(tmp_path: Path) -> None:
    bodies = {"/old": rss(A, B), "/new": rss(B, A_AGAIN)}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = bodies.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    with serving(Handler) as base:
        result = run(f"{base}/old", f"{base}/new")
        assert result.exit_code == 1
        assert result.output.startswith(f"{base}/new:4: error id-changed:")
        missing = run(f"{base}/old", f"{base}/gone")
        assert missing.exit_code == 2
        assert f"feedwright: error: {base}/gone: HTTP 404" in missing.output
    old, _ = files(tmp_path, rss(A, B), b"")
    piped = run(old, "-", input=rss(NEW, A, B))
    assert piped.exit_code == 0 and "-:3: info item-added" in piped.output
    both = run("-", "-", input=b"")
    assert both.exit_code == 2
    assert "only one of OLD and NEW can be read from stdin" in both.output


@pytest.mark.parametrize(("new", "message"), [
    (None, ": no such file"),
    (b"<html><body>a page</body></html>", "not a feed that can be compared: "),
    (b"<rss version='2.0'><channel><item>", "not a feed that can be compared: "),
])
def test_what_cannot_be_compared_exits_2(tmp_path: Path, new: bytes | None,
                                         message: str) -> None:
    old, path = files(tmp_path, rss(A), new or b"")
    if new is None:
        Path(path).unlink()
    result = run(old, path)
    assert result.exit_code == 2
    [line] = result.output.splitlines()
    assert line.startswith(f"feedwright: error: {path}") and message in line


def test_two_different_feeds_exit_2_with_one_line(tmp_path: Path) -> None:
    other = rss(("z", "https://o.org/z", MON), home="https://o.org/")
    old, new = files(tmp_path, rss(A, B), other)
    result = run(old, new)
    assert result.exit_code == 2
    assert result.output == (f"feedwright: error: {old} and {new} look like two different "
                             "feeds (no item id or link in common, and different self and "
                             "home links); nothing compared\n")
    same_site = rss(("z", "https://e.org/z", MON))  # every item new, same home page
    old, new = files(tmp_path, rss(A, B), same_site)
    assert run(old, new).exit_code == 0
