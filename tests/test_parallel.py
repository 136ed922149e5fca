"""--jobs: the same bytes whether one process or several do the work."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.helpers import BASIC
from tests.helpers import NOW
from tests.helpers import entries
from tests.helpers import make_site
from tests.helpers import snapshot

import feedwright.gate as gate_module
import feedwright.parallel as parallel
import feedwright.pipeline as build_module
from feedwright import InvalidFeedError
from feedwright import build
from feedwright.parallel import Runner


def square(n: int) -> int:
    return n * n


def test_runner_maps_in_order_in_a_pool() -> None:
    with Runner(2) as runner:
        assert list(runner.map(square, range(50))) == [n * n for n in range(50)]
        assert runner._pool is not None  # enough work: a pool was used


def test_runner_keeps_small_work_in_process() -> None:
    with Runner(2) as runner:
        assert list(runner.map(square, range(3))) == [0, 1, 4]
        assert runner._pool is None


def test_started_runner_has_workers_before_any_work() -> None:
    with Runner(2) as runner:
        runner.start()
        runner._ready()
        assert runner._pool is not None and runner._pool._processes  # workers are up
        assert list(runner.map(square, range(20))) == [n * n for n in range(20)]


def worker_pid(_: int) -> int:
    return os.getpid()


def test_started_runner_shares_even_two_pieces() -> None:
    with Runner(2) as runner:
        assert set(runner.map(worker_pid, [0, 1])) == {os.getpid()}  # not worth a pool
        runner.start()
        assert os.getpid() not in set(runner.map(worker_pid, [0, 1]))
        assert set(runner.map(worker_pid, [0])) == {os.getpid()}  # one piece: no trip


def test_start_is_nothing_with_one_job() -> None:
    with Runner(1) as runner:
        runner.start()
        assert runner._starting is None and runner._pool is None
        assert list(runner.map(square, range(20)))[-1] == 361


def test_started_runner_closes_unused() -> None:
    runner = Runner(2)
    runner.start()
    runner.close()
    assert runner._pool is None and runner._starting is None


MANY = "".join(
    entries((f"Post {n}", f"2026-02-{n:02d}", "a, b" if n % 2 else "a"))
    for n in range(1, 21)
)


@pytest.fixture
def tiny_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every entry its own piece of work, so a small site uses the pool."""
    monkeypatch.setattr(gate_module, "BATCH", 1)
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 2)


@pytest.mark.usefixtures("tiny_batches")
def test_parallel_build_writes_the_same_bytes(tmp_path: Path) -> None:
    config = make_site(tmp_path, MANY)
    build(config, out=tmp_path / "one", jobs=1, cache=False, now=NOW)
    build(config, out=tmp_path / "two", jobs=2, cache=False, now=NOW)
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert one.keys() == two.keys() and len(one) == 9  # 6 feeds, 3 files beside them
    assert all(one[k][0] == two[k][0] for k in one)


@pytest.mark.usefixtures("tiny_batches")
def test_parallel_gate_still_refuses(tmp_path: Path) -> None:
    config = make_site(tmp_path, MANY + BASIC.replace("2026-03-03", "2027-03-03"),
                       "future: error\n")
    with pytest.raises(InvalidFeedError, match="date-in-future") as info:
        build(config, jobs=2, cache=False, now=NOW)
    assert f"entry at {tmp_path / 'entries.yaml'}" in str(info.value)
    assert not (tmp_path / "feeds").exists()


def test_a_large_archive_starts_the_workers_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    real_start = Runner.start

    def start(self: Runner) -> None:
        started.append(self.jobs)
        real_start(self)

    monkeypatch.setattr(Runner, "start", start)
    config = make_site(tmp_path, MANY)
    build(config, out=tmp_path / "small", jobs=2, cache=False, now=NOW)
    assert started == []  # a few kB: not worth a pool
    monkeypatch.setattr(build_module, "_LARGE_ARCHIVE", 1)
    build(config, out=tmp_path / "large", jobs=2, cache=False, now=NOW)
    assert started == [2]
    assert snapshot(tmp_path / "small").keys() == snapshot(tmp_path / "large").keys()
