#!/usr/bin/env python3
"""Measure how often feedwright's validator agrees with the W3C Feed Validation Service.

This script only DRIVES an external checkout of the W3C engine; no W3C code
is part of feedwright, imported by it, or copied into this repository.  Point
the script at the checkout with ``--w3c PATH`` or the environment variable
``W3C_FEEDVALIDATOR``.  The checkout must provide ``check.py`` (one line per
message, ``LEVEL ClassName line:col: text``, and a last line
``errors=N warnings=M``) and a Python to run it with (``PATH/venv/bin/python``
by default, or ``--w3c-python``).

For each feed file of the corpus (default: ``tests/data/validate/**/*.xml``,
``tests/data/hostile/*.xml`` and ``feeds/**/*.xml``) both validators run on
the same bytes with the same self location (a fixture's ``Options:
location=URL``, else its absolute ``rel="self"`` link, else
``https://blog.example.org/<path>``), and the script reports:

* verdict agreement: W3C errors > 0 vs our ``valid`` false, and W3C warnings > 0
  vs our warnings > 0 (W3C "Info" lines never count, as on the service);
* the W3C classes we missed (no rule declaring the class in its ``w3c`` was
  raised), and our codes W3C did not raise (no W3C class mapped to them was
  logged at any level).

Usage (from the repository root, with feedwright importable)::

    W3C_FEEDVALIDATOR=/path/to/feedvalidator python scripts/w3c_agreement.py
    python scripts/w3c_agreement.py --w3c PATH [--all] [--markdown] [--json OUT] [FILE ...]

Exit status: 0 on a completed run (agreement is measured, not enforced), 2
when the W3C checkout cannot be found.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from feedwright.validator import validate  # noqa: E402
from feedwright.validator.rules import by_w3c_class  # noqa: E402

DEFAULT_CORPUS = ("tests/data/validate/**/*.xml", "tests/data/hostile/*.xml", "feeds/**/*.xml")
BASE_URL = "https://blog.example.org/"

#: W3C message class → the feedwright codes that report the same problem, as
#: each rule declares it (``Rule.w3c``).  A W3C class counts as caught when
#: any one of its codes is raised on the file.
W3C_TO_OURS: dict[str, tuple[str, ...]] = {
    name: tuple(r.code for r in rules) for name, rules in by_w3c_class().items()
}

#: W3C classes feedwright deliberately has no code for, and why (see
#: docs/w3c-agreement.md).  They still show up as misses; the table labels them.
NOT_MAPPED: dict[str, str] = {
    "UnknownNamespace": "W3C warns on any namespace missing from its private list; "
                        "extension vocabularies are legitimate",
    "UseOfExtensionAttr": "foreign attributes are allowed (RSS 2.0 extensibility)",
    "ObscureEncoding": "encodings are judged by whether they decode, not by popularity",
    "AvoidNamespacePrefix": "prefix choice is cosmetic",
    "NonstdPrefix": "prefix choice is cosmetic (Info on the service)",
}

_LINE = re.compile(r"^(Error|Warning|Info) (\w+) (\S+?):(\S+?): (.*)$")
_TOTALS = re.compile(r"^errors=(\d+) warnings=(\d+)$")
_OPTIONS = re.compile(r"<!--\s*Options:([^>]*?)-->")
_SELF = re.compile(rb"<(?:[A-Za-z0-9_]+:)?link\b[^>]*?\brel\s*=\s*[\"']self[\"'][^>]*>", re.S)
_HREF = re.compile(rb"\bhref\s*=\s*[\"']([^\"']*)[\"']")


@dataclass
class Result:
    """Both validators' findings for one file."""

    path: str
    url: str
    w3c: dict[str, list[str]] = field(default_factory=dict)  # level → classes
    w3c_errors: int = 0
    w3c_warnings: int = 0
    w3c_failed: str | None = None
    ours: list[tuple[str, str]] = field(default_factory=list)  # (severity, code)

    @property
    def our_errors(self) -> int:
        return sum(1 for s, _ in self.ours if s == "error")

    @property
    def our_warnings(self) -> int:
        return sum(1 for s, _ in self.ours if s == "warning")

    @property
    def error_verdict_agrees(self) -> bool:
        return (self.w3c_errors > 0) == (self.our_errors > 0)

    @property
    def warning_verdict_agrees(self) -> bool:
        return (self.w3c_warnings > 0) == (self.our_warnings > 0)

    @property
    def agrees(self) -> bool:
        return self.error_verdict_agrees and self.warning_verdict_agrees

    def missed(self) -> list[str]:
        """W3C errors/warnings none of whose mapped codes we raised."""
        codes = {c for _, c in self.ours}
        out = []
        for cls in dict.fromkeys(self.w3c.get("Error", []) + self.w3c.get("Warning", [])):
            if not codes.intersection(W3C_TO_OURS.get(cls, ())):
                out.append(cls)
        return out

    def extra(self) -> list[str]:
        """Our codes that no W3C class logged here (at any level) maps to."""
        logged = [c for level in ("Error", "Warning", "Info") for c in self.w3c.get(level, [])]
        covered = {code for cls in logged for code in W3C_TO_OURS.get(cls, ())}
        return list(dict.fromkeys(c for _, c in self.ours if c not in covered))

    def info_only(self) -> list[str]:
        """Our codes whose W3C counterpart was logged only as Info (not counted)."""
        strong = {code for level in ("Error", "Warning") for cls in self.w3c.get(level, [])
                  for code in W3C_TO_OURS.get(cls, ())}
        info = {code for cls in self.w3c.get("Info", []) for code in W3C_TO_OURS.get(cls, ())}
        return list(dict.fromkeys(c for _, c in self.ours if c in info and c not in strong))


