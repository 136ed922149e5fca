"""WebSub: ``websub.hubs`` in the config, hub links in every feed we write, and
``build --ping`` telling a hub (a local server here) which feeds changed."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import feedparser
import pytest
from click.testing import CliRunner
from click.testing import Result
from tests.helpers import BASIC
from tests.helpers import NOW
from tests.helpers import entries
from tests.helpers import make_site
from tests.helpers import serving

from feedwright import build
from feedwright import validate
from feedwright.cli import cli
from feedwright.config import load_config
from feedwright.errors import ConfigError
from feedwright.websub import HubNotNotifiedError
from feedwright.websub import notify
from feedwright.websub import ping
from feedwright.websub import publish_body

HUBS = ("https://pubsubhubbub.appspot.com/", "https://hub.example.net/websub?site=1&x=2")
ALL_FORMATS = "formats: [rss, atom, json]\n"


def hubs_config(*hubs: str) -> str:
    return "websub:\n  hubs:\n" + "".join(f"    - {hub}\n" for hub in hubs)


def run(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def error_lines(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("feedwright: error")]


# --- config -------------------------------------------------------------------


def test_hubs_are_read_in_order(tmp_path: Path) -> None:
    config = load_config(make_site(tmp_path, BASIC, hubs_config(*HUBS)))
    assert config.hubs == HUBS
    assert load_config(make_site(tmp_path, BASIC)).hubs == ()


BAD_HUBS = [
    # (config text after the site's, the message, the line it names)
    ("websub:\n  hubs:\n    - https://ok.example/\n    - /relative/hub\n",
     "websub.hubs: expected an absolute http(s) URL, got '/relative/hub'", 10),
    ("websub:\n  hubs:\n    - ftp://hub.example/\n",
     "websub.hubs: expected an absolute http(s) URL, got 'ftp://hub.example/'", 9),
    ("websub:\n  hubs:\n    - 'https://'\n",
     "websub.hubs: expected an absolute http(s) URL, got 'https://'", 9),
    ("websub:\n  hubs:\n    - 'https://hub.example/a b'\n",
     "websub.hubs: expected an absolute http(s) URL, got 'https://hub.example/a b'", 9),
    ("websub:\n  hubs:\n    - 'http://[::1/'\n",
     "websub.hubs: expected an absolute http(s) URL, got 'http://[::1/'", 9),
    ("websub:\n  hubs:\n    - {url: https://hub.example/}\n",
     "websub.hubs: expected an absolute http(s) URL, got {'url': 'https://hub.example/'}", 9),
    ("websub:\n  hubs: []\n",
     "websub.hubs: expected a list of hub URLs, e.g. [https://pubsubhubbub.appspot.com/], "
     "got []", 8),
    ("websub:\n  hubs: https://hub.example/\n",
     "websub.hubs: expected a list of hub URLs, e.g. [https://pubsubhubbub.appspot.com/], "
     "got 'https://hub.example/'", 8),
    ("websub:\n  hubs:\n    - https://hub.example/\n    - https://hub.example/\n",
     "websub.hubs: https://hub.example/ is listed twice", 10),
    ("websub:\n  hub: [https://hub.example/]\n",
     "websub.hub: unknown key (known keys here: hubs)", 8),
    ("websub:\n  lease: 3600\n", "websub.lease: unknown key (known keys here: hubs)", 8),
    ("websub: https://hub.example/\n",
     "websub must be a mapping, got str 'https://hub.example/'", 7),
    ("websub: {}\n", "websub.hubs is required", 7),
]


@pytest.mark.parametrize("extra, message, line", BAD_HUBS, ids=[b[1][:40] for b in BAD_HUBS])
def test_bad_hubs_are_one_line_config_errors(
    runner: CliRunner, tmp_path: Path, extra: str, message: str, line: int
) -> None:
    config = make_site(tmp_path, BASIC, extra)
    with pytest.raises(ConfigError) as info:
        load_config(config)
    assert info.value.message == message
    assert info.value.source == f"{config}:{line}"
    result = run(runner, "build", "--config", str(config))
    assert result.exit_code == 2
    assert result.output == f"feedwright: error: {config}:{line}: {message}\n"
    assert not (tmp_path / "feeds").exists()


# --- the links in every feed --------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BASIC in every format with two hubs, built: six feeds, three formats each."""
    folder = tmp_path_factory.mktemp("websub")
    build(make_site(folder, BASIC, ALL_FORMATS + hubs_config(*HUBS)), now=NOW, cache=False)
    return folder / "feeds"


