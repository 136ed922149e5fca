"""read_source: files, stdin and http(s) against a local server; never the internet."""

from __future__ import annotations

import gzip
import io
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from tests.helpers import serving

from feedwright.errors import InputError
from feedwright.fetch import MAX_REDIRECTS
from feedwright.fetch import Source
from feedwright.fetch import read_source

FEED = b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel/></rss>\n'


class Handler(BaseHTTPRequestHandler):
    """Routes by path; each route shows one transport behaviour."""

    seen_headers: dict[str, str] = {}

    def log_message(self, format: str, *args: object) -> None:  # keep pytest output clean
        pass

    def _send(self, code: int, body: bytes, **headers: str) -> None:
        self.send_response(code)
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        Handler.seen_headers = dict(self.headers.items())
        path = self.path
        if path == "/feed.xml":
            self._send(200, FEED, Content_Type="application/rss+xml; charset=utf-8")
        elif path == "/missing":
            self._send(404, b"not here", Content_Type="text/plain")
        elif path.startswith("/hop/"):
            n = int(path.rsplit("/", 1)[1])
            target = "/feed.xml" if n == 0 else f"/hop/{n - 1}"
            self._send(302, b"", Location=target)
        elif path == "/loop-a":
            self._send(301, b"", Location="/loop-b")
        elif path == "/loop-b":
            self._send(301, b"", Location="/loop-a")
        elif path == "/to-file":
            self._send(302, b"", Location="file:///etc/passwd")
        elif path == "/gzip":
            self._send(200, gzip.compress(FEED), Content_Encoding="gzip",
                       Content_Type="application/atom+xml")
        elif path == "/deflate":
            self._send(200, zlib.compress(FEED), Content_Encoding="deflate")
        elif path == "/raw-deflate":
            c = zlib.compressobj(wbits=-15)
            self._send(200, c.compress(FEED) + c.flush(), Content_Encoding="deflate")
        elif path == "/gzip-bomb":
            self._send(200, BOMB, Content_Encoding="gzip")
        elif path == "/corrupt-gzip":
            self._send(200, b"\x1f\x8b\x08\x00garbage-not-gzip", Content_Encoding="gzip")
        elif path == "/big":
            self._send(200, b"x" * 5000)
        elif path == "/big-no-length":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"y" * 5000)
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, FEED)
        elif path == "/drip":
            self.send_response(200)
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b"<")
                self.wfile.flush()
                time.sleep(0.1)
        else:
            self._send(500, b"")


# 20 MB of zeros compress to ~20 KB: a small response that would blow up.
BOMB = gzip.compress(b"\0" * (20 * 1024 * 1024))


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(Handler) as url:
        yield url


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy from the environment would send 127.0.0.1 requests elsewhere.
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy",
                "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)


def test_http_200_returns_bytes_type_and_location(server: str) -> None:
    src = read_source(f"{server}/feed.xml", max_bytes=10_000, timeout=2)
    assert src == Source(f"{server}/feed.xml", FEED, f"{server}/feed.xml",
                         "application/rss+xml; charset=utf-8")
    assert Handler.seen_headers["User-Agent"].startswith("feedwright/")
    assert "gzip" in Handler.seen_headers["Accept-Encoding"]


def test_http_404_is_input_error_with_status(server: str) -> None:
    with pytest.raises(InputError, match="HTTP 404") as info:
        read_source(f"{server}/missing", max_bytes=10_000, timeout=2)
    assert info.value.source == f"{server}/missing"
    assert info.value.exit_code == 2


def test_redirect_chain_within_limit_reports_final_url(server: str) -> None:
    src = read_source(f"{server}/hop/{MAX_REDIRECTS - 1}", max_bytes=10_000, timeout=2)
    assert src.data == FEED
    assert src.location == f"{server}/feed.xml"
    assert src.name == f"{server}/hop/{MAX_REDIRECTS - 1}"


def test_redirect_chain_over_limit_is_refused(server: str) -> None:
    with pytest.raises(InputError, match="too many redirects"):
        read_source(f"{server}/hop/{MAX_REDIRECTS + 2}", max_bytes=10_000, timeout=2)


