"""One build at a time per output folder (io.output_lock, pipeline.build)."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.helpers import BASIC
from tests.helpers import NOW
from tests.helpers import entries
from tests.helpers import make_site

import feedwright.io
import feedwright.pipeline
from feedwright import build
from feedwright.cli import cli
from feedwright.io import BusyError
from feedwright.io import lock_path

#: No test waits longer than this for another thread.
BOUND = 5.0


@contextmanager
def held(output: Path, kind: int = fcntl.LOCK_EX, pid: str = "") -> Iterator[Path]:
    """Hold the output folder's lock from the test, as another process would."""
    path = lock_path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
        if pid:
            os.pwrite(fd, pid.encode(), 0)
        yield path
    finally:
        os.close(fd)


def feed_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_lock_file_is_beside_the_output_folder_never_in_it(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    result = build(config, now=NOW, jobs=1)
    lock = lock_path(tmp_path / "feeds")
    assert lock == tmp_path / ".feeds.feedwright.lock" and lock.exists()
    assert lock_path(tmp_path / "x" / ".." / "feeds") == lock
    assert result.orphans == ()
    assert not any("lock" in p.name for p in (tmp_path / "feeds").rglob("*"))
    assert lock.read_bytes() == b""  # no stale pid once the build is done


def test_no_wait_exits_2_naming_the_folder_while_another_build_holds_it(
    runner: CliRunner, tmp_path: Path,
) -> None:
    config = make_site(tmp_path, BASIC)
    output = tmp_path / "feeds"
    with held(output, pid="4242\n") as lock:
        result = runner.invoke(cli, ["build", "--config", str(config), "--no-wait"])
        assert lock.exists()  # never removed while held
    assert result.exit_code == 2
    assert len(result.output.splitlines()) == 1
    assert result.output.startswith(f"feedwright: error: {lock}: another feedwright build")
    assert f"(pid 4242) is using {output}" in result.output
    assert not output.exists()  # nothing was staged


def test_checks_share_the_lock_a_build_does_not(tmp_path: Path) -> None:
    config = make_site(tmp_path, BASIC)
    build(config, now=NOW, jobs=1)
    output = tmp_path / "feeds"
    with held(output, fcntl.LOCK_SH):
        build(config, check=True, now=NOW, jobs=1, wait=False)  # readers side by side
        with pytest.raises(BusyError):
            build(config, now=NOW, jobs=1, wait=False)
    with held(output), pytest.raises(BusyError):
        build(config, check=True, now=NOW, jobs=1, wait=False)  # a check waits for a writer


def _signal(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, list[str]]:
    waiting, said = threading.Event(), []

    def on_wait(line: str) -> None:
        said.append(line)
        waiting.set()

    monkeypatch.setattr(feedwright.io, "_say_wait", on_wait)
    return waiting, said


def _thread(target: Callable[[], object]) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            target()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    return threading.Thread(target=run), errors


def test_a_second_build_waits_and_the_folder_holds_one_builds_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one = make_site(tmp_path / "one", BASIC)
    two = make_site(tmp_path / "two", entries(("Fourth post", "2026-03-04", "a")) + BASIC)
    output = tmp_path / "out"
    # What the later build writes on its own, elsewhere.
    build(two, out=tmp_path / "alone", now=NOW, jobs=1, cache=False)
    expected = feed_bytes(tmp_path / "alone")

    inside, go = threading.Event(), threading.Event()
    real = feedwright.pipeline._build

    def first(*args: object, **kwargs: object) -> object:
        inside.set()  # the first build holds the lock now
        assert go.wait(BOUND)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(feedwright.pipeline, "_build", first)
    waiting, said = _signal(monkeypatch)
    a, a_errors = _thread(lambda: build(one, out=output, now=NOW, jobs=1))
    a.start()
    assert inside.wait(BOUND)
    monkeypatch.setattr(feedwright.pipeline, "_build", real)
    b, b_errors = _thread(lambda: build(two, out=output, now=NOW, jobs=1))
    b.start()
    assert waiting.wait(BOUND)  # the second build waits for the first
    assert said == [f"waiting for another feedwright build or check (pid {os.getpid()}) "
                    f"of {output.resolve()} to finish"]
    go.set()
    a.join(BOUND)
    b.join(BOUND)
    assert not a.is_alive() and not b.is_alive()
    assert a_errors == b_errors == []
    assert feed_bytes(output) == expected  # the later build's output, byte for byte
    assert lock_path(output).exists()
