"""feedwright's benchmark: issue 16's table, every tool side by side.  See benchmarks/README.md.

    python benchmarks/run.py --w3c /tmp/fv        # default: --sizes 10000 --limits 20 0 --repeat 3
    python benchmarks/run.py --quick              # smoke test: 1k only, repeat 1
    python benchmarks/run.py --sizes 10000 50000 --w3c /tmp/fv   # all four cells of issue 16
    python benchmarks/run.py --profile 10000 0    # cProfile of one build (top 15 cumulative)

Tools: the lean lxml floor, the durable lxml floor, feedwright build (cold and
warm cache), feedgen per feed, Hugo (RSS only); validation: feedwright
validate vs the W3C engine (a local checkout, ``--w3c``) and vs lxml.parse.

Every measurement is a fresh subprocess started by a tiny wrapper (this file
with --measure) that reports the child's wall time, CPU time (user + sys of
the whole process tree) and peak memory: the larger of ru_maxrss of its
children and the process tree's summed RSS sampled every 50 ms (feedwright
may run a process pool), so peaks never mix.  Data and outputs go to
benchmarks/out/ (git-ignored); the last report to benchmarks/out/results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC
from datetime import datetime
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

OUT = HERE / "out"
CACHE = ".feedwright-cache"  # feedwright's build cache, beside the config
PY = sys.executable
BASELINES = str(HERE / "baselines.py")
_SCRIPT = Path(PY).parent / "feedwright"
FEEDWRIGHT = [str(_SCRIPT)] if _SCRIPT.exists() else [PY, "-m", "feedwright"]
ATOM = "http://www.w3.org/2005/Atom"


# --------------------------------------------------------------------------- measuring

def _tree_rss_kb(root: int) -> int:
    """Summed RSS of ``root`` and all its descendants (from /proc; 0 where unavailable)."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
            fields = stat[stat.rindex(b")") + 2:].split()
            parent[int(name)] = int(fields[1])
            rss[int(name)] = int(fields[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
        except (OSError, ValueError, IndexError):
            continue
    tree, todo = {root}, [root]
    while todo:
        pid = todo.pop()
        for child, ppid in parent.items():
            if ppid == pid and child not in tree:
                tree.add(child)
                todo.append(child)
    return sum(rss.get(pid, 0) for pid in tree)


def _measure_main(argv: list[str]) -> None:
    """Wrapper: run argv, write its output to files, print wall time, CPU time and peak RSS.

    peak_mb: the largest single process (ru_maxrss of the children);
    tree_mb: the largest sum over the process tree, sampled every 50 ms
    (matters when the child runs a process pool).
    """
    out_path, err_path, cmd = argv[0], argv[1], argv[2:]
    tree_kb = 0
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        while True:
            try:
                rc = proc.wait(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                tree_kb = max(tree_kb, _tree_rss_kb(proc.pid))
        wall = time.perf_counter() - t
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kb = usage.ru_maxrss
    print(json.dumps({"wall": wall, "peak_mb": max(peak_kb, tree_kb) / 1024, "rc": rc,
                      "cpu": usage.ru_utime + usage.ru_stime}))


class Run:
    def __init__(self, wall: float, peak_mb: float, rc: int, stdout: str, stderr: str, cpu: float):
        self.wall, self.peak_mb, self.rc, self.cpu = wall, peak_mb, rc, cpu
        self.stdout, self.stderr = stdout, stderr


def measure(cmd: list[str], cwd: Path | None = None) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        o, e = os.path.join(tmp, "out"), os.path.join(tmp, "err")
        res = subprocess.run([PY, __file__, "--measure", o, e, *cmd], cwd=cwd,
                             capture_output=True, text=True, check=True)
        data = json.loads(res.stdout.strip().splitlines()[-1])
        with open(o, encoding="utf-8", errors="replace") as f:
            stdout = f.read()
        with open(e, encoding="utf-8", errors="replace") as f:
            stderr = f.read()
    return Run(data["wall"], data["peak_mb"], data["rc"], stdout, stderr, data["cpu"])


def must(run: Run, what: str) -> Run:
    if run.rc != 0:
        sys.exit(f"FAILED: {what} exited {run.rc}\n{run.stderr[-3000:]}")
    return run


class Stat:
    """Median wall time and max peak of several runs."""

    def __init__(self, runs: list[Run]):
        self.runs = runs
        self.wall = statistics.median(r.wall for r in runs)
        self.peak_mb = max(r.peak_mb for r in runs)
        self.cpu = statistics.median(r.cpu for r in runs)

    def __str__(self) -> str:
        return f"{self.wall:.2f} s"

    def spread(self) -> str:
        """The median and, over several runs, the range: this machine drifts."""
        if len(self.runs) < 2:
            return str(self)
        walls = [r.wall for r in self.runs]
        return f"{self.wall:.2f} s ({min(walls):.2f}–{max(walls):.2f})"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- checking

def inventory(root: Path) -> dict[str, list[str]]:
    """relative path → the ids (RSS guid / Atom id) of its items, in document order,
    plus, under "<path>#shape", the element names every item of the file holds."""
    out: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.xml")):
        ids: list[str] = []
        shape: set[str] = set()
        for _, el in etree.iterparse(str(path), events=("end",), huge_tree=True,
                                     tag=("item", f"{{{ATOM}}}entry")):
            key = el.findtext("guid") if el.tag == "item" else el.findtext(f"{{{ATOM}}}id")
            ids.append(key or "")
            shape.update(str(child.tag) for child in el)
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]
        rel = path.relative_to(root).as_posix()
        out[rel] = ids
        out[rel + "#shape"] = sorted(shape)
    return out


def check_same(
    ref_name: str, ref: dict[str, list[str]], name: str, other: dict[str, list[str]]
) -> None:
    problems = []
    if set(ref) != set(other):
        only_ref = sorted(set(ref) - set(other))[:5]
        only_other = sorted(set(other) - set(ref))[:5]
        problems.append(
            f"different files: only in {ref_name}: {only_ref}; only in {name}: {only_other}"
        )
    for rel in sorted(set(ref) & set(other)):
        if rel.endswith("#shape"):
            if ref[rel] != other[rel]:
                problems.append(f"{rel[:-6]}: items hold different elements: {ref_name} "
                                f"{ref[rel]}, {name} {other[rel]}")
        elif len(ref[rel]) != len(other[rel]):
            problems.append(
                f"{rel}: {len(ref[rel])} items in {ref_name}, {len(other[rel])} in {name}"
            )
        elif ref[rel] != other[rel]:
            problems.append(f"{rel}: same count, different items or order")
    if problems:
        sys.exit(f"OUTPUT MISMATCH between {ref_name} and {name}:\n  " + "\n  ".join(problems[:20]))


# --------------------------------------------------------------------------- builds

#: The tools of the build table, in the order they run within each repeat.
TOOLS = ("floor", "durable", "fw", "feedgen", "hugo")
LABEL = {
    "floor": "lean lxml floor", "durable": "durable lxml floor", "fw": "feedwright cold",
    "fwarm": "feedwright warm", "feedgen": "feedgen per feed", "hugo": "Hugo",
}


def _fresh(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def build_cmds(site: Path) -> dict[str, list[str]]:
    cfg = str(site / "config.yaml")
    return {
        "fw": [*FEEDWRIGHT, "build", "--config", cfg, "--out", str(site / "feeds-fw"), "--quiet"],
        "feedgen": [PY, BASELINES, "feedgen", "--config", cfg, "--out",
                    str(site / "feeds-feedgen")],
        "floor": [PY, BASELINES, "lxml", "--config", cfg, "--out", str(site / "feeds-floor")],
        "durable": [PY, BASELINES, "lxml-durable", "--config", cfg, "--out",
                    str(site / "feeds-durable")],
        "hugo": ["hugo", "--quiet", "--source", str(site / "hugo"), "--destination",
                 str(site / "feeds-hugo")],
    }


def hugo_version() -> str | None:
    try:
        out = subprocess.run(["hugo", "version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    m = re.search(r"v(\d+\.\d+\.\d+)\S*", out.stdout)
    return m.group(0) if m else out.stdout.strip()[:60]


def hugo_inventory(root: Path) -> dict[str, list[str]]:
    """Hugo's feeds under feedwright's names (index.xml → rss.xml): path → guids in order."""
    out: dict[str, list[str]] = {}
    for path in sorted(root.rglob("index.xml")):
        rel = path.relative_to(root).parent.as_posix()
        name = "rss.xml" if rel == "." else f"{rel}/rss.xml"
        ids = []
        for _, el in etree.iterparse(str(path), events=("end",), tag="item", huge_tree=True):
            ids.append(el.findtext("guid") or "")
            el.clear()
        out[name] = ids
    return out


def check_hugo(ours: dict[str, list[str]], hugo: dict[str, list[str]]) -> str:
    """Hugo writes RSS only, with its own head; compare the feed set and each feed's items."""
    rss = {k: v for k, v in ours.items() if k.endswith("rss.xml") and "#" not in k}
    if set(rss) != set(hugo):
        sys.exit(f"OUTPUT MISMATCH between feedwright and Hugo: feeds only ours "
                 f"{sorted(set(rss) - set(hugo))[:5]}, "
                 f"only Hugo's {sorted(set(hugo) - set(rss))[:5]}")
    counts = [k for k in rss if len(rss[k]) != len(hugo[k])]
    if counts:
        k = counts[0]
        sys.exit(f"OUTPUT MISMATCH between feedwright and Hugo: {len(counts)} feeds differ in "
                 f"items, e.g. {k}: {len(rss[k])} ours, {len(hugo[k])} Hugo's")
    same_ids = sum(rss[k] == hugo[k] for k in rss)
    return (f"{len(rss)} RSS feeds, the same feeds and the same number of items in each; "
            f"guids (permalinks) in the same order in {same_ids} of {len(rss)}")


def _disk_check(size: int, limit: int) -> None:
    """Refuse a cell when the output folders would not fit (10k/all: ~530 MB per builder)."""
    per_builder = size * 53_000 if limit == 0 else 100e6
    need = 5 * per_builder
    free = shutil.disk_usage(OUT).free
    if free < need * 1.2:
        sys.exit(f"not enough disk for {size}/{limit or 'all'}: ~{need / 1e9:.1f} GB needed "
                 f"in {OUT}, {free / 1e9:.1f} GB free")


def bench_builds(size: int, limit: int, repeat: int, hugo: bool) -> dict[str, object]:
    site = generate.write_site(size, limit).parent
    if hugo:
        generate.write_hugo_site(size, limit)
    OUT.mkdir(parents=True, exist_ok=True)
    _disk_check(size, limit)
    cmds = build_cmds(site)
    dirs = {k: site / f"feeds-{k}" for k in ("fw", "feedgen", "floor", "durable", "hugo")}
    tools = [t for t in TOOLS if hugo or t != "hugo"]
    runs: dict[str, list[Run]] = {k: [] for k in (*tools, "fwarm")}
    for i in range(repeat):
        for tool in tools:
            _fresh(dirs[tool])
            _fresh(site / CACHE)  # cold: feedwright's cache is emptied too
            r = must(measure(cmds[tool]), f"{LABEL[tool]} {size}/{limit or 'all'}")
            runs[tool].append(r)
            if tool == "fw":
                # warm: the same full build again into an empty output dir, cache kept
                _fresh(dirs["fw"])
                runs["fwarm"].append(must(measure(cmds["fw"]), f"warm {size}/{limit}"))
        log(f"{size}/{limit or 'all'} run {i + 1}/{repeat}: " + ", ".join(
            f"{k}={v[-1].wall:.2f}s" for k, v in runs.items() if v))
    inv = {k: inventory(dirs[k]) for k in ("fw", "feedgen", "floor", "durable")}
    for k in ("feedgen", "floor", "durable"):
        check_same("feedwright", inv["fw"], LABEL[k], inv[k])
    hugo_note = check_hugo(inv["fw"], hugo_inventory(dirs["hugo"])) if hugo else "not run"
    files = sum(1 for k in inv["fw"] if not k.endswith("#shape"))
    items = sum(len(v) for k, v in inv["fw"].items() if not k.endswith("#shape"))
    mb = sum(p.stat().st_size for p in dirs["fw"].rglob("*.xml")) / 1e6
    hugo_mb = sum(p.stat().st_size for p in dirs["hugo"].rglob("*.xml")) / 1e6 if hugo else 0.0
    return {
        "size": size, "limit": limit, "files": files, "items": items, "mb": mb,
        "hugo_mb": hugo_mb, "hugo_note": hugo_note,
        **{k: Stat(v) for k, v in runs.items()},
        "site": site,
    }


def bench_incremental(
    size: int, limit: int, repeat: int, full: dict[str, object]
) -> dict[str, object]:
    """Add one entry at a time to a copy of the archive; time each rebuild."""
    name = f"{size}-{'all' if limit == 0 else limit}-incr"
    site = generate.write_site(size, limit, name=name).parent
    entries = site / "entries.jsonl"
    data = entries.read_bytes()
    entries.unlink()  # a private copy: we append to it
    entries.write_bytes(data)
    cmd = [c for c in build_cmds(site)["fw"] if c != "--quiet"]
    # start from the full build's output and cache (same archive, same config);
    # one untimed rebuild makes sure the cache is warm for this folder
    _fresh(site / "feeds-fw")
    _fresh(site / CACHE)
    shutil.copytree(full["site"] / "feeds-fw", site / "feeds-fw")
    if (full["site"] / CACHE).exists():
        shutil.copytree(full["site"] / CACHE, site / CACHE)
    must(measure(cmd), "incremental: warm-up rebuild")
    noop = must(measure(cmd), "incremental: unchanged rebuild")
    if "wrote 0 of" not in noop.stdout:
        sys.exit(f"FAILED: rebuilding an unchanged archive rewrote files: {noop.stdout}")
    first = json.loads(data.split(b"\n", 1)[0])
    tags = first["tags"][:2]  # existing tags: no new feed files
    runs, rewritten = [], []
    for k in range(1, repeat + 1):
        with open(entries, "a", encoding="utf-8") as f:
            f.write(json.dumps(generate.extra_entry(k, tags), ensure_ascii=False) + "\n")
        r = must(measure(cmd), f"incremental rebuild {k}")
        m = re.search(r"wrote (\d+) of (\d+) (?:feed )?files", r.stdout)
        rewritten.append((int(m.group(1)), int(m.group(2))) if m else (-1, -1))
        runs.append(r)
    stat = Stat(runs)
    return {"size": size, "limit": limit, "stat": stat,
            "pct": 100 * stat.wall / full["fw"].wall, "rewritten": rewritten, "tags": tags,
            "noop": noop}


# --------------------------------------------------------------------------- validation

#: Runs the W3C Feed Validation Service's engine (a local checkout of
#: w3c/feedvalidator, its ``src`` on sys.path) over every file in ONE process,
#: as scripts/w3c_agreement.py drives it per file: our driver, not W3C code.
W3C_DRIVER = r"""
import re, sys
sys.path.insert(0, sys.argv[1])
import feedvalidator
from feedvalidator import compatibility, logging
for path in sys.argv[2:]:
    data = open(path, "rb").read()
    m = re.search(rb'<(?:atom:)?link[^>]*href="([^"]+)"[^>]*rel="self"', data)
    base = m.group(1).decode() if m else "https://bench.example.org/feed.xml"
    try:
        events = feedvalidator.validateString(data, firstOccurrenceOnly=0,
                                              base=base)["loggedEvents"]
    except logging.ValidationFailure as failure:
        events = [failure.event]
    events = compatibility.AA(events)
    errors = sum(isinstance(e, logging.Error) for e in events)
    warnings = sum(isinstance(e, logging.Warning) for e in events)
    print(f"{path}: errors={errors} warnings={warnings}")
"""


def compile_bytecode(w3c: list[str] | None) -> None:
    """Byte-compile feedwright (and the W3C engine's source) before anything is timed.

    Every measurement is a fresh process: without up-to-date bytecode (a
    checkout just changed, or PYTHONDONTWRITEBYTECODE set, as in CI) each
    one compiles every module it imports from source, which costs feedwright
    validate of two 1.8 MB feeds about half again its run and says nothing
    about the tools.  Both sides are compiled, as an installed package is.
    """
    import feedwright

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    targets = [(PY, str(Path(feedwright.__file__).parent))]
    if w3c:
        targets.append((w3c[0], w3c[3]))  # its python, its src (see w3c_engine)
    for python, folder in targets:
        subprocess.run([python, "-m", "compileall", "-q", folder], env=env, check=True,
                       stdout=subprocess.DEVNULL)


def w3c_engine(path: str | None) -> tuple[list[str] | None, str]:
    """(the command prefix that runs the driver, or None; why not)."""
    how = ("not run: `git clone https://github.com/w3c/feedvalidator PATH`, "
           "`python -m venv PATH/venv && PATH/venv/bin/pip install html5lib`, then `--w3c PATH`")
    if not path:
        return None, how
    w3c = Path(path)
    python = w3c / "venv" / "bin" / "python"
    if not (w3c / "src" / "feedvalidator").is_dir() or not python.exists():
        return None, f"not run: no W3C engine at {w3c} (src/feedvalidator, venv/bin/python); " + how
    return [str(python), "-c", W3C_DRIVER, str(w3c / "src")], ""


def medium_feeds(size: int, target: float = 1.8e6) -> list[Path]:
    """One RSS and one Atom feed of ~``target`` bytes each, rendered by feedwright
    from the newest entries of the ``size`` archive (the ~1.8 MB of issue 16)."""
    from feedwright.config import load_config
    from feedwright.model import Feed
    from feedwright.model import FeedSet
    from feedwright.model import Output
    from feedwright.readers import read_entries
    from feedwright.render import render

    folder = OUT / "validate" / f"medium-{size}"
    paths = [folder / "medium-rss.xml", folder / "medium-atom.xml"]
    if all(p.exists() for p in paths):
        return paths
    _fresh(folder)
    folder.mkdir(parents=True)
    config = load_config(generate.write_site(size, 20))
    entries = sorted(read_entries(config), key=lambda e: e.published, reverse=True)
    site = config.site

    def docs(n: int) -> list[bytes]:
        outs = tuple(Output(fmt, f"medium-{fmt}.xml", f"{config.feeds_url}medium-{fmt}.xml")
                     for fmt in ("rss", "atom"))
        feed = Feed("", site.title, site.description, site.base_url, site.language,
                    site.author, tuple(entries[:n]), outs)
        return [doc.data for doc in render(FeedSet((feed,)))]

    probe = docs(20)
    n = min(len(entries), round(20 * target / (sum(map(len, probe)) / 2)))
    for path, data in zip(paths, docs(n), strict=True):
        path.write_bytes(data)
    return paths


def _validate_runs(cmd: list[str], repeat: int, what: str) -> Stat:
    runs = []
    for _ in range(repeat):
        r = measure(cmd)
        if what == "feedwright validate":
            try:
                reports = json.loads(r.stdout)
            except ValueError:
                sys.exit(f"FAILED: feedwright validate printed no JSON (exit {r.rc}):\n"
                         f"{r.stderr[-2000:]}")
            bad = [x for x in reports if not x["valid"]]
            if bad or r.rc != 0:  # feeds feedwright wrote: a refusal is a failed run, not a time
                sys.exit(f"FAILED: feedwright validate: {len(bad)} of {len(reports)} invalid, "
                         f"exit {r.rc}: {json.dumps(bad[:2])[:1500]}")
        else:
            must(r, what)
        runs.append(r)
    return Stat(runs)


def bench_validate(
    big: Path, medium: list[Path], repeat: int, w3c: list[str] | None
) -> dict[str, object]:
    """feedwright validate vs the W3C engine (two ~1.8 MB feeds) and vs lxml.parse (79 MB)."""
    res: dict[str, object] = {"big": big, "medium": medium}
    for key, paths in (("medium", medium), ("big", [big])):
        args = [str(p) for p in paths]
        tools = {
            "fw": [*FEEDWRIGHT, "validate", "--max-bytes",
                   str(max(p.stat().st_size for p in paths) + 1), "--format", "json", *args],
            "lxml": [PY, BASELINES, "parse-lxml", *args],
        }
        if key == "medium" and w3c:
            tools["w3c"] = [*w3c, *args]
        # A run over the two medium feeds takes a tenth of a second, a third of
        # it start-up, which alone varies by tens of ms: more runs steady it.
        runs = max(repeat, 5) if key == "medium" else repeat
        for tool, cmd in tools.items():
            what = {"fw": "feedwright validate", "lxml": "lxml.etree.parse",
                    "w3c": "W3C engine"}[tool]
            stat = _validate_runs(cmd, runs, what)
            res[f"{key}-{tool}"] = stat
            if tool == "w3c":
                res["w3c-out"] = " ".join(
                    line.split(": ", 1)[1] for line in stat.runs[-1].stdout.splitlines()
                    if ": errors=" in line)
            log(f"validate {key}: {what} {stat.wall:.2f}s, peak {stat.peak_mb:.0f} MB")
    return res


# --------------------------------------------------------------------------- report

def _git_state() -> str:
    try:
        rev = subprocess.run(
            ["git", "-C", str(HERE), "log", "-1", "--format=%h (%ci)", "--", "../src"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(HERE), "status", "--porcelain", "--", "../src"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "an unknown commit"
    return f"commit {rev}" + (" + uncommitted changes in src/" if dirty else "")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:"))
        ram = f"{mem / 2**20:.1f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        ram = "RAM unknown"
    from importlib.metadata import version

    return (f"{cpu}, {os.cpu_count()} cores, {ram}, {platform.system()} {platform.machine()}; "
            f"Python {platform.python_version()}, lxml {version('lxml')} (libxml2 "
            f"{'.'.join(map(str, etree.LIBXML_VERSION))}), feedgen {version('feedgen')}, "
            f"Hugo {hugo_version() or 'not installed'}")


#: (what, target, lower is better?) per ratio of the targets table.
TARGET_COLD = 1.3
TARGET_PEAK = 1.5
TARGET_W3C = 10.0
TARGET_PARSE = 0.35


def _met(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


def report(builds, incr, vals, startup, args, started, w3c_note) -> str:  # type: ignore[no-untyped-def]
    lines = [
        f"Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}. "
        f"`{' '.join(['python', 'benchmarks/run.py', *sys.argv[1:]])}` "
        f"(median of {args.repeat}; took {(time.time() - started) / 60:.1f} min). "
        f"Start-up of `feedwright --version`: {startup.wall:.2f} s. "
        f"feedwright at {args.git_start}"
        + (f"; src/ CHANGED during the run, now {_git_state()}"
           if _git_state() != args.git_start else "")
        + f". Load average at start {args.load_start:.2f} on {os.cpu_count()} cores "
        "(other work on the machine inflates every column).",
        "",
        "### Full build (whole process, empty output folder)",
        "",
        "Wall times: median of the repeats (fastest–slowest).",
        "",
        "| archive | limit | files | items | MB | lean floor | durable floor | feedwright cold "
        "| feedwright warm | feedgen per feed | Hugo (RSS only, summaries) "
        "| cold / lean | warm / lean | durable / lean | cold / feedgen | cold / Hugo |",
        "|" + "---|" * 16,
    ]
    for r in builds:
        floor, fw = r["floor"], r["fw"]
        hugo = r.get("hugo")
        lines.append(
            f"| {r['size']:,} | {r['limit'] or 'all'} | {r['files']} | {r['items']:,} "
            f"| {r['mb']:.0f} | {floor.spread()} | {r['durable'].spread()} | {fw.spread()} "
            f"| {r['fwarm'].spread()} | {r['feedgen'].spread()} "
            f"| {hugo.spread() if hugo else 'not run'} "
            f"| {fw.wall / floor.wall:.2f} | {r['fwarm'].wall / floor.wall:.2f} "
            f"| {r['durable'].wall / floor.wall:.2f} | {fw.wall / r['feedgen'].wall:.2f} "
            f"| {f'{fw.wall / hugo.wall:.2f}' if hugo else '–'} |")
    lines += ["", "### Peak memory (MB, and × the lean floor's)", "",
              "| archive | limit | lean floor | durable floor | feedwright cold | feedwright warm "
              "| feedgen per feed | Hugo |", "|---|---|---|---|---|---|---|---|"]
    for r in builds:
        floor = r["floor"].peak_mb
        cells = [f"{r[k].peak_mb:.0f} ({r[k].peak_mb / floor:.2f}×)" if r.get(k) else "not run"
                 for k in ("durable", "fw", "fwarm", "feedgen", "hugo")]
        lines.append(f"| {r['size']:,} | {r['limit'] or 'all'} | {floor:.0f} | "
                     + " | ".join(cells) + " |")
    lines += ["", "Outputs compared after the repeats: the floors and feedgen write the same "
              "files as feedwright (same paths, same number of items, the same ids in the same "
              "order, items made of the same elements). Hugo writes RSS only (`index.xml` per "
              "feed) with `<description>` = the summary and no content, so it does less work; "
              "compared with feedwright's RSS files: " + "; ".join(
                  f"{r['size']:,}/{r['limit'] or 'all'}: {r['hugo_note']} "
                  f"({r['hugo_mb']:.0f} MB written)" for r in builds) + "."]
    if vals:
        med, big = vals["medium"], vals["big"]
        med_mb = sum(p.stat().st_size for p in med) / 1e6
        big_mb = big.stat().st_size / 1e6
        lines += ["", "### Validation (whole process)", "",
                  "| input | tool | wall | MB/s | peak MB |", "|---|---|---|---|---|"]
        rows = [("medium", f"2 feeds (RSS + Atom, {med_mb / 2:.1f} MB each)", med_mb),
                ("big", f"one RSS feed ({big_mb:.0f} MB)", big_mb)]
        for key, label, mb in rows:
            for tool, name in (("fw", "feedwright validate"), ("w3c", "W3C engine"),
                               ("lxml", "lxml.etree.parse alone")):
                stat = vals.get(f"{key}-{tool}")
                if stat is None:
                    if key == "medium" and tool == "w3c":
                        lines.append(f"| {label} | {name} | {w3c_note} | | |")
                    continue
                extra = f" ({vals['w3c-out']})" if tool == "w3c" else ""
                lines.append(f"| {label} | {name}{extra} | {stat} | {mb / stat.wall:.1f} "
                             f"| {stat.peak_mb:.0f} |")
    # the targets of issue 16, judged against the lean floor
    lines += ["", "### Targets (issue 16)", "",
              "Verdicts on the ratio of medians; the ratio of each tool's fastest run is shown "
              "beside it (contention only ever adds time).", "",
              "| measure | cell | ratio | fastest runs | target | verdict |",
              "|---|---|---|---|---|---|"]

    def row(what: str, cell: str, num: Stat, den: Stat, target: str, ok) -> None:  # type: ignore[no-untyped-def]
        ratio = num.wall / den.wall
        best = min(r.wall for r in num.runs) / min(r.wall for r in den.runs)
        lines.append(f"| {what} | {cell} | {ratio:.2f}× | {best:.2f}× | {target} "
                     f"| {_met(ok(ratio))} |")

    for r in builds:
        cell = f"{r['size'] // 1000}k/{r['limit'] or 'all'}"
        fw, floor, hugo = r["fw"], r["floor"], r.get("hugo")
        row("feedwright cold / lean floor", cell, fw, floor, f"≤ {TARGET_COLD}×",
            lambda x: x <= TARGET_COLD)
        row("feedwright cold / feedgen per feed", cell, fw, r["feedgen"], "< 1×",
            lambda x: x < 1)
        if hugo:
            row("feedwright cold / Hugo", cell, fw, hugo, "< 1×", lambda x: x < 1)
        else:
            lines.append(f"| feedwright cold / Hugo | {cell} | not run | | < 1× | n/a |")
        ratio = fw.peak_mb / floor.peak_mb
        lines.append(f"| peak memory, feedwright cold / lean floor | {cell} | {ratio:.2f}× | "
                     f"| ≤ {TARGET_PEAK}× | {_met(ratio <= TARGET_PEAK)} |")
    if vals:
        w3c = vals.get("medium-w3c")
        what = "validate 2 × ~1.8 MB: W3C engine's time / feedwright's"
        if w3c:
            row(what, "–", w3c, vals["medium-fw"], f"≥ {TARGET_W3C:.0f}×",
                lambda x: x >= TARGET_W3C)
        else:
            lines.append(f"| {what} | – | {w3c_note} | | ≥ {TARGET_W3C:.0f}× | n/a |")
        row(f"validate {big_mb:.0f} MB: lxml.etree.parse's time / feedwright's "
            f"(peak {vals['big-fw'].peak_mb:.0f} vs {vals['big-lxml'].peak_mb:.0f} MB)", "–",
            vals["big-lxml"], vals["big-fw"], f"≥ {TARGET_PARSE}×", lambda x: x >= TARGET_PARSE)
    if incr:
        lines += ["", "### One-entry incremental rebuild (target retired; `--incremental`)", "",
                  "| archive | limit | +1 entry rebuild | % of full build | files rewritten "
                  "| no-change rebuild | peak MB |",
                  "|---|---|---|---|---|---|---|"]
        for r in incr:
            rws = ", ".join(f"{a} of {b}" for a, b in sorted(set(r["rewritten"])))
            lines.append(f"| {r['size']:,} | {r['limit'] or 'all'} "
                         f"| {r['stat']} | {r['pct']:.0f} % | {rws} | {r['noop'].wall:.2f} s "
                         f"| {r['stat'].peak_mb:.0f} |")
    return "\n".join(lines)


def profile(size: int, limit: int) -> None:
    """cProfile one cold feedwright build in one process; top 15 by cumulative time."""
    import cProfile
    import inspect
    import pstats

    import feedwright.pipeline as fb

    site = generate.write_site(size, limit).parent
    _fresh(site / "feeds-fw")
    _fresh(site / CACHE)  # cold
    prof = cProfile.Profile()
    prof.enable()
    # one process, so cProfile sees the work a process pool would hide
    kwargs = {"jobs": 1} if "jobs" in inspect.signature(fb.build).parameters else {}
    res = fb.build(site / "config.yaml", out=site / "feeds-fw", **kwargs)
    prof.disable()
    print(f"built {len(res.documents)} documents, cold (no cache), {kwargs or 'default jobs'}")
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(15)
    stats.sort_stats("tottime").print_stats(15)  # where the time is spent itself


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        _measure_main(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000],
                    help="archive sizes (issue 16's cells: 10000 50000)")
    ap.add_argument("--limits", type=int, nargs="+", default=[20, 0], help="0 = every entry")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="1k only, repeat 1 (smoke test)")
    ap.add_argument("--w3c", metavar="PATH", default=os.environ.get("W3C_FEEDVALIDATOR"),
                    help="a checkout of w3c/feedvalidator with its venv in PATH/venv "
                         "(or $W3C_FEEDVALIDATOR); without it the W3C column is not run")
    ap.add_argument("--no-hugo", action="store_true")
    ap.add_argument("--incremental", action="store_true",
                    help="also time one-entry rebuilds (the retired +1 target)")
    ap.add_argument("--no-validate", action="store_true")
    ap.add_argument("--profile", type=int, nargs=2, metavar=("SIZE", "LIMIT"))
    ap.add_argument("--output", type=Path, default=OUT / "results.md")
    args = ap.parse_args()
    if args.profile:
        profile(*args.profile)
        return
    if args.quick:
        args.sizes, args.repeat = [1000], 1
    hugo = not args.no_hugo
    if hugo and hugo_version() is None:
        log("Hugo is not installed (`apt-get install hugo`): its column is not run")
        hugo = False
    w3c, w3c_note = w3c_engine(args.w3c)
    compile_bytecode(w3c)
    started = time.time()
    args.git_start, args.load_start = _git_state(), os.getloadavg()[0]
    startup = Stat([must(measure([*FEEDWRIGHT, "--version"]), "feedwright --version")])
    builds = []
    for size in args.sizes:
        for limit in args.limits:
            log(f"generating {size}/{limit or 'all'}")
            builds.append(bench_builds(size, limit, args.repeat, hugo))
    # the baselines' output is held to feedwright's own standard too (smallest run, main feeds)
    first = builds[0]["site"]
    files = [str(first / d / f) for d in ("feeds-feedgen", "feeds-floor")
             for f in ("rss.xml", "atom.xml")]
    r = measure([*FEEDWRIGHT, "validate", "--strict", *files])
    log(f"baselines' main feeds, feedwright validate --strict (exit {r.rc}):\n{r.stdout.strip()}")
    incr = []
    if args.incremental:
        size = 10000 if 10000 in args.sizes else max(args.sizes)
        for limit in args.limits:
            full = next(b for b in builds if b["size"] == size and b["limit"] == limit)
            log(f"incremental {size}/{limit or 'all'}")
            incr.append(bench_incremental(size, limit, min(args.repeat, 2), full))
    vals: dict[str, object] = {}
    if not args.no_validate:
        # issue 16's large feed: the main RSS of 10k/all (~79 MB) when it was
        # built, else the largest main RSS feedwright wrote
        mains = {(b["size"], b["limit"]): b["site"] / "feeds-fw" / "rss.xml" for b in builds}
        src = mains.get((10000, 0)) or max(mains.values(), key=lambda p: p.stat().st_size)
        big = OUT / "validate" / "big-rss.xml"
        big.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, big)
        if big.stat().st_size < 50e6:
            log(f"note: the large feed is only {big.stat().st_size / 1e6:.0f} MB "
                "(run with --sizes … 10000 --limits … 0 for ~79 MB)")
        vals = bench_validate(big, medium_feeds(min(args.sizes)), min(args.repeat, 2), w3c)
    text = report(builds, incr, vals, startup, args, started, w3c_note)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
