"""Running the build's independent pieces of work on several cores.

Rendering entries and validating chunks of them are independent, CPU-bound
and pure, so a process pool (threads would share one interpreter lock) runs
them side by side.  Small builds stay in one process: starting workers and
shipping bytes to them costs more than it saves (see benchmarks/README.md).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this many pieces of work, one process is faster.
MIN_PARALLEL = 8


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


class Runner:
    """Maps a function over work, in a process pool when it pays off."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self._pool: ProcessPoolExecutor | None = None

    def map(self, fn: Callable[[T], R], items: Sequence[T] | Iterator[T],
            size: int | None = None) -> Iterator[R]:
        """``map(fn, items)``, in order; ``fn`` must be a module-level function.

        At most a few pieces per worker are in flight at once, so work made
        lazily (a generator) is never all in memory together.  ``size`` is the
        number of pieces when ``items`` is a generator.
        """
        count = len(items) if isinstance(items, Sequence) else (size or 0)
        if self.jobs == 1 or count < MIN_PARALLEL:
            return map(fn, items)
        if self._pool is None:
            # Workers come from a fresh server process, not forked from this one:
            # a fork would share (and on touch, copy) the whole archive in memory.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["feedwright.build"])
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context)
        return self._bounded(self._pool, fn, iter(items))

    def _bounded(self, pool: ProcessPoolExecutor, fn: Callable[[T], R],
                 items: Iterator[T]) -> Iterator[R]:
        ahead: deque[Future[R]] = deque()
        for item in items:
            ahead.append(pool.submit(fn, item))
            if len(ahead) >= self.jobs * 2:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
