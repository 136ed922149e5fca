"""What a command imports: `feedwright validate feed.xml` is a process of its own.

Most of a small feed's validation was start-up: importing the HTTP client,
the process pool, the build's modules and every vocabulary's rules, none of
which it uses (issue 16: whole process ≥ 10× faster than the W3C engine).
Each command imports what it needs when it runs; these tests hold it so,
by looking at ``sys.modules`` in a fresh interpreter after the command ran.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Feeds feedwright wrote: RSS and Atom, valid, declaring the Atom, content
#: and Dublin Core namespaces and no other vocabulary.
FEEDS = [ROOT / "feeds" / "rss.xml", ROOT / "feeds" / "atom.xml"]

#: What ``validate`` of files never needs.
NOT_FOR_FILES = (
    # the HTTP client (for URLs) and the installed version (its User-Agent)
    "urllib.request", "http.client", "ssl", "importlib.metadata",
    # the process pool (for many inputs)
    "multiprocessing", "concurrent.futures", "ctypes", "tempfile", "shutil",
    # a page's links (html.parser), a progress bar no one sees
    "html.parser", "click._termui_impl",
    # the build
    "feedwright.model", "feedwright.config", "feedwright.readers", "feedwright.feedset",
    "feedwright.render", "feedwright.gate", "feedwright.pipeline", "feedwright.io",
    "feedwright.cache", "feedgen", "yaml",
    # JSON Feed's schema (for JSON Feeds)
    "feedwright.validator.json_schema", "fastjsonschema",
    # the rules of formats and vocabularies these feeds do not use
    "feedwright.validator.rules.jsonfeed", "feedwright.validator.rules.opml",
    "feedwright.validator.rules.rss_old", "feedwright.validator.rules.media",
    "feedwright.validator.rules.geo", "feedwright.validator.rules.feedsync",
    "feedwright.validator.rules.threading", "feedwright.validator.rules.comments",
)


def _run_cli(*args: str) -> tuple[int, str, set[str]]:
    """Exit code, stdout and the modules imported, of ``feedwright ARGS`` in a fresh process."""
    code = (
        "import contextlib, io, json, sys\n"
        "from feedwright.cli import main\n"
        "sys.argv = ['feedwright', *sys.argv[1:]]\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    try:\n"
        "        main()\n"
        "        rc = 0\n"
        "    except SystemExit as exc:\n"
        "        rc = exc.code or 0\n"
        "print(json.dumps([rc, out.getvalue(), sorted(sys.modules)]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True)
    rc, stdout, modules = json.loads(done.stdout)
    return rc, stdout, set(modules)


def test_validate_files_imports_only_what_checking_them_needs() -> None:
    rc, out, modules = _run_cli("validate", "--format", "json", *map(str, FEEDS))
    reports = json.loads(out)
    assert rc == 0 and [r["valid"] for r in reports] == [True, True]
    assert [r["format"] for r in reports] == ["rss2", "atom1"]
    assert "feedwright.validator.rules.rss" in modules  # the checks did run
    assert "feedwright.validator.rules.dublin_core" in modules  # a vocabulary they declare
    assert sorted(m for m in NOT_FOR_FILES if m in modules) == []


def test_version_imports_neither_the_validator_nor_lxml() -> None:
    rc, out, modules = _run_cli("--version")
    assert rc == 0 and out.startswith("feedwright, version ")
    assert sorted(m for m in ("feedwright.validator", "lxml", *NOT_FOR_FILES)
                  if m in modules) == []


@pytest.mark.parametrize("spec", ["http://127.0.0.1:9/feed.xml"])
def test_a_url_still_gets_the_http_client(spec: str) -> None:
    # nothing listens on port 9 (discard): the request is refused, exit 2
    rc, out, modules = _run_cli("validate", "--timeout", "2", spec)
    assert rc == 2 and "UNREADABLE" in out
    assert {"urllib.request", "http.client"} <= modules


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_left_as_it_was(enabled: bool) -> None:
    # the CLI holds it off while it is imported and while `validate` runs
    code = (f"import gc\n{'' if enabled else 'gc.disable()'}\n"
            "import feedwright.cli\nprint(gc.isenabled())\n"
            "from click.testing import CliRunner\n"
            f"r = CliRunner().invoke(feedwright.cli.cli, ['validate', {str(FEEDS[0])!r}])\n"
            "print(r.exit_code, gc.isenabled())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == [str(enabled), "0", str(enabled)]


def test_the_build_gate_imports_every_rule_for_its_workers_to_inherit() -> None:
    # the build's workers fork from a server that preloads feedwright.gate
    code = ("import sys, feedwright.gate\nfrom feedwright.validator.rules import MODULES\n"
            "print(all('feedwright.validator.rules.' + m in sys.modules for m in MODULES))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["True"]