def written_feeds(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.name in ("rss.xml", "atom.xml", "feed.json"))


def test_every_xml_feed_names_the_hubs_and_one_self_link(site: Path) -> None:
    xml = [p for p in written_feeds(site) if p.suffix == ".xml"]
    assert len(xml) == 6
    for path in xml:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, path
        links = parsed.feed.links
        assert tuple(li.href for li in links if li.rel == "hub") == HUBS, path
        selfs = [li.href for li in links if li.rel == "self"]
        # WebSub's topic: exactly one self link, the URL the feed is published at
        assert selfs == ["https://example.org/feeds/" + path.relative_to(site).as_posix()]


def test_every_json_feed_names_the_hubs_and_its_feed_url(site: Path) -> None:
    for path in [p for p in written_feeds(site) if p.suffix == ".json"]:
        doc = json.loads(path.read_bytes())
        assert doc["hubs"] == [{"type": "WebSub", "url": hub} for hub in HUBS]
        assert doc["feed_url"] == "https://example.org/feeds/" + path.relative_to(site).as_posix()


def test_feeds_with_hubs_pass_the_validator_at_its_strictest(site: Path) -> None:
    for path in written_feeds(site):
        report = validate(path.read_bytes(), name=str(path), strict=True, now=NOW)
        assert not report.issues, (path, report.issues)


def test_no_hubs_no_hub_links(tmp_path: Path) -> None:
    build(make_site(tmp_path, BASIC, ALL_FORMATS), now=NOW, cache=False)
    for path in written_feeds(tmp_path / "feeds"):
        data = path.read_bytes()
        assert b'"hubs"' not in data and b'rel="hub"' not in data


def test_hubs_changed_in_the_config_change_the_heads(tmp_path: Path) -> None:
    """The build cache keeps heads by what they show: a new hub is a new head."""
    config = make_site(tmp_path, BASIC, hubs_config(HUBS[0]))
    build(config, now=NOW)
    config.write_text(config.read_text().replace(HUBS[0], "https://other-hub.example/"))
    result = build(config, now=NOW)
    assert len(result.changed) == 6  # every feed, nothing else
    atom = feedparser.parse((tmp_path / "feeds" / "atom.xml").read_bytes())
    assert [li.href for li in atom.feed.links if li.rel == "hub"] == ["https://other-hub.example/"]


# --- build --ping ---------------------------------------------------------------


class Hub:
    """A local WebSub hub that records each POST's path and parsed form."""

    def __init__(self, status: int = 204, delay: float = 0.0,
                 headers: dict[str, str] | None = None) -> None:
        self.posts: list[tuple[str, str, dict[str, list[str]]]] = []
        self.status, self.delay, self.headers = status, delay, headers or {}
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"])).decode("ascii")
                hub.posts.append((self.path, self.headers["Content-Type"], parse_qs(body)))
                time.sleep(hub.delay)
                self.send_response(hub.status)
                for key, value in hub.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.handler = Handler


@pytest.fixture
def hub() -> Iterator[tuple[Hub, str]]:
    recorder = Hub()
    with serving(recorder.handler) as base:
        yield recorder, base + "/hub"


def self_links(folder: Path, paths: list[str]) -> list[str]:
    """The self link each written feed names, read back from the file."""
    out = []
    for path in paths:
        parsed = feedparser.parse((folder / path).read_bytes())
        [href] = [li.href for li in parsed.feed.links if li.rel == "self"]
        out.append(href)
    return out


