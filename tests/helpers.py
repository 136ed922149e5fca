"""What several test modules share: data paths, a fixed clock, small sites, a
local HTTP server, and hypothesis strategies for model entries.

Test modules import helpers from here only, never from each other or from
conftest.py (which holds fixtures), so moving or renaming a test module
breaks no other.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from feedwright.model import Author
from feedwright.model import Entry
from feedwright.validator.document import Document

#: The test data folder.
DATA = Path(__file__).parent / "data"
#: The repository root: the bundled site (config.yaml, archive/, feeds/).
REPO = Path(__file__).parent.parent
#: The bundled archive's listing pages.
SEEDS = REPO / "archive"

#: A build time after every bundled entry, so "in the future" never fires by accident.
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


# --- small sites ------------------------------------------------------------

ENTRY = """\
- title: {title}
  published: {published}
  slug: {slug}
  summary: Summary of {title}.
  tags: [{tags}]
"""


def make_site(tmp_path: Path, entries: str, extra_config: str = "") -> Path:
    """A small site: config.yaml + entries.yaml in tmp_path; returns the config path."""
    (tmp_path / "entries.yaml").write_text(entries, encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(
        "site:\n"
        "  title: Test site\n"
        "  base_url: https://example.org/\n"
        "  author: tester\n"
        "inputs: [entries.yaml]\n"
        "output: feeds\n" + extra_config,
        encoding="utf-8",
    )
    return config


def entries(*specs: tuple[str, str, str]) -> str:
    """An entries.yaml text of (title, published, "tag, tag") entries, slug from the title."""
    return "".join(
        ENTRY.format(title=t, published=p, slug=t.lower().replace(" ", "-"), tags=tags)
        for t, p, tags in specs
    )


#: Three entries over three days, two tags: six feeds.
BASIC = entries(
    ("Third post", "2026-03-03", "a, b"),
    ("Second post", "2026-03-02", "a"),
    ("First post", "2026-03-01", "b"),
)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under folder: its bytes and mtime, to see what a build touched."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- a local HTTP server: tests never touch the internet ---------------------


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up early (timeouts, size caps) is what the tests do


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on a free port of 127.0.0.1; yield the base URL; stop."""
    httpd = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def fresh_python(code: str) -> list[str]:
    """The lines ``code`` prints in a fresh interpreter: what a module imports,
    and what names mean, whatever this test process imported before."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return done.stdout.splitlines()


# --- hypothesis strategies: model entries with every field -------------------

#: Texts that have tripped feed writers: markup and the characters XML escapes
#: or refuses in places, CDATA's end, line ends, astral, right-to-left and
#: combining characters, C1 controls and Unicode's own line breaks (XML
#: carries all of these).
AWKWARD = (
    "&", "<", ">", "]]>", '"', "'", "&amp;", "&#x26;", "&lt;b&gt;", "<b>bold</b>",
    "<![CDATA[x]]>", "<p>a <a href=\"https://example.org/?a=1&b=2\">link</a></p>",
    "\r", "\r\n", "\n", "\t", "  ", "\xa0", "\x85", "\x9f", "\u2028", "\u2029",
    "\U0001d11e", "\U0001f600", "\U00010348", "\u05e9\u05dc\u05d5\u05dd",
    "\u0645\u0631\u062d\u0628\u0627", "\u200f", "\u202e", "e\u0301", "\u0301",
    "\ufeff", "\u2011", "Zero\u2011to\u2011Hero", "%z", "{}", "\\",
)
#: Characters XML 1.0 can carry (what mapping.bad_character lets through).
XML_CHARS = st.characters(
    codec="utf-8",
    exclude_characters="".join(chr(c) for c in range(32) if c not in (9, 10, 13)) + "\ufffe\uffff",
)
#: Text as an entry may hold it: awkward pieces and any characters XML carries.
XML_TEXT = st.lists(
    st.one_of(st.sampled_from(AWKWARD), st.text(XML_CHARS, max_size=4)), max_size=6
).map("".join)
_DAY = timedelta(hours=24) - timedelta(microseconds=1)
#: Time zones: UTC, fixed offsets to the second and beyond, and real zones
#: with odd offsets and summer times (Lord Howe's half hour, Dublin's negative).
ZONES = st.one_of(
    st.just(UTC),
    st.timedeltas(min_value=-_DAY, max_value=_DAY).map(timezone),
    st.sampled_from(["America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe",
                     "Europe/Dublin", "Pacific/Chatham", "America/St_Johns"]).map(ZoneInfo),
)
#: Aware datetimes, years 1-9999, microseconds and all.
MOMENTS = st.datetimes(timezones=ZONES)
AUTHORS = st.builds(
    Author,
    name=st.one_of(st.sampled_from(["Ann", "Ann O'Neil <ann@example.org>", ""]), XML_TEXT),
    email=st.one_of(st.none(), st.just(""), st.just("ann@example.org"), XML_TEXT),
    uri=st.one_of(st.none(), st.just(""), st.just("https://example.org/~ann?a=1&b=2"), XML_TEXT),
)
URLS = st.one_of(st.sampled_from(["https://example.org/posts/a/", "https://example.org/?p=1&q=\"x\"",
                                  "https://\u00e9x.example/\u05e9/"]), XML_TEXT)


@st.composite
def model_entries(draw: st.DrawFn, text: st.SearchStrategy[str] = XML_TEXT) -> Entry:
    """An Entry with any of its fields set, to the model's types: what a
    renderer may be handed (readers check more; a renderer must not count on it)."""
    url = draw(URLS)
    pinned = draw(st.booleans())
    entry_id = draw(st.one_of(st.just(url), st.just("tag:example.org,2026-03-01:/a/"), text)) \
        if pinned else f"tag:example.org,2026-03-01:{url}"
    published = draw(MOMENTS)
    return Entry(
        id=entry_id,
        title=draw(st.one_of(st.sampled_from(["A title", "Zero\u2011to\u2011Hero"]), text)),
        url=url,
        summary=draw(text),
        published=published,
        updated=draw(st.one_of(st.none(), st.just(published), MOMENTS)),
        content=draw(st.one_of(st.none(), st.just(""), text)),
        authors=tuple(draw(st.lists(AUTHORS, max_size=3))),
        tags=tuple(draw(st.lists(text, max_size=4))),
        reading_time=draw(st.one_of(st.none(), st.integers(min_value=-1, max_value=10**6))),
        word_count=draw(st.one_of(st.none(), st.integers(min_value=-1, max_value=10**9))),
        pinned_id=pinned,
        pinned_guid=draw(st.one_of(st.none(), st.just(url), text)),
        source=draw(st.sampled_from(["", "entries.yaml:3"])),
    )


def xml_document(data: bytes, fmt: str, now: datetime = NOW, strict: bool = False) -> Document:
    """``data`` as the validator's rules see it, parsed without the parse layer
    (a rule's body tested on its own, against an older body)."""
    from lxml import etree

    return Document(name="t.xml", data=data, root=etree.fromstring(data), format=fmt, now=now,
                    strict=strict)