def self_url(path: Path, data: bytes) -> str:
    """The location both validators are told: Options, else absolute self link, else blog URL."""
    m = _OPTIONS.search(data.decode("utf-8", "replace"))
    if m:
        for token in m.group(1).split():
            if token.startswith("location="):
                return token.split("=", 1)[1]
    link = _SELF.search(data)
    if link:
        href = _HREF.search(link.group(0))
        if href and re.match(rb"https?://", href.group(1)):
            return href.group(1).decode("utf-8", "replace").replace("&amp;", "&")
    try:
        rel = path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        rel = path.name
    return BASE_URL + rel


#: Runs the engine of a plain checkout (``SRC/feedvalidator``) on one file and
#: prints what ``check.py`` would: our driver, not W3C code.
DRIVER = r"""
import sys
sys.path.insert(0, sys.argv[1])
import feedvalidator
from feedvalidator import compatibility, logging
path, url, fallback = sys.argv[2], sys.argv[3], sys.argv[4] or None
data = open(path, "rb").read()
try:
    events = feedvalidator.validateString(data, firstOccurrenceOnly=0, fallback=fallback,
                                          base=url)["loggedEvents"]
except logging.ValidationFailure as failure:
    events = [failure.event]
errors = warnings = 0
for event in compatibility.AA(events):
    for level in (logging.Error, logging.Warning, logging.Info):
        if isinstance(event, level):
            break
    else:
        continue
    errors += level is logging.Error
    warnings += level is logging.Warning
    line, column = event.params.get("line", "?"), event.params.get("column", "?")
    print(f"{level.__name__} {type(event).__name__} {line}:{column}: -")
print(f"errors={errors} warnings={warnings}")
"""


def w3c_command(w3c: Path, python: str, path: Path, url: str, fallback: str) -> list[str]:
    """check.py when the checkout has one, else our driver over its ``src``.

    ``fallback`` is the encoding assumed when a document declares none; W3C's
    own harness runs its test cases with US-ASCII (without one the engine stops
    at MissingEncoding and checks nothing else).
    """
    check = w3c / "check.py"
    if check.is_file() and not fallback:
        return [python, str(check), str(path), "--url", url]
    return [python, "-c", DRIVER, str(w3c / "src"), str(path), url, fallback]


def run_w3c(command: list[str], data: bytes, res: Result,
            cache: dict[str, dict[str, object]]) -> None:
    key = hashlib.sha256(data + res.url.encode() + " ".join(command[-1:]).encode()).hexdigest()
    if key in cache:
        hit = cache[key]
        res.w3c = hit["w3c"]  # type: ignore[assignment]
        res.w3c_errors, res.w3c_warnings = hit["errors"], hit["warnings"]  # type: ignore[assignment]
        return
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except subprocess.TimeoutExpired:
        res.w3c_failed = "timeout"
        return
    for line in proc.stdout.splitlines():
        m = _LINE.match(line)
        if m:
            res.w3c.setdefault(m.group(1), []).append(m.group(2))
            continue
        t = _TOTALS.match(line)
        if t:
            res.w3c_errors, res.w3c_warnings = int(t.group(1)), int(t.group(2))
    if not _TOTALS.search(proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""):
        res.w3c_failed = f"crashed: {proc.stderr.strip().splitlines()[-1:]}"
    else:
        cache[key] = {"w3c": res.w3c, "errors": res.w3c_errors, "warnings": res.w3c_warnings}