def test_ping_tells_the_hub_of_changed_feeds_only(
    runner: CliRunner, tmp_path: Path, hub: tuple[Hub, str]
) -> None:
    recorder, url = hub
    config = make_site(tmp_path, BASIC, hubs_config(url))
    first = run(runner, "build", "--config", str(config), "--ping")
    assert first.exit_code == 0, first.output
    assert "notified 1 WebSub hub of 6 changed feeds" in first.output
    [(path, content_type, form)] = recorder.posts
    assert (path, content_type) == ("/hub", "application/x-www-form-urlencoded")
    assert form["hub.mode"] == ["publish"]
    feeds = ["rss.xml", "atom.xml", "tags/a/rss.xml", "tags/a/atom.xml",
             "tags/b/rss.xml", "tags/b/atom.xml"]
    assert sorted(form["hub.url"]) == sorted(self_links(tmp_path / "feeds", feeds))

    again = run(runner, "build", "--config", str(config), "--ping")
    assert again.exit_code == 0
    assert "no feed changed: no WebSub hub notified" in again.output
    assert len(recorder.posts) == 1  # nothing sent

    # "First post" is in tag b only: the main feeds and b's change, a's do not
    (tmp_path / "entries.yaml").write_text(BASIC.replace(
        "Summary of First post.", "A new summary."), encoding="utf-8")
    third = run(runner, "build", "--config", str(config), "--ping")
    assert third.exit_code == 0, third.output
    assert "notified 1 WebSub hub of 4 changed feeds" in third.output
    form = recorder.posts[-1][2]
    assert sorted(form["hub.url"]) == sorted(
        self_links(tmp_path / "feeds", ["rss.xml", "atom.xml", "tags/b/rss.xml",
                                        "tags/b/atom.xml"]))


def test_archive_pages_are_no_topics(
    runner: CliRunner, tmp_path: Path, hub: tuple[Hub, str]
) -> None:
    # Readers subscribe to the feeds, not to their RFC 5005 archive pages:
    # a hub hears of the feeds only, though the pages were written too.
    recorder, url = hub
    posts = [(f"Post {i}", f"2026-01-{i:02d}", "") for i in range(1, 8)]
    config = make_site(tmp_path, entries(*posts),
                       "limit: 2\narchives:\n  per_page: 2\n" + hubs_config(url))
    result = run(runner, "build", "--config", str(config), "--ping")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "feeds" / "archive" / "rss-1.xml").is_file()
    [(_, _, form)] = recorder.posts
    assert sorted(form["hub.url"]) == ["https://example.org/feeds/atom.xml",
                                       "https://example.org/feeds/rss.xml"]


def test_ping_sends_one_request_per_hub(runner: CliRunner, tmp_path: Path) -> None:
    one, two = Hub(), Hub(status=202)
    with serving(one.handler) as a, serving(two.handler) as b:
        config = make_site(tmp_path, entries(("Only post", "2026-03-01", "")),
                           ALL_FORMATS + hubs_config(a + "/", b + "/publish?key=k"))
        result = run(runner, "build", "--config", str(config), "--ping", "--quiet")
    assert result.exit_code == 0 and result.output == ""
    urls = ["https://example.org/feeds/rss.xml", "https://example.org/feeds/atom.xml",
            "https://example.org/feeds/feed.json"]
    assert [(p, f["hub.url"]) for p, _, f in one.posts] == [("/", urls)]
    assert [(p, f["hub.url"]) for p, _, f in two.posts] == [("/publish?key=k", urls)]


