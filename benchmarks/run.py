"""feedwright's benchmark: "Fast at any archive size".  See benchmarks/README.md.

    python benchmarks/run.py                      # default: --sizes 1000 10000 --repeat 3
    python benchmarks/run.py --quick              # smoke test: 1k only, repeat 1
    python benchmarks/run.py --sizes 1000 10000 50000 --repeat 5
    python benchmarks/run.py --profile 10000 0    # cProfile of one build (top 15 cumulative)

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

def _fresh(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def build_cmds(site: Path) -> dict[str, list[str]]:
    cfg = str(site / "config.yaml")
    return {
        "a": [*FEEDWRIGHT, "build", "--config", cfg, "--out", str(site / "feeds-a"), "--quiet"],
        "a+": [PY, BASELINES, "feedwright-nocap", "--config", cfg, "--out", str(site / "feeds-a"),
               "--quiet"],
        "b": [PY, BASELINES, "feedgen", "--config", cfg, "--out", str(site / "feeds-b")],
        "c": [PY, BASELINES, "lxml", "--config", cfg, "--out", str(site / "feeds-c")],
    }


def bench_builds(size: int, limit: int, repeat: int) -> dict[str, object]:
    site = generate.write_site(size, limit).parent
    cmds = build_cmds(site)
    dirs = {
        "a": site / "feeds-a", "a+": site / "feeds-a", "b": site / "feeds-b", "c": site / "feeds-c"
    }
    runs: dict[str, list[Run]] = {"a": [], "a+": [], "aw": [], "b": [], "c": []}
    refused: Run | None = None
    for i in range(repeat):
        for key in ("a", "b", "c"):
            if key == "a" and refused is not None:
                key = "a+"
            _fresh(dirs[key])
            _fresh(site / CACHE)  # cold: feedwright's cache is emptied too
            r = measure(cmds[key])
            if key == "a" and r.rc != 0:
                refused = r
                log(f"{size}/{limit or 'all'}: feedwright build REFUSED (exit {r.rc}) after "
                    f"{r.wall:.1f}s:\n{r.stderr.strip()}")
                log("  measuring (a+) = the same build with the gate's 50 MiB cap lifted")
                _fresh(dirs["a+"])
                r, key = must(measure(cmds["a+"]), "a+ (feedwright, cap lifted)"), "a+"
            must(r, f"{key} {size}/{limit}")
            runs[key].append(r)
            if key in ("a", "a+"):
                # warm: the same full build again into an empty output dir, cache kept
                _fresh(dirs[key])
                runs["aw"].append(must(measure(cmds[key]), f"{key} warm {size}/{limit}"))
        log(f"{size}/{limit or 'all'} run {i + 1}/{repeat}: " + ", ".join(
            f"{k}={v[-1].wall:.2f}s" for k, v in runs.items() if v))
    inv = {k: inventory(dirs[k]) for k in ("a", "b", "c")}
    check_same("feedwright", inv["a"], "feedgen (b)", inv["b"])
    check_same("feedwright", inv["a"], "lxml (c)", inv["c"])
    files = sum(1 for k in inv["a"] if not k.endswith("#shape"))
    items = sum(len(v) for k, v in inv["a"].items() if not k.endswith("#shape"))
    mb = sum(p.stat().st_size for p in dirs["a"].rglob("*.xml")) / 1e6
    a_key = "a+" if refused else "a"
    return {
        "size": size, "limit": limit, "files": files, "items": items, "mb": mb,
        "a": Stat(runs[a_key]), "aw": Stat(runs["aw"]), "b": Stat(runs["b"]), "c": Stat(runs["c"]),
        "refused": refused, "site": site,
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
    key = "a+" if full["refused"] else "a"
    cmd = [c for c in build_cmds(site)[key] if c != "--quiet"]
    # start from the full build's output and cache (same archive, same config);
    # one untimed rebuild makes sure the cache is warm for this folder
    _fresh(site / "feeds-a")
    _fresh(site / CACHE)
    shutil.copytree(full["site"] / "feeds-a", site / "feeds-a")
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
        m = re.search(r"wrote (\d+) of (\d+) feed files", r.stdout)
        rewritten.append((int(m.group(1)), int(m.group(2))) if m else (-1, -1))
        runs.append(r)
    stat = Stat(runs)
    return {"size": size, "limit": limit, "stat": stat, "key": key,
            "pct": 100 * stat.wall / full["a"].wall, "rewritten": rewritten, "tags": tags,
            "noop": noop}


# --------------------------------------------------------------------------- validation

def small_feeds(size: int, n_files: int = 1000, per_feed: int = 10) -> list[Path]:
    """n_files small feeds (per_feed entries each, RSS and Atom) rendered by feedwright."""
    from feedwright.config import load_config
    from feedwright.model import Feed
    from feedwright.model import FeedSet
    from feedwright.model import Output
    from feedwright.readers import read_entries
    from feedwright.render import render

    folder = OUT / "validate" / f"small-{size}"
    paths = sorted(folder.glob("*.xml"))
    if len(paths) == n_files:
        return paths
    _fresh(folder)
    folder.mkdir(parents=True)
    config = load_config(generate.write_site(size, 20))
    entries = sorted(read_entries(config), key=lambda e: e.published, reverse=True)
    site = config.site
    feeds = []
    for i in range(n_files // 2):
        chunk = tuple(entries[(i * per_feed) % len(entries):][:per_feed])
        outs = tuple(Output(fmt, f"{i:04d}-{fmt}.xml", f"{config.feeds_url}small/{i:04d}-{fmt}.xml")
                     for fmt in ("rss", "atom"))
        feeds.append(Feed(f"f{i}", f"{site.title} #{i}", site.description, site.base_url,
                          site.language, site.author, chunk, outs))
    for doc in render(FeedSet(tuple(feeds))):
        (folder / doc.output.path).write_bytes(doc.data)
    return sorted(folder.glob("*.xml"))


def bench_validate(big: Path, small: list[Path], repeat: int) -> list[dict[str, object]]:
    rows = []
    for label, paths in ((f"one large RSS feed ({big.stat().st_size / 1e6:.0f} MB)", [big]),
                         (f"{len(small)} small feeds", small)):
        mb = sum(p.stat().st_size for p in paths) / 1e6
        args = [str(p) for p in paths]
        tools = {
            "feedwright validate": [*FEEDWRIGHT, "validate", "--max-bytes", "200000000",
                                    "--format", "json", *args],
            "lxml.etree.parse (floor)": [PY, BASELINES, "parse-lxml", *args],
            "feedparser.parse (a reader)": [PY, BASELINES, "parse-feedparser", *args],
        }
        for tool, cmd in tools.items():
            runs = []
            for _ in range(repeat):
                r = measure(cmd)
                if tool.startswith("feedwright"):
                    try:
                        reports = json.loads(r.stdout)
                    except ValueError:
                        sys.exit(f"FAILED: feedwright validate printed no JSON (exit {r.rc}):\n"
                                 f"{r.stderr[-2000:]}")
                    bad = [x for x in reports if not x["valid"]]
                    if bad or r.rc != 0:
                        log(f"NOTE feedwright validate: {len(bad)} of {len(reports)} invalid, "
                            f"exit {r.rc}: {json.dumps(bad[:2])[:1500]}")
                else:
                    must(r, tool)
                runs.append(r)
            s = Stat(runs)
            rows.append({"input": label, "tool": tool, "stat": s, "mb": mb, "n": len(paths),
                         "rc": runs[-1].rc})
            log(f"validate {label}: {tool} {s.wall:.2f}s")
    return rows


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


def report(builds, incr, vals, startup, args, started) -> str:
    lines = [
        f"Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}; "
        f"`{' '.join(['python', 'benchmarks/run.py', *sys.argv[1:]])}` "
        f"(median of {args.repeat}; took {(time.time() - started) / 60:.1f} min). "
        f"Interpreter + import startup of `feedwright --version`: {startup.wall:.2f} s. "
        f"feedwright at {args.git_start}"
        + (f"; src/ CHANGED during the run, now {_git_state()}"
           if _git_state() != args.git_start else "")
        + f". Load average at start {args.load_start:.2f} ({os.cpu_count()} cores: "
        "other work on the machine inflates every column).",
        "",
        "### Full build (empty output directory)",
        "",
        "| archive | limit | files | items | MB written | (a) feedwright build, cold "
        "| (b) feedgen per feed "
        "| (c) lxml floor | a/b | a/c | CPU s a / b / c | peak MB a / b / c | (a) warm cache "
        "| peak MB warm |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in builds:
        mark = " †" if r["refused"] else ""
        lines.append(
            f"| {r['size']:,} | {r['limit'] or 'all'} | {r['files']} | {r['items']:,} "
            f"| {r['mb']:.0f} "
            f"| {r['a']}{mark} | {r['b']} | {r['c']} | {r['a'].wall / r['b'].wall:.2f} "
            f"| {r['a'].wall / r['c'].wall:.2f} "
            f"| {r['a'].cpu:.1f} / {r['b'].cpu:.1f} / {r['c'].cpu:.1f} "
            f"| {r['a'].peak_mb:.0f} / {r['b'].peak_mb:.0f} / {r['c'].peak_mb:.0f} "
            f"| {r['aw']} | {r['aw'].peak_mb:.0f} |")
    refused = [r for r in builds if r["refused"]]
    if refused:
        lines.append("")
        for r in refused:
            msg = " ".join(r["refused"].stderr.split())[:600]
            lines.append(
                f"† `feedwright build` REFUSED {r['size']:,}/{r['limit'] or 'all'} (exit "
                f"{r['refused'].rc} after {r['refused'].wall:.1f} s, peak "
                f"{r['refused'].peak_mb:.0f} MB): `{msg}`. The (a) column is the same build with "
                "only the gate's 50 MiB per-document cap lifted (`baselines.py feedwright-nocap`).")
    if incr:
        lines += ["", "### One-entry incremental rebuild", "",
                  "| archive | limit | +1 entry rebuild | % of full build | files rewritten "
                  "| no-change rebuild | peak MB |",
                  "|---|---|---|---|---|---|---|"]
        for r in incr:
            rw = sorted(set(r["rewritten"]))
            rws = ", ".join(f"{a} of {b}" for a, b in rw)
            dagger = " †" if r["key"] == "a+" else ""
            lines.append(f"| {r['size']:,} | {r['limit'] or 'all'}{dagger} "
                         f"| {r['stat']} | {r['pct']:.0f} % | {rws} | {r['noop'].wall:.2f} s "
                         f"| {r['stat'].peak_mb:.0f} |")
    if vals:
        lines += ["", "### Validation speed", "",
                  "| input | tool | wall | CPU s | MB/s | feeds/s | peak MB | exit |",
                  "|---|---|---|---|---|---|---|---|"]
        for r in vals:
            s = r["stat"]
            lines.append(f"| {r['input']} | {r['tool']} | {s} | {s.cpu:.1f} "
                         f"| {r['mb'] / s.wall:.1f} | {r['n'] / s.wall:.1f} "
                         f"| {s.peak_mb:.0f} | {r['rc']} |")
    return "\n".join(lines)


def profile(size: int, limit: int) -> None:
    """cProfile one feedwright build (cap lifted when needed); top 15 by cumulative time."""
    import cProfile
    import functools
    import inspect
    import pstats

    site = generate.write_site(size, limit).parent
    import feedwright.pipeline as fb
    fb.validate = functools.partial(fb.validate, max_bytes=2**40)
    _fresh(site / "feeds-a")
    _fresh(site / CACHE)  # cold
    prof = cProfile.Profile()
    prof.enable()
    # one process, so cProfile sees the work a process pool would hide
    kwargs = {"jobs": 1} if "jobs" in inspect.signature(fb.build).parameters else {}
    res = fb.build(site / "config.yaml", out=site / "feeds-a", **kwargs)
    prof.disable()
    print(f"built {len(res.documents)} documents, cold (no cache), {kwargs or 'default jobs'}")
    pstats.Stats(prof).sort_stats("cumulative").print_stats(15)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        _measure_main(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--limits", type=int, nargs="+", default=[20, 0], help="0 = every entry")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="1k only, repeat 1 (smoke test)")
    ap.add_argument("--no-incremental", action="store_true")
    ap.add_argument("--no-validate", action="store_true")
    ap.add_argument("--profile", type=int, nargs=2, metavar=("SIZE", "LIMIT"))
    ap.add_argument("--output", type=Path, default=OUT / "results.md")
    args = ap.parse_args()
    if args.profile:
        profile(*args.profile)
        return
    if args.quick:
        args.sizes, args.repeat = [1000], 1
    started = time.time()
    args.git_start, args.load_start = _git_state(), os.getloadavg()[0]
    startup = Stat([must(measure([*FEEDWRIGHT, "--version"]), "feedwright --version")])
    builds = []
    for size in args.sizes:
        for limit in args.limits:
            log(f"generating {size}/{limit or 'all'}")
            builds.append(bench_builds(size, limit, args.repeat))
    # the baselines' output is held to feedwright's own standard too (smallest run, main feeds)
    first = builds[0]["site"]
    files = [str(first / d / f) for d in ("feeds-b", "feeds-c") for f in ("rss.xml", "atom.xml")]
    r = measure([*FEEDWRIGHT, "validate", "--strict", *files])
    log(f"baselines' main feeds, feedwright validate --strict (exit {r.rc}):\n{r.stdout.strip()}")
    incr = []
    if not args.no_incremental:
        size = 10000 if 10000 in args.sizes else max(args.sizes)
        for limit in args.limits:
            full = next(b for b in builds if b["size"] == size and b["limit"] == limit)
            log(f"incremental {size}/{limit or 'all'}")
            incr.append(bench_incremental(size, limit, min(args.repeat, 2), full))
    vals = []
    if not args.no_validate:
        # the largest main RSS feedwright wrote (10k/all: ~78 MB)
        src = max(
            (b["site"] / "feeds-a" / "rss.xml" for b in builds), key=lambda p: p.stat().st_size
        )
        big = OUT / "validate" / "big-rss.xml"
        big.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, big)
        if big.stat().st_size < 50e6:
            log(f"note: the large feed is only {big.stat().st_size / 1e6:.0f} MB "
                "(run with --sizes … 10000 for >= 50 MB)")
        vals = bench_validate(big, small_feeds(max(args.sizes)), min(args.repeat, 2))
    text = report(builds, incr, vals, startup, args, started)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
