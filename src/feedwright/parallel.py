"""Running the build's independent pieces of work on several cores.

Rendering entries and validating chunks of them are independent, CPU-bound
and pure, so a process pool (threads would share one interpreter lock) runs
them side by side.  Small builds stay in one process: starting workers and
shipping bytes to them costs more than it saves (see benchmarks/README.md).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this many pieces of work, one process is faster: starting the
#: workers costs more than two cores save on a 1,000-entry archive (about
#: 10 pieces per stage; see benchmarks/README.md, "`--jobs` on 2 cores").
MIN_PARALLEL = 16


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


class Runner:
    """Maps a function over work, in a process pool when it pays off."""

    def __init__(self, jobs: int, preload: str | None = None) -> None:
        """``preload``: the module whose functions the workers will run,
        imported once by the server process that forks them, not by each."""
        self.jobs = max(1, jobs)
        self._preload = [preload] if preload else []
        self._pool: ProcessPoolExecutor | None = None
        self._starting: threading.Thread | None = None

    def start(self) -> None:
        """Start the workers now, in the background, when work is sure to come.

        Starting them takes a while (the server process imports feedwright);
        the build starts them before it reads the archive, so that time
        overlaps the reading instead of adding to it.
        """
        if self.jobs > 1 and self._pool is None and self._starting is None:
            self._starting = threading.Thread(target=self._start_workers, daemon=True)
            self._starting.start()

    @property
    def started(self) -> bool:
        """Whether the workers are up or starting (``start``, or an earlier map)."""
        return self._pool is not None or self._starting is not None

    def _start_workers(self) -> None:
        try:
            pool = self._new_pool()
            for _ in range(self.jobs):
                pool.submit(os.getpid)
        except Exception:  # noqa: BLE001 - map() starts them again and reports
            return
        self._pool = pool

    def _ready(self) -> None:
        if self._starting is not None:
            self._starting.join()
            self._starting = None

    def _new_pool(self) -> ProcessPoolExecutor:
        # Workers come from a fresh server process, not forked from this one:
        # a fork would share (and on touch, copy) the whole archive in memory.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(self._preload)
        return ProcessPoolExecutor(max_workers=self.jobs, mp_context=context)

    def map(self, fn: Callable[[T], R], items: Sequence[T] | Iterator[T],
            size: int | None = None) -> Iterator[R]:
        """``map(fn, items)``, in order; ``fn`` must be a module-level function.

        At most a few pieces per worker are in flight at once, so work made
        lazily (a generator) is never all in memory together.  ``size`` is the
        number of pieces when ``items`` is a generator.
        """
        count = len(items) if isinstance(items, Sequence) else (size or 0)
        # Workers already started cost nothing more: two pieces are worth
        # sharing; otherwise only enough work pays for starting them.
        least = 2 if self.started else MIN_PARALLEL
        if self.jobs == 1 or count < least:
            return map(fn, items)
        self._ready()
        if self._pool is None:
            self._pool = self._new_pool()
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
        self._ready()
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