def test_redirect_loop_is_named(server: str) -> None:
    with pytest.raises(InputError, match="redirect loop"):
        read_source(f"{server}/loop-a", max_bytes=10_000, timeout=2)


def test_redirect_to_file_url_is_refused(server: str) -> None:
    with pytest.raises(InputError, match="non-HTTP") as info:
        read_source(f"{server}/to-file", max_bytes=10_000, timeout=2)
    assert "root:" not in str(info.value)


@pytest.mark.parametrize("path", ["/gzip", "/deflate", "/raw-deflate"])
def test_compressed_responses_are_decoded(server: str, path: str) -> None:
    assert read_source(f"{server}{path}", max_bytes=10_000, timeout=2).data == FEED


def test_gzip_bomb_is_refused_without_expanding(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match="compression bomb"):
        read_source(f"{server}/gzip-bomb", max_bytes=1_000_000, timeout=2)
    assert time.monotonic() - started < 1.0


def test_corrupt_gzip_is_input_error(server: str) -> None:
    with pytest.raises(InputError, match="corrupt gzip"):
        read_source(f"{server}/corrupt-gzip", max_bytes=10_000, timeout=2)


@pytest.mark.parametrize("path", ["/big", "/big-no-length"])
def test_oversize_response_is_refused(server: str, path: str) -> None:
    with pytest.raises(InputError, match="larger than the 1,000-byte limit"):
        read_source(f"{server}{path}", max_bytes=1000, timeout=2)


def test_exactly_max_bytes_is_accepted(server: str) -> None:
    assert len(read_source(f"{server}/big", max_bytes=5000, timeout=2).data) == 5000


def test_slow_server_times_out(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match="timed out"):
        read_source(f"{server}/slow", max_bytes=10_000, timeout=0.5)
    assert time.monotonic() - started < 1.4


def test_dripping_server_hits_the_overall_deadline(server: str) -> None:
    # Each byte arrives well within the socket timeout; only the deadline stops it.
    started = time.monotonic()
    with pytest.raises(InputError, match="timed out"):
        read_source(f"{server}/drip", max_bytes=10_000, timeout=0.5)
    assert time.monotonic() - started < 1.5


def test_connection_refused_is_input_error() -> None:
    import socket

    with socket.socket() as s:  # a port that was free a moment ago: nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(InputError, match="refused|cannot fetch"):
        read_source(f"http://127.0.0.1:{port}/", max_bytes=10, timeout=1)


@pytest.mark.parametrize("spec", ["ftp://example.org/feed.xml", "gopher://x/", "data://x"])
def test_other_schemes_are_refused(spec: str) -> None:
    with pytest.raises(InputError, match="unsupported URL scheme"):
        read_source(spec, max_bytes=10)


def test_file_path_and_file_url(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(FEED)
    assert read_source(str(path), max_bytes=1000) == Source(str(path), FEED)
    assert read_source(path.as_uri(), max_bytes=1000).data == FEED


def test_file_over_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    path.write_bytes(b"x" * 101)
    with pytest.raises(InputError, match="100-byte limit"):
        read_source(str(path), max_bytes=100)


@pytest.mark.parametrize(("name", "message"), [("missing.xml", "no such file"),
                                               (".", "is a directory")])
def test_unreadable_paths(tmp_path: Path, name: str, message: str) -> None:
    spec = str(tmp_path / name)
    with pytest.raises(InputError, match=message) as info:
        read_source(spec, max_bytes=100)
    assert info.value.source == spec


def test_stdin_dash_reads_the_given_stream() -> None:
    assert read_source("-", max_bytes=1000, stdin=io.BytesIO(FEED)) == Source("-", FEED)


def test_stdin_over_cap_reads_at_most_cap_plus_one() -> None:
    stream = io.BytesIO(b"z" * 10_000)
    with pytest.raises(InputError, match="10-byte limit"):
        read_source("-", max_bytes=10, stdin=stream)
    assert stream.tell() == 11
