"""What a command imports: `feedwright validate feed.xml` is a process of its own.

Most of a small feed's validation was start-up: importing the HTTP client,
the process pool, the build's modules and every vocabulary's rules, none of
which it uses (issue 16: whole process ≥ 10× faster than the W3C engine).
A build's main process, too, imports nothing before it reads that it does
not need for that: all of it is serial time in every build.
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


#: What a build's main process has no use for before it reads a JSON Lines
#: archive: the rules (its workers check the documents; with ``-j 1`` they
#: are imported as documents need them), the readers of other inputs, and
#: the installed distributions' metadata.
NOT_BEFORE_READING = (
    *(f"feedwright.validator.rules.{m}" for m in ("atom", "rss", "common", "itunes", "media",
                                                  "podcast", "jsonfeed", "opml", "text")),
    "feedwright.validator.json_schema", "fastjsonschema",
    "markdown_it", "feedwright.readers.markdown", "feedwright.readers.hugo",
    "feedwright.readers.jekyll", "feedwright.readers.pages",
    # the HTTP client (WebSub pings, only with --ping)
    "feedwright.websub", "urllib.request", "http.client",
)

#: Run in a fresh interpreter: ``feedwright build ARGS``, printing what was
#: imported when the build first opened its archive, and when it was done.
_BUILD_WATCHED = (
    "import gc, json, sys\n"
    "seen = {}\n"
    "def hook(event, args):\n"
    "    if (event == 'open' and 'reading' not in seen and isinstance(args[0], str)\n"
    "            and args[0].endswith('entries.jsonl')):\n"
    "        seen['reading'] = sorted(sys.modules)\n"
    "sys.addaudithook(hook)\n"
    "from feedwright.cli import main\n"
    "sys.argv = ['feedwright', *sys.argv[1:]]\n"
    "frozen = gc.get_freeze_count()\n"
    "try:\n"
    "    main()\n"
    "except SystemExit as exc:\n"
    "    seen['rc'] = exc.code or 0\n"
    "seen['done'] = sorted(sys.modules)\n"
    "seen['frozen'] = gc.get_freeze_count() - frozen\n"
    "print(json.dumps(seen))\n"
)


def _jsonl_site(tmp_path: Path) -> Path:
    lines = [json.dumps({"title": f"Post {n}", "published": f"2026-03-0{n}", "slug": f"post-{n}",
                         "summary": f"Summary {n}.", "content": f"<p>Post <em>{n}</em></p>",
                         "tags": ["a"]})
             for n in (1, 2, 3)]
    (tmp_path / "entries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text("site:\n  title: Test site\n  base_url: https://example.org/\n"
                      "  author: tester\ninputs: [entries.jsonl]\noutput: feeds\n"
                      "formats: [rss, atom]\n", encoding="utf-8")
    return config


def test_a_build_imports_no_rule_and_no_other_reader_before_reading(tmp_path: Path) -> None:
    # Everything the main process imports before it reads is serial time,
    # paid in full by every build (issue 16).
    config = _jsonl_site(tmp_path)
    done = subprocess.run([sys.executable, "-c", _BUILD_WATCHED, "build", "--config", str(config),
                           "--quiet", "-j", "1"],
                          capture_output=True, text=True, check=True)
    seen = json.loads(done.stdout)
    assert seen["rc"] == 0 and (tmp_path / "feeds" / "rss.xml").is_file()
    reading, after = set(seen["reading"]), set(seen["done"])
    assert "feedwright.pipeline" in reading  # the hook saw the build read
    assert sorted(m for m in NOT_BEFORE_READING if m in reading) == []
    # ... and its gate then imported the rules it needed, on demand
    assert {"feedwright.validator.rules.rss", "feedwright.validator.rules.atom"} <= after
    assert "feedwright.validator.rules.media" not in after  # a vocabulary they do not use
    assert "markdown_it" not in after
    assert "urllib.request" not in after  # no hub to tell
    assert "feedwright.validator.compare" not in after  # no published feed to compare ids with
    # What lives until the process ends is frozen: the collections at exit skip it.
    assert seen["frozen"] > 10_000


def test_a_build_says_what_it_wrote_through_a_file(tmp_path: Path) -> None:
    # stdout to a file is block-buffered: the interpreter's exit flushes it
    config = _jsonl_site(tmp_path)
    with (tmp_path / "out.txt").open("wb") as out:
        done = subprocess.run([sys.executable, "-m", "feedwright", "build", "--config",
                               str(config), "--no-cache", "-j", "1"], stdout=out,
                              stderr=subprocess.PIPE, check=False)
    assert done.returncode == 0 and done.stderr == b""
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == (
        f"wrote 7 of 7 files to {tmp_path / 'feeds'} (0 unchanged)\n")


def _rule_modules(_: int) -> list[str]:
    """In a worker: the rule modules it has (this test module imports none)."""
    return sorted(m for m in sys.modules if m.startswith("feedwright.validator.rules."))


def test_the_build_workers_have_every_rule_from_their_server() -> None:
    # The workers fork from a server that imported WORKER_MODULES (Runner's
    # preload): each has every rule without importing it on its first document.
    # The server skips a preload module it cannot import, silently.  One
    # server per process, started with the first pool: so a fresh one here.
    code = ("from feedwright.gate import WORKER_MODULES\n"
            "from feedwright.parallel import Runner\n"
            "from feedwright.validator.rules import MODULES\n"
            "from tests.test_startup import _rule_modules\n"
            "every = {f'feedwright.validator.rules.{m}' for m in MODULES}\n"
            "with Runner(2, preload=WORKER_MODULES) as runner:\n"
            "    runner.start()\n"
            "    print([sorted(every - set(got)) for got in runner.map(_rule_modules, [0, 1])])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    assert done.stdout.split() == ["[[],", "[]]"]