def run_ours(path: Path, data: bytes, url: str, res: Result) -> None:
    report = validate(data, name=str(path), location=url)
    res.ours = [(i.severity, i.code) for i in report.issues]


def check_one(w3c: Path, python: str, path: Path, cache: dict[str, dict[str, object]],
              testcases: Path | None = None) -> Result:
    data = path.read_bytes()
    if testcases is not None:
        # W3C's own harness (validtest.py) validates each case at this address.
        url = "http://www.feedvalidator.org/testcases/" + path.relative_to(testcases).as_posix()
        shown = "testcases/" + path.relative_to(testcases).as_posix()
    else:
        url = self_url(path, data)
        try:
            shown = path.resolve().relative_to(ROOT).as_posix()
        except ValueError:
            shown = str(path)
    res = Result(shown, url)
    run_w3c(w3c_command(w3c, python, path, url, "US-ASCII" if testcases else ""), data, res, cache)
    run_ours(path, data, url, res)
    return res


_COMMENTS = re.compile(rb"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>]*>", re.S)
_ROOT = re.compile(rb"<([A-Za-z_][\w:.-]*)([^>]*)>")
#: The W3C test-case folders of each measured group.
GROUPS = {"core": ("rss", "rss20", "atom", "xml"), "ext": ("ext",)}


def feed_kind(data: bytes) -> str | None:
    """'rss2' or 'atom1' for an RSS 2.0 or Atom 1.0 document (by its root), else None."""
    m = _ROOT.search(_COMMENTS.sub(b"", data))
    if not m:
        return None
    name, attrs = m.group(1).split(b":")[-1], m.group(2)
    if name == b"rss" and re.search(rb"version\s*=\s*[\"']2\.0", attrs):
        return "rss2"
    if name in (b"feed", b"entry") and b"http://www.w3.org/2005/Atom" in attrs:
        return "atom1"
    return None


def testcase_groups(testcases: Path) -> dict[str, list[Path]]:
    """W3C's RSS 2.0 and Atom 1.0 cases, by group (the issue's two targets)."""
    groups: dict[str, list[Path]] = {}
    for group, folders in GROUPS.items():
        groups[group] = [p for folder in folders for p in sorted((testcases / folder).rglob("*"))
                         if p.is_file() and p.suffix == ".xml" and feed_kind(p.read_bytes())]
    return groups


def corpus(patterns: list[str]) -> list[Path]:
    files: dict[Path, None] = {}
    for pattern in patterns:
        p = Path(pattern)
        if p.is_file():
            files[p] = None
            continue
        for f in sorted(ROOT.glob(pattern)):
            if f.is_file():
                files[f] = None
    return list(files)


def pct(n: int, d: int) -> str:
    return f"{100.0 * n / d:.1f}%" if d else "n/a"


def summary(results: list[Result], markdown: bool) -> str:
    n = len(results)
    err = sum(r.error_verdict_agrees for r in results)
    warn = sum(r.warning_verdict_agrees for r in results)
    both = sum(r.agrees for r in results)
    missed = Counter(c for r in results for c in r.missed())
    extra = Counter(c for r in results for c in r.extra())
    info_only = Counter(c for r in results for c in r.info_only())
    failed = [r.path for r in results if r.w3c_failed]
    rows = [
        ("files", str(n)),
        ("error verdict agrees (W3C errors>0 vs our valid=false)", f"{err}/{n} ({pct(err, n)})"),
        ("warning verdict agrees (W3C warnings>0 vs our warnings>0)",
         f"{warn}/{n} ({pct(warn, n)})"),
        ("both verdicts agree", f"{both}/{n} ({pct(both, n)})"),
        ("W3C classes missed (file × class)", str(sum(missed.values()))),
        ("our codes W3C did not raise (file × code)", str(sum(extra.values()))),
    ]
    out: list[str] = []
    if markdown:
        out += ["| measure | value |", "|---|---|"] + [f"| {a} | {b} |" for a, b in rows]
        out += ["", "| W3C class we missed | files | note |", "|---|---|---|"]
        out += [f"| {c} | {k} | {note(c)} |" for c, k in missed.most_common()]
        out += ["", "| our code W3C did not raise | files | note |", "|---|---|---|"]
        out += [f"| {c} | {k} | {'W3C: Info only' if info_only.get(c) else ''} |"
                for c, k in extra.most_common()]
    else:
        width = max(len(a) for a, _ in rows)
        out += [f"{a:<{width}}  {b}" for a, b in rows]
        out += ["", "W3C classes missed, by class:"]
        out += [f"  {k:4d}  {c}  {note(c)}" for c, k in missed.most_common()] or ["  none"]
        out += ["", "our codes W3C did not raise, by code:"]
        out += [f"  {k:4d}  {c}{'  (W3C: Info only)' if info_only.get(c) else ''}"
                for c, k in extra.most_common()] or ["  none"]
    if failed:
        out += ["", "W3C engine failed on: " + ", ".join(failed)]
    return "\n".join(out)


