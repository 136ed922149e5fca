"""Issue 14, measured from outside as an operator meets it: kill -9, racing builds,
folder faults, mutated inputs.

    python benchmarks/robustness.py [--size 2000] [--kills 60] [--pairs 20] [--mutations 200]

Everything runs the real CLI (``python -m feedwright``) in subprocesses, with
``TMPDIR`` pointed at a private empty folder, and writes under
``benchmarks/out/robustness/`` (git-ignored).  It prints one table of
counts; every one of them but the "kill landed …" lines should be 0.

- **kills**: a site of ``--size`` entries whose tags are split in two (about
  400 tags, ~800 feed files) is published from entries A; a build of
  entries B (a third of the titles changed: nearly every file changes) is
  killed with SIGKILL at a moment drawn uniformly over the length of a full
  build.  Right after the kill: any file that is neither A's nor B's bytes
  is *torn*.  Then the next command runs, by turns ``build --check`` and
  ``build``: afterwards the folder must be exactly A's set or B's (*mixed*
  otherwise), with no temp file, journal, cache temp file or ``pymp-*``
  folder (*stray*); ``--check`` must exit 0 exactly when the folder is the
  set it builds (*check lied*), and no worker process of the killed build
  may still run (*processes left running*).  A and B swap roles each round.
- **pairs**: builds of A and of B started together into one folder: the
  folder must be one build's set exactly (*concurrent mix*); then
  ``build`` of each config in turn must rewrite every file that differs
  from its clean build (*stale-cache "unchanged"* counts those it says are
  unchanged) and ``--check`` before it must say stale when one does.
- **faults**: a read-only output folder (a read-only bind mount where one
  can be made), a full disk (a tmpfs a tenth larger than the old feeds
  where one can be mounted, else the same write error through
  ``RLIMIT_FSIZE``), a config whose ``output`` is a file: exit 2, one line
  on stderr, the old feeds untouched, nothing left.
- **mutations**: a small site's config or entries mutated at random (bytes
  flipped, lines cut or doubled, hostile values: alias bombs, deep nesting,
  huge numbers, NUL, long strings) and built: exit 0, 1 or 2 only, never
  an internal error, a hang (60 s), or an error line over 2 kB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

TIMEOUT = 60.0
CONFIG = """\
site:
  title: "Robust blog"
  base_url: https://robust.example.org/
  description: "A synthetic archive for feedwright's robustness measurements."
  language: en
  author: Bench Author
  timezone: UTC
  time_of_day: "00:00"
inputs: [{inputs}]
permalink: /posts/{{slug}}/
output: feeds
feeds_url: /feeds/
formats: [rss, atom]
limit: 20
tags:
  limit: 20
  path: tags/{{tag}}/
"""

counts: Counter[str] = Counter()


class Env:
    """The subprocess environment: a private TMPDIR, no crash seam."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.vars = {k: v for k, v in os.environ.items() if k != "FEEDWRIGHT_CRASH_AT"}
        self.vars["TMPDIR"] = str(tmp)


def feedwright(env: Env, *args: str, preexec: object = None,
               ) -> subprocess.CompletedProcess[str]:
    """Run the CLI; a hang is counted and killed."""
    cmd = [sys.executable, "-m", "feedwright", *args]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=env.vars,
                              timeout=TIMEOUT, check=False,
                              preexec_fn=preexec)  # type: ignore[arg-type]
    except subprocess.TimeoutExpired:
        counts["hangs"] += 1
        return subprocess.CompletedProcess(cmd, -1, "", "")
    judge(done.stderr)
    return done


def judge(stderr: str) -> None:
    if "internal error" in stderr or "Traceback" in stderr:
        counts["internal errors"] += 1
    if any(len(line.encode()) > 2048 for line in stderr.splitlines()):
        counts["messages over 2 kB"] += 1


