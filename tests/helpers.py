"""What several test modules share: data paths, a fixed clock, small sites, a local HTTP server.

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
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from pathlib import Path

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