def note(cls: str) -> str:
    if cls in NOT_MAPPED:
        return "not mapped: " + NOT_MAPPED[cls]
    if cls not in W3C_TO_OURS:
        return "not mapped"
    return ""


def per_file(r: Result) -> str:
    mark = "ok  " if r.agrees else "DIFF"
    line = (f"{mark} {r.path}  W3C e={r.w3c_errors} w={r.w3c_warnings}  "
            f"ours e={r.our_errors} w={r.our_warnings}")
    if r.w3c_failed:
        line += f"  [W3C {r.w3c_failed}]"
    if r.missed():
        line += "\n       missed: " + ", ".join(r.missed())
    if r.extra():
        line += "\n       extra:  " + ", ".join(r.extra())
    return line


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", help="files or globs (relative to the repo root)")
    ap.add_argument("--w3c", default=os.environ.get("W3C_FEEDVALIDATOR"),
                    help="the W3C feedvalidator checkout (default: $W3C_FEEDVALIDATOR)")
    ap.add_argument("--w3c-python", help="Python to run it with (default: W3C/venv/bin/python)")
    ap.add_argument("--all", action="store_true", help="list every file, not only disagreements")
    ap.add_argument("--markdown", action="store_true", help="summary as Markdown tables")
    ap.add_argument("--json", metavar="OUT", help="write per-file results as JSON")
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--testcases", metavar="DIR",
                    help="measure on W3C's own test cases (the checkout's testcases/ folder): "
                         "the RSS 2.0 and Atom 1.0 cases, core and ext/ reported apart")
    ap.add_argument("--cache", metavar="FILE",
                    help="keep W3C's verdicts here between runs (keyed by bytes and location)")
    args = ap.parse_args(argv)
    if not args.w3c:
        print("w3c_agreement: give --w3c PATH or set W3C_FEEDVALIDATOR", file=sys.stderr)
        return 2
    w3c = Path(args.w3c)
    python = args.w3c_python or str(w3c / "venv" / "bin" / "python")
    if not ((w3c / "check.py").is_file() or (w3c / "src" / "feedvalidator").is_dir()) \
            or not Path(python).exists():
        print(f"w3c_agreement: no W3C engine in {w3c}, or no {python}", file=sys.stderr)
        return 2
    cache_file = Path(args.cache) if args.cache else None
    cache = json.loads(cache_file.read_text()) if cache_file and cache_file.exists() else {}
    testcases = Path(args.testcases).resolve() if args.testcases else None
    if testcases is not None:
        groups = testcase_groups(testcases)
        if args.files:
            wanted = {Path(f).resolve() for f in corpus(args.files)}
            groups = {g: [p for p in ps if p in wanted] for g, ps in groups.items()}
    else:
        groups = {"corpus": corpus(args.files or list(DEFAULT_CORPUS))}
    by_group: dict[str, list[Result]] = {}
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for group, files in groups.items():
            by_group[group] = list(pool.map(
                lambda p: check_one(w3c, python, p, cache, testcases), files))
    if cache_file:
        cache_file.write_text(json.dumps(cache))
    results = [r for rs in by_group.values() for r in rs]
    for r in results:
        if args.all or not r.agrees or r.missed() or r.extra():
            print(per_file(r))
    for group, rs in by_group.items():
        print(f"\n## {group}\n" if len(by_group) > 1 else "")
        print(summary(rs, args.markdown))
    if len(by_group) > 1:
        print("\n## all groups together\n")
        print(summary(results, args.markdown))
    if args.json:
        Path(args.json).write_text(json.dumps([
            {"path": r.path, "url": r.url, "w3c": r.w3c, "w3c_errors": r.w3c_errors,
             "w3c_warnings": r.w3c_warnings, "w3c_failed": r.w3c_failed,
             "ours": [list(x) for x in r.ours], "missed": r.missed(), "extra": r.extra()}
            for r in results], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