def test_publish_body_repeats_hub_url() -> None:
    body = publish_body(["https://example.org/a.xml?x=1&y=2", "https://example.org/b.xml"])
    assert body == (b"hub.mode=publish&hub.url=https%3A%2F%2Fexample.org%2Fa.xml%3Fx%3D1%26y%3D2"
                    b"&hub.url=https%3A%2F%2Fexample.org%2Fb.xml")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize("status, extra, why", [
    (500, {}, "HTTP 500 Internal Server Error"),
    (404, {}, "HTTP 404 Not Found"),
    (301, {"Location": "https://elsewhere.example/hub"},
     "HTTP 301 Moved Permanently (a hub takes the POST at its own URL; it points to "
     "https://elsewhere.example/hub)"),
])
def test_a_failing_hub_is_one_line_and_exit_1_feeds_stay_written(
    runner: CliRunner, tmp_path: Path, status: int, extra: dict[str, str], why: str
) -> None:
    failing = Hub(status=status, headers=extra)
    with serving(failing.handler) as base:
        config = make_site(tmp_path, BASIC, hubs_config(base + "/"))
        result = run(runner, "build", "--config", str(config), "--ping")
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"feedwright: error: the feeds are published, but WebSub hub {base}/ was not "
        f"notified: {why}; it is told again at the next ping"]
    assert "wrote 9 of 9 files" in result.output
    assert len(failing.posts) == 1
    assert feedparser.parse((tmp_path / "feeds" / "rss.xml").read_bytes()).entries


def test_a_hub_that_does_not_answer_times_out(runner: CliRunner, tmp_path: Path) -> None:
    slow = Hub(delay=2.0)
    with serving(slow.handler) as base:
        config = make_site(tmp_path, BASIC, hubs_config(base + "/"))
        started = time.monotonic()
        result = run(runner, "build", "--config", str(config), "--ping", "--ping-timeout", "0.3")
        took = time.monotonic() - started
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"feedwright: error: the feeds are published, but WebSub hub {base}/ was not "
        "notified: no answer within 0.3 s; it is told again at the next ping"]
    assert took < 10  # the timeout, not the hub, ended the wait
    assert (tmp_path / "feeds" / "atom.xml").is_file()


def test_refused_and_failing_hubs_are_each_named_and_the_others_told(
    runner: CliRunner, tmp_path: Path
) -> None:
    good, bad = Hub(), Hub(status=503)
    refused = f"http://127.0.0.1:{_closed_port()}/"
    with serving(good.handler) as g, serving(bad.handler) as b:
        config = make_site(tmp_path, BASIC, hubs_config(refused, g + "/", b + "/"))
        result = run(runner, "build", "--config", str(config), "--ping")
    assert result.exit_code == 1
    assert len(good.posts) == 1 and len(bad.posts) == 1
    assert result.output.splitlines()[-3:] == [
        "feedwright: error: the feeds are published, but 2 of 3 WebSub hubs were not notified; "
        "each is told again at the next ping:",
        f"  {refused}: connection refused",
        f"  {b}/: HTTP 503 Service Unavailable",
    ]


def test_what_a_hub_missed_is_told_at_the_next_ping(runner: CliRunner, tmp_path: Path) -> None:
    """A CI job run again after a hub's outage tells the hub, though the
    rebuild changes no file; a hub that took the news is not told twice."""
    flaky, steady = Hub(status=503), Hub()
    with serving(flaky.handler) as f, serving(steady.handler) as s:
        config = make_site(tmp_path, BASIC, hubs_config(f + "/", s + "/"))
        first = run(runner, "build", "--config", str(config), "--ping")
        assert first.exit_code == 1
        pending = tmp_path / ".feedwright-cache" / "websub-pending.json"
        assert list(json.loads(pending.read_bytes())) == [f + "/"]
        told = sorted(steady.posts[0][2]["hub.url"])
        assert sorted(flaky.posts[0][2]["hub.url"]) == told and len(told) == 6

        flaky.status = 204
        again = run(runner, "build", "--config", str(config), "--ping")
        assert again.exit_code == 0, again.output
        assert "wrote 0 of 9 files" in again.output
        assert "notified 1 WebSub hub of 6 changed feeds" in again.output
        assert sorted(flaky.posts[1][2]["hub.url"]) == told
        assert len(steady.posts) == 1  # told already
        assert not pending.exists()

        third = run(runner, "build", "--config", str(config), "--ping")
        assert "no feed changed: no WebSub hub notified" in third.output
        assert (len(flaky.posts), len(steady.posts)) == (2, 1)


