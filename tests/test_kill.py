"""Builds killed with SIGKILL mid-publish, and builds racing into one folder.

A build runs in a subprocess and kills itself at a point of its publish
chosen by a seed (``FEEDWRIGHT_CRASH_AT``, ``io.crash_point``: exact, not a
race against a timer).  After each kill the next command (a check, or a
build) must find the output folder holding the whole old set or the whole
new set, byte for byte as clean builds make them, and nothing else: no temp
file, no journal, no cache temp.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tests.helpers import NOW
from tests.helpers import entries
from tests.helpers import make_site

from feedwright import build
from feedwright.errors import StaleFeedsError
from feedwright.io import journal_path
from feedwright.io import lock_path

#: Formats and enough tags that a publish renames a dozen files or more.
EXTRA = "formats: [rss, atom, json]\n"
OLD = entries(*[(f"Post {i}", f"2026-03-{i + 1:02d}", f"t{i % 6}, t{(i + 1) % 6}")
                for i in range(12)])
#: One more entry in three old tags and a new one (a new folder), one retitled.
NEW = entries(("Newest post", "2026-03-20", "t0, t1, t2, t9")) + OLD.replace(
    "title: Post 7\n", "title: Post seven\n")
#: Seconds any one subprocess may take: no test hangs.
BOUND = 60


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, by path, hidden ones included."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def strays(site: Path) -> list[str]:
    """What a publish or a cache save may leave: temp files and the journal."""
    found = [p.relative_to(site).as_posix() for p in site.rglob("*.tmp")]
    journal = journal_path(site / "feeds")
    return found + ([journal.name] if journal.exists() else [])


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose feeds folder holds the old set, built with the cache on."""
    site = tmp_path_factory.mktemp("published")
    build(make_site(site, OLD, EXTRA), now=NOW, jobs=1)
    return site


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The old and the new set as clean builds write them (no cache, empty folder)."""
    sets = []
    for name, text in (("old", OLD), ("new", NEW)):
        site = tmp_path_factory.mktemp(name)
        config = make_site(site, text, EXTRA)
        build(config, now=NOW, cache=False, jobs=1)
        sets.append(files(site / "feeds"))
    old, new = sets
    changed = [p for p in new if old.get(p) != new[p]]
    assert len(changed) >= 12 and set(new) - set(old)  # renames to be cut, a new folder
    return old, new


def start(site: Path, *args: str, crash: str = "", tmp: Path | None = None,
          ) -> subprocess.Popen[str]:
    """``feedwright build`` of ``site`` in a subprocess (killing itself at ``crash``)."""
    env = {k: v for k, v in os.environ.items() if k != "FEEDWRIGHT_CRASH_AT"}
    if crash:
        env["FEEDWRIGHT_CRASH_AT"] = crash
    if tmp is not None:
        env["TMPDIR"] = str(tmp)
    return subprocess.Popen(
        [sys.executable, "-m", "feedwright", "build", "--config", str(site / "config.yaml"),
         *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def run(site: Path, *args: str, crash: str = "", tmp: Path | None = None,
        timeout: float = BOUND) -> subprocess.CompletedProcess[str]:
    proc = start(site, *args, crash=crash, tmp=tmp)
    out, err = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def killed_sites(published: Path, tmp_path: Path, crashes: list[str]) -> list[Path]:
    """Copies of the published site, each with a build of the new set killed
    at one of ``crashes`` (the builds run side by side: they wait on the disk)."""
    configs, procs = [], []
    for number, crash in enumerate(crashes):
        site = tmp_path / str(number)
        shutil.copytree(published, site)
        (site / "entries.yaml").write_text(NEW, encoding="utf-8")
        configs.append(site / "config.yaml")
        procs.append(start(site, "-j", "1", crash=crash))
    for proc in procs:
        _, err = proc.communicate(timeout=BOUND)
        assert proc.returncode == -signal.SIGKILL, err
    return configs


def points(seed: int, renames: int) -> list[str]:
    """Kill points of one publish, chosen by ``seed``: with the new files
    made empty while rendering (``Staged.reserve``), while staging, right
    before the first rename, after some renames, after the last."""
    rng = random.Random(seed)
    chosen = {"reserved", "stage:1", "rename:0", f"rename:{renames}"}
    chosen |= {f"stage:{rng.randint(2, renames)}" for _ in range(2)}
    chosen |= {f"rename:{rng.randint(1, renames - 1)}" for _ in range(3)}
    return sorted(chosen)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_check_after_a_kill_sees_the_whole_old_or_the_whole_new_set(
    tmp_path: Path, clean: tuple[dict[str, bytes], dict[str, bytes]], published: Path,
    seed: int,
) -> None:
    old, new = clean
    renames = sum(old.get(p) != new[p] for p in new)
    crashes = points(seed, renames)
    for crash, config in zip(crashes, killed_sites(published, tmp_path, crashes), strict=True):
        site = config.parent
        output = site / "feeds"
        assert journal_path(output).exists()  # a publish was under way
        rolled_forward = crash.startswith("rename:")
        try:
            build(config, check=True, now=NOW, jobs=1)
            verdict = "up to date"
        except StaleFeedsError:
            verdict = "stale"
        assert files(output) == (new if rolled_forward else old), crash
        assert verdict == ("up to date" if rolled_forward else "stale"), crash
        assert strays(site) == [], crash
    # and a build then publishes exactly what changed (the cache took nothing
    # a killed build left for what it wrote)
    rebuilt = build(config, now=NOW, jobs=1).changed
    assert set(rebuilt) == (set() if rolled_forward else {p for p in new if old.get(p) != new[p]})
    assert files(output) == new and strays(site) == []


def test_a_build_after_a_kill_publishes_the_new_set_and_leaves_nothing(
    tmp_path: Path, clean: tuple[dict[str, bytes], dict[str, bytes]], published: Path,
) -> None:
    _, new = clean
    crashes = ["reserved", "stage:5", "rename:7", "cache"]
    for crash, config in zip(crashes, killed_sites(published, tmp_path, crashes), strict=True):
        site = config.parent
        if crash == "cache":  # killed saving its cache, after the publish
            assert [p.name for p in (site / ".feedwright-cache").glob("*.tmp")]
        done = run(site, "-j", "1")
        assert done.returncode == 0, done.stderr
        assert files(site / "feeds") == new
        assert strays(site) == []
        if crash != "cache":
            assert "cut short" in done.stderr  # the next build says what it did
        assert run(site, "--check").returncode == 0


def test_only_our_own_leftovers_are_removed(
    tmp_path: Path, clean: tuple[dict[str, bytes], dict[str, bytes]], published: Path,
) -> None:
    """Files a person made that look like ours (another tool's temp files, a
    backup named like a staged feed) stay where they are."""
    _, new = clean
    [config] = killed_sites(published, tmp_path, ["stage:4"])
    site = config.parent
    theirs = {
        "feeds/.rss.xml.abcd1234.tmp": b"mine",
        "feeds/tags/t0/.atom.xml.fw0123456789ab.tmp.bak": b"mine",
        "feeds/tags/t0/.atom.xml.fw0123456789ab.tmp": b"mine, another token",
        "feeds/notes.tmp": b"mine",
        ".feedwright-cache/.build-abcdefgh.tmp": b"mine",
    }
    for rel, data in theirs.items():
        (site / rel).write_bytes(data)
    result = build(config, now=NOW, jobs=1)
    for rel, data in theirs.items():
        assert (site / rel).read_bytes() == data
    # the one named as feedwright named temp files before its journal is pointed out
    [notice] = [n for n in result.notices if "temp files" in n]
    assert "1 file in" in notice and ".rss.xml.abcd1234.tmp);" in notice
    mine = {p: b for p, b in files(site / "feeds").items() if f"feeds/{p}" not in theirs}
    assert mine == new
    assert {p.relative_to(site).as_posix() for p in site.rglob("*.tmp")} == {
        r for r in theirs if r.endswith(".tmp")}
    assert not journal_path(site / "feeds").exists()


@pytest.mark.parametrize("crash", ["reserved", "stage:9"])
def test_a_first_build_killed_before_renaming_leaves_no_folder(tmp_path: Path,
                                                               crash: str) -> None:
    config = make_site(tmp_path, OLD, EXTRA)
    assert run(tmp_path, "-j", "1", crash=crash).returncode == -signal.SIGKILL
    assert (tmp_path / "feeds").exists()
    with pytest.raises(StaleFeedsError):
        build(config, check=True, now=NOW, jobs=1)
    assert not (tmp_path / "feeds").exists()  # the folders it made are gone too
    assert not journal_path(tmp_path / "feeds").exists()


def test_two_builds_into_one_folder_give_one_builds_output(
    tmp_path: Path, clean: tuple[dict[str, bytes], dict[str, bytes]],
) -> None:
    """Started together, one waits for the other; the folder holds the later
    build's files exactly, and the cache of neither takes the other's files
    for its own."""
    old, new = clean
    out = tmp_path / "out"
    for trial in range(2):
        sites = []
        for name, text in (("old", OLD), ("new", NEW)):
            site = tmp_path / f"{name}{trial}"
            site.mkdir()
            make_site(site, text, EXTRA)
            sites.append(site)
        env = {k: v for k, v in os.environ.items() if k != "FEEDWRIGHT_CRASH_AT"}
        procs = [subprocess.Popen(
            [sys.executable, "-m", "feedwright", "build", "-j", "1", "--config",
             str(site / "config.yaml"), "--out", str(out)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            for site in (sites if trial % 2 else sites[::-1])]
        outcomes = [p.communicate(timeout=BOUND) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outcomes
        result = files(out)
        # The later build's files exactly; the earlier's feeds it does not make
        # (a tag it lacks) stay as orphans, reported, as ever.
        assert result == new or (
            {p: b for p, b in result.items() if p in old} == old
            and all(new[p] == b for p, b in result.items() if p not in old)), outcomes
        assert not list(out.rglob("*.tmp")) and not journal_path(out).exists()
        # Whichever finished first, each config's check and build see the truth.
        for site, expected in zip(sites, (old, new), strict=True):
            mine = {p: b for p, b in result.items() if p in expected}
            try:
                build(site / "config.yaml", out=out, check=True, now=NOW, jobs=1)
                assert mine == expected
            except StaleFeedsError:
                assert mine != expected
        last = sites[1]  # leave the new set, as the next trial expects either
        rebuilt = build(last / "config.yaml", out=out, now=NOW, jobs=1).changed
        assert set(rebuilt) == {p for p in new if result.get(p) != new[p]}
        assert files(out) == new
    assert lock_path(out).exists()


def test_killed_worker_pools_leave_nothing_in_the_temp_folder(tmp_path: Path) -> None:
    """A build killed while its workers are up takes them with it (they held
    its stderr open, and lived, forever), and multiprocessing's ``pymp-*``
    folder it leaves is removed by the next build."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    site = tmp_path / "site"
    site.mkdir()
    lines = [json.dumps({"title": f"Post {i}", "published": f"2026-01-{i + 1:02d}",
                         "slug": f"p{i}", "summary": "S.", "tags": [f"t{i % 5}"]})
             for i in range(20)]
    # Blank space after the entries: an archive large enough to start the
    # workers at once (pipeline._LARGE_ARCHIVE), at no cost to read.
    (site / "entries.jsonl").write_text("\n".join(lines) + "\n" + " " * 8_100_000 + "\n")
    make_site(site, "", "").write_text(
        (site / "config.yaml").read_text().replace("entries.yaml", "entries.jsonl"))
    # killed while the workers are up; its stderr is closed soon after
    done = run(site, "-j", "2", crash="stage:1", tmp=temp, timeout=BOUND / 3)
    assert done.returncode == -signal.SIGKILL, done.stderr
    [left] = temp.iterdir()  # a pool ran, and died with the build
    assert left.name.startswith("pymp-") and (left / "feedwright.lock").exists()
    # another program's folder, and another feedwright process's still running
    (temp / "pymp-theirs").mkdir()
    alive = temp / "pymp-alive"
    alive.mkdir()
    (alive / "feedwright.lock").touch()
    fd = os.open(alive / "feedwright.lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        done = run(site, "-j", "2", tmp=temp)
    finally:
        os.close(fd)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in temp.iterdir()) == ["pymp-alive", "pymp-theirs"]


def test_a_check_never_says_up_to_date_while_a_journal_is_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, published: Path,
) -> None:
    """Should a build be killed between the check's recovery and its own run
    (here: the recovery does nothing), the check refuses, naming the journal."""
    import feedwright.pipeline

    site = tmp_path / "site"
    shutil.copytree(published, site)
    journal = journal_path(site / "feeds")
    journal.write_text('{"feedwright": "publish", "token": "fw0123456789ab"}\n')
    monkeypatch.setattr(feedwright.pipeline, "recover", lambda output: None)
    with pytest.raises(StaleFeedsError, match="cut short while publishing") as info:
        build(site / "config.yaml", check=True, now=NOW, jobs=1)
    assert info.value.source == str(journal)