def leftover_processes() -> list[int]:
    """Worker pool processes (forkserver, workers, resource tracker) of this
    Python that outlived their build; killed once counted."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and argv[0] == sys.executable.encode() and b"multiprocessing" in b" ".join(argv):
            found.append(int(entry.name))
    for pid in found:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return found


def files(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def strays(site: Path, env: Env) -> list[str]:
    """Temp files, journals and cache temps under ``site`` (and a journal beside
    it); anything in TMPDIR."""
    found = [p.relative_to(site).as_posix() for p in site.rglob("*")
             if p.name.endswith(".tmp") or p.name.endswith(".feedwright-publish")]
    if (site.parent / f".{site.name}.feedwright-publish").exists():
        found.append(f"../.{site.name}.feedwright-publish")
    return found + [f"$TMPDIR/{p.name}" for p in env.tmp.iterdir()]


# --- the site ------------------------------------------------------------------------


def write_site(root: Path, size: int, seed: int) -> None:
    """``entries-a.jsonl``, ``entries-b.jsonl`` and a config for each, same output."""
    raw = generate(size, seed)
    for i, entry in enumerate(raw):  # about 400 tags: each tag split in two
        tags = entry["tags"]
        assert isinstance(tags, list)
        entry["tags"] = [f"{t}-x" if i % 2 else t for t in tags]
    root.mkdir(parents=True, exist_ok=True)
    for name in ("a", "b"):
        with open(root / f"entries-{name}.jsonl", "w", encoding="utf-8") as out:
            for i, entry in enumerate(raw):
                if name == "b" and i % 3 == 0:
                    entry = {**entry, "title": f"{entry['title']} (revised)"}
                out.write(json.dumps(entry) + "\n")
        (root / f"config-{name}.yaml").write_text(
            CONFIG.format(inputs=f"entries-{name}.jsonl"), encoding="utf-8")


def clean_sets(root: Path, env: Env) -> dict[str, dict[str, bytes]]:
    refs = {}
    for name in ("a", "b"):
        out = root / f"clean-{name}"
        done = feedwright(env, "build", "-q", "--no-cache", "--config",
                          str(root / f"config-{name}.yaml"), "--out", str(out))
        assert done.returncode == 0, done.stderr
        refs[name] = files(out)
    return refs


# --- kills ----------------------------------------------------------------------------


def kills(root: Path, env: Env, refs: dict[str, dict[str, bytes]], n: int,
          rng: random.Random) -> None:
    site = root / "site"
    site.mkdir()
    for name in ("a", "b"):
        shutil.copy(root / f"entries-{name}.jsonl", site)
        shutil.copy(root / f"config-{name}.yaml", site)
    length = {}
    for name in ("a", "b", "a"):  # warm the cache; time a build that changes every file
        start = time.monotonic()
        done = feedwright(env, "build", "-q", "--config", str(site / f"config-{name}.yaml"))
        assert done.returncode == 0, done.stderr
        length[name] = time.monotonic() - start
    published = "a"
    for i in range(n):
        target = "b" if published == "a" else "a"
        config = str(site / f"config-{target}.yaml")
        proc = subprocess.Popen([sys.executable, "-m", "feedwright", "build", "-q",
                                 "--config", config], env=env.vars,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0, length[target]))
        proc.send_signal(signal.SIGKILL)
        try:
            _, err = proc.communicate(timeout=TIMEOUT)  # its workers hold stderr too
        except subprocess.TimeoutExpired:
            counts["hangs"] += 1
            err = ""
        if proc.returncode == 0:
            counts["kill landed after the build ended"] += 1
        else:
            judge(err)
            journal = site / ".feeds.feedwright-publish"
            counts["kill landed while publishing (journal left)" if journal.exists()
                   else "kill landed before publishing"] += 1
        now = files(site / "feeds")
        torn = [p for p, b in now.items() if not p.endswith(".tmp")
                and b not in (refs["a"].get(p), refs["b"].get(p))]
        counts["torn files"] += len(torn)
        check = i % 2 == 0
        done = feedwright(env, "build", *(["--check"] if check else ["-q"]), "--config", config)
        after = files(site / "feeds")
        whole = after in (refs["a"], refs["b"])
        counts["mixed sets after the next command"] += not whole
        left = strays(site, env)
        counts["stray files after the next command"] += len(left)
        counts["processes left running"] += len(leftover_processes())
        if left:
            print(f"kill {i}: left {left[:5]}", file=sys.stderr)
        if check:
            counts["check lied"] += (done.returncode == 0) != (after == refs[target])
            feedwright(env, "build", "-q", "--config", config)
        elif done.returncode != 0 or after != refs[target]:
            counts["builds after a kill that failed"] += 1
        published = target


# --- concurrent pairs -------------------------------------------------------------------


def pairs(root: Path, env: Env, refs: dict[str, dict[str, bytes]], n: int,
          rng: random.Random) -> None:
    out = root / "pair-out"
    sites = {}
    for name in ("a", "b"):
        site = sites[name] = root / f"pair-{name}"
        site.mkdir()
        shutil.copy(root / f"entries-{name}.jsonl", site)
        shutil.copy(root / f"config-{name}.yaml", site / "config.yaml")
    for _ in range(n):
        order = ["a", "b"] if rng.random() < 0.5 else ["b", "a"]
        procs = [subprocess.Popen(
            [sys.executable, "-m", "feedwright", "build", "-q", "--config",
             str(sites[name] / "config.yaml"), "--out", str(out)], env=env.vars,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for name in order]
        for proc in procs:
            try:
                _, err = proc.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                counts["hangs"] += 1
                continue
            judge(err)
            counts["concurrent builds that failed"] += proc.returncode != 0
        result = files(out)
        counts["concurrent mixes"] += result not in (refs["a"], refs["b"])
        counts["stray files after concurrent builds"] += len(strays(out, env))
        for name in rng.sample(["a", "b"], 2):
            config = str(sites[name] / "config.yaml")
            differ = sum(result.get(p) != b for p, b in refs[name].items())
            check = feedwright(env, "build", "--check", "--config", config, "--out", str(out))
            counts["check lied"] += (check.returncode == 0) != (differ == 0)
            done = feedwright(env, "build", "--config", config, "--out", str(out))
            wrote = int(done.stdout.split()[1]) if done.returncode == 0 else 0
            counts['stale-cache "unchanged"'] += max(0, differ - wrote)
            result = files(out)
            counts['stale-cache "unchanged"'] += result != refs[name]


# --- faults -----------------------------------------------------------------------------


def faults(root: Path, env: Env) -> list[str]:
    """Three folder faults; returns how each was made."""
    how = []
    for fault in ("read-only", "full disk", "output is a file"):
        site = root / f"fault-{fault.replace(' ', '-')}"
        site.mkdir()
        site.chmod(0o777)
        shutil.copy(root / "entries-a.jsonl", site / "entries.jsonl")
        (site / "config.yaml").write_text(CONFIG.format(inputs="entries.jsonl"))
        first = feedwright(env, "build", "-q", "--no-cache", "--config", str(site / "config.yaml"))
        assert first.returncode == 0, first.stderr
        (site / "entries.jsonl").write_text(
            (root / "entries-b.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
        before = files(site / "feeds")
        args = ["build", "--no-cache", "--config", str(site / "config.yaml")]
        preexec = None
        mount: Path | None = None
        if fault == "read-only":
            feeds = site / "feeds"
            if subprocess.run(["mount", "--bind", str(feeds), str(feeds)],
                              capture_output=True, check=False).returncode == 0:
                subprocess.run(["mount", "-o", "remount,bind,ro", str(feeds)], check=True)
                mount = feeds
                how.append("read-only: a read-only bind mount of the feeds folder")
            else:
                for p in [feeds, *feeds.rglob("*")]:
                    if p.is_dir():
                        p.chmod(0o555)
                how.append("read-only: chmod 555 (no effect for root)")
        elif fault == "full disk":
            mount = root / "small"
            mount.mkdir()
            # Room for the old feeds and a tenth more: the new set's temp files do not fit.
            room = sum(map(len, before.values())) * 11 // 10 // 1024 + 64
            if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={room}k", "tmpfs", str(mount)],
                              capture_output=True, check=False).returncode == 0:
                try:
                    shutil.copytree(site / "feeds", mount / "feeds", dirs_exist_ok=True)
                except OSError:
                    subprocess.run(["umount", str(mount)], check=False)
                    raise
                args += ["--out", str(mount / "feeds")]
                before = files(mount / "feeds")
                how.append(f"full disk: a tmpfs of {room} kB, the old feeds plus a tenth")
            else:
                mount = None
                import resource

                def preexec() -> None:
                    resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))
                how.append("full disk: RLIMIT_FSIZE 60 kB (EFBIG, as ENOSPC: no tmpfs here)")
        else:
            (site / "afile").write_text("not a folder")
            (site / "config.yaml").write_text(
                CONFIG.format(inputs="entries.jsonl").replace("output: feeds", "output: afile"))
            how.append("output is a file (the config's output: names a file)")
        try:
            done = feedwright(env, *args, preexec=preexec)
            lines = done.stderr.strip().splitlines()
            ok = done.returncode == 2 and len(lines) == 1
            feeds = mount / "feeds" if mount and fault == "full disk" else site / "feeds"
            ok = ok and files(feeds) == before and not strays(site, env)
            if fault == "full disk":
                ok = ok and not strays(feeds, env)
        finally:
            if mount:
                subprocess.run(["umount", str(mount)], check=False)
        if not ok:
            counts["folder faults not refused cleanly"] += 1
            print(f"fault {fault}: exit {done.returncode}: {done.stderr[:300]}", file=sys.stderr)
    return how


# --- mutations --------------------------------------------------------------------------

HOSTILE = [
    'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n'
    'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n',
    "[" * 3000 + "]" * 3000,
    "9" * 6000,
    "x\0y",
    "é" * 300_000,
    "{{{{",
    "- title: [1, 2]\n",
    "\udcff".encode("utf-8", "surrogatepass").decode("latin-1"),
    "published: 99999-99-99\n",
    "tags: " + ", ".join(f"t{i}" for i in range(5000)) + "\n",
]


def mutate(text: str, rng: random.Random) -> str:
    kind = rng.randrange(6)
    lines = text.splitlines(keepends=True)
    if kind == 0 and text:
        at = rng.randrange(len(text))
        return text[:at] + chr(rng.randrange(1, 0x2FF)) + text[at + 1:]
    if kind == 1 and lines:
        del lines[rng.randrange(len(lines))]
    elif kind == 2 and lines:
        at = rng.randrange(len(lines))
        lines.insert(at, lines[at])
    elif kind == 3:
        return text[: rng.randrange(len(text) + 1)]
    else:  # a hostile value in place of a value
        snippet = rng.choice(HOSTILE)
        candidates = [i for i, line in enumerate(lines) if ": " in line]
        if candidates:
            i = rng.choice(candidates)
            key = lines[i].split(": ", 1)[0]
            if "\n" in snippet.strip():
                lines[i] = f"{key}:\n" + "".join(
                    f"{' ' * (len(key) - len(key.lstrip()) + 2)}{s}\n"
                    for s in snippet.strip().splitlines())
            else:
                lines[i] = f"{key}: {json.dumps(snippet)}\n"
    return "".join(lines)


SMALL_ENTRIES = "".join(
    f"- title: Post {i}\n  published: 2026-03-{i + 1:02d}\n  slug: post-{i}\n"
    f"  summary: Summary {i}.\n  tags: [t{i % 3}, t{(i + 1) % 4}]\n"
    f"  url: https://robust.example.org/posts/post-{i}/\n" for i in range(12))


def mutations(root: Path, env: Env, n: int, rng: random.Random) -> None:
    config = CONFIG.format(inputs="entries.yaml")
    jobs = []
    for i in range(n):
        site = root / f"mut-{i}"
        site.mkdir()
        which = rng.random() < 0.4
        (site / "config.yaml").write_text(mutate(config, rng) if which else config,
                                          encoding="utf-8", errors="surrogatepass")
        (site / "entries.yaml").write_text(SMALL_ENTRIES if which else mutate(SMALL_ENTRIES, rng),
                                           encoding="utf-8", errors="surrogatepass")
        jobs.append(site)

    def one(site: Path) -> int:
        done = feedwright(env, "build", "-q", "--config", str(site / "config.yaml"))
        return done.returncode

    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(one, jobs))
    counts["mutations: odd exit codes"] += sum(c not in (0, 1, 2, -1) for c in codes)
    for code, number in sorted(Counter(codes).items()):
        counts[f"mutations exiting {code}"] = number


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=2000)
    ap.add_argument("--kills", type=int, default=60)
    ap.add_argument("--pairs", type=int, default=20)
    ap.add_argument("--mutations", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=HERE / "out" / "robustness")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    root = Path(tempfile.mkdtemp(dir=args.out))
    tmp = root / "tmpdir"
    tmp.mkdir()
    env = Env(tmp)
    started = time.monotonic()
    write_site(root, args.size, args.seed)
    refs = clean_sets(root, env)
    size = sum(map(len, refs["b"].values()))
    print(f"site: {args.size} entries, {len(refs['b'])} feed files, {size / 1e6:.1f} MB; "
          f"{sum(refs['a'].get(p) != b for p, b in refs['b'].items())} differ between A and B")
    kills(root, env, refs, args.kills, rng)
    pairs(root, env, refs, args.pairs, rng)
    how = faults(root, env)
    mutations(root, env, args.mutations, rng)
    keys = ["torn files", "stray files after the next command", "mixed sets after the next command",
            "check lied", "builds after a kill that failed", "concurrent mixes",
            "concurrent builds that failed", "stray files after concurrent builds",
            'stale-cache "unchanged"', "folder faults not refused cleanly", "hangs",
            "internal errors", "messages over 2 kB", "mutations: odd exit codes",
            "processes left running"]
    print(f"\n| measure ({args.kills} kills, {args.pairs} pairs, 3 faults, "
          f"{args.mutations} mutations) | count |\n|---|---|")
    for key in keys:
        print(f"| {key} | {counts[key]} |")
    for key in sorted(set(counts) - set(keys)):
        print(f"| ({key}) | {counts[key]} |")
    print("\nfaults made as: " + "; ".join(how))
    print(f"took {time.monotonic() - started:.0f} s")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