def _planted_pending(site: Path, data: bytes) -> Path:
    """The pending-pings file of the site in ``site``, written as ``data`` by hand."""
    pending = site / ".feedwright-cache" / "websub-pending.json"
    pending.parent.mkdir()
    pending.write_bytes(data)
    return pending


def test_a_hub_gone_from_the_config_is_told_nothing_more(
    runner: CliRunner, tmp_path: Path, hub: tuple[Hub, str]
) -> None:
    recorder, url = hub
    config = make_site(tmp_path, BASIC, hubs_config(url))
    pending = _planted_pending(tmp_path, json.dumps(
        {"https://old-hub.example/": ["https://example.org/x.xml"],
         url: ["https://example.org/feeds/old.xml"]}).encode())
    run(runner, "build", "--config", str(config))  # written, nobody told
    result = run(runner, "build", "--config", str(config), "--ping")
    assert result.exit_code == 0, result.output
    assert [f["hub.url"] for _, _, f in recorder.posts] == [["https://example.org/feeds/old.xml"]]
    assert not pending.exists()


def test_an_unreadable_pending_file_is_read_as_nothing_missed(
    runner: CliRunner, tmp_path: Path, hub: tuple[Hub, str]
) -> None:
    recorder, url = hub
    config = make_site(tmp_path, BASIC, hubs_config(url))
    pending = _planted_pending(tmp_path, b"\xff not json")
    result = run(runner, "build", "--config", str(config), "--ping")
    assert result.exit_code == 0, result.output
    assert len(recorder.posts[0][2]["hub.url"]) == 6
    assert not pending.exists()


def test_ping_later_then_feedwright_ping(runner: CliRunner, tmp_path: Path,
                                        hub: tuple[Hub, str]) -> None:
    """Build, upload, then tell the hubs: the hub fetches the uploaded feeds."""
    recorder, url = hub
    config = make_site(tmp_path, BASIC, hubs_config(url))
    built = run(runner, "build", "--config", str(config), "--ping-later")
    assert built.exit_code == 0, built.output
    assert "kept 6 changed feeds for `feedwright ping`" in built.output
    assert recorder.posts == []  # nothing told before the upload
    (tmp_path / "entries.yaml").write_text(BASIC.replace(
        "Summary of First post.", "A new summary."), encoding="utf-8")
    again = run(runner, "build", "--config", str(config), "--ping-later", "-q")
    assert again.exit_code == 0 and again.output == ""

    told = run(runner, "ping", "--config", str(config))
    assert told.exit_code == 0, told.output
    assert told.output == "notified 1 WebSub hub of 6 changed feeds\n"
    [(_, _, form)] = recorder.posts
    assert form["hub.mode"] == ["publish"]
    assert sorted(form["hub.url"]) == sorted(self_links(tmp_path / "feeds", [
        "rss.xml", "atom.xml", "tags/a/rss.xml", "tags/a/atom.xml",
        "tags/b/rss.xml", "tags/b/atom.xml"]))  # each once, though kept twice

    nothing = run(runner, "ping", "--config", str(config))
    assert nothing.exit_code == 0
    assert nothing.output == "nothing kept to tell: no WebSub hub notified\n"
    assert len(recorder.posts) == 1


def test_feedwright_ping_failing_hub_keeps_the_feeds(runner: CliRunner, tmp_path: Path) -> None:
    failing = Hub(status=500)
    with serving(failing.handler) as base:
        config = make_site(tmp_path, BASIC, hubs_config(base + "/"))
        run(runner, "build", "--config", str(config), "--ping-later")
        first = run(runner, "ping", "--config", str(config), "--timeout", "2")
        assert first.exit_code == 1
        assert error_lines(first) == [
            f"feedwright: error: the feeds are published, but WebSub hub {base}/ was not "
            "notified: HTTP 500 Internal Server Error; it is told again at the next ping"]
        failing.status = 204
        second = run(runner, "ping", "--config", str(config))
    assert second.exit_code == 0, second.output
    assert [len(f["hub.url"]) for _, _, f in failing.posts] == [6, 6]


@pytest.mark.parametrize("args, message", [
    (("build", "--ping", "--ping-later"),
     "--ping tells the hubs now, --ping-later after the upload: use one"),
    (("build", "--ping-later", "--check"),
     "--ping-later tells WebSub hubs what a build published; --check publishes nothing: "
     "use one or the other"),
])
def test_ping_later_usage_errors(runner: CliRunner, tmp_path: Path, args: tuple[str, ...],
                                 message: str) -> None:
    config = make_site(tmp_path, BASIC, hubs_config("https://hub.example/"))
    result = run(runner, *args, "--config", str(config))
    assert result.exit_code == 2
    assert error_lines(result) == [f"feedwright: error: {message}"]
    assert not (tmp_path / "feeds").exists()


@pytest.mark.parametrize("args, flag", [(("build", "--ping-later"), "--ping-later"),
                                        (("ping",), "feedwright ping")])
def test_no_hubs_named_for_ping_later_and_ping(runner: CliRunner, tmp_path: Path,
                                               args: tuple[str, ...], flag: str) -> None:
    config = make_site(tmp_path, BASIC)
    result = run(runner, *args, "--config", str(config))
    assert result.exit_code == 2
    assert result.output == (
        f"feedwright: error: {config}: {flag}: the config names no WebSub hub; add websub: "
        "{hubs: [https://…]} (README, \"WebSub\")\n")


def test_a_hub_whose_name_does_not_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    why = notify("https://hub.invalid/", ["https://example.org/feeds/rss.xml"], timeout=1)
    assert why == "cannot resolve the host name (DNS lookup failed)"


@pytest.mark.parametrize("answer, why", [
    (b"", "the hub closed the connection without answering"),
    (b"hello\r\n\r\n", "the hub's answer is not HTTP"),
])
def test_a_hub_that_hangs_up_or_speaks_no_http(answer: bytes, why: str) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)

        def answer_once() -> None:
            conn, _ = listener.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(answer)

        thread = threading.Thread(target=answer_once, daemon=True)
        thread.start()
        port = listener.getsockname()[1]
        assert notify(f"http://127.0.0.1:{port}/", ["https://example.org/feeds/rss.xml"],
                      timeout=5) == why
        thread.join(5)


def test_ping_library_call_raises_with_the_exit_code(tmp_path: Path) -> None:
    failing = Hub(status=500)
    with serving(failing.handler) as base:
        config = load_config(make_site(tmp_path, BASIC, hubs_config(base + "/")))
        result = build(config, now=NOW)
        with pytest.raises(HubNotNotifiedError) as info:
            ping(config, result, timeout=2)
    assert info.value.exit_code == 1
    assert len(failing.posts) == 1


def test_ping_without_hubs_is_refused_before_building(runner: CliRunner, tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    result = run(runner, "build", "--config", str(config), "--ping")
    assert result.exit_code == 2
    assert result.output == (
        f"feedwright: error: {config}: --ping: the config names no WebSub hub; add websub: "
        "{hubs: [https://…]} (README, \"WebSub\")\n")
    assert not (tmp_path / "feeds").exists()


def test_ping_with_check_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC, hubs_config("https://hub.example/"))
    result = run(runner, "build", "--config", str(config), "--ping", "--check")
    assert result.exit_code == 2
    assert error_lines(result) == [
        "feedwright: error: --ping tells WebSub hubs what a build published; --check "
        "publishes nothing: use one or the other"]


def test_a_refused_build_pings_nobody(runner: CliRunner, tmp_path: Path,
                                      hub: tuple[Hub, str]) -> None:
    recorder, url = hub
    config = make_site(tmp_path, BASIC, hubs_config(url))
    (tmp_path / "entries.yaml").write_text(BASIC + "- title: Broken\n  published: soon\n",
                                           encoding="utf-8")
    result = run(runner, "build", "--config", str(config), "--ping")
    assert result.exit_code == 2
    assert recorder.posts == []

