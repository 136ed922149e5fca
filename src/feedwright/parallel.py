"""Running the build's independent pieces of work on several cores.

Rendering entries and validating chunks of them are independent, CPU-bound
and pure, so a process pool (threads would share one interpreter lock) runs
them side by side.  Small builds stay in one process: starting workers and
shipping bytes to them costs more than it saves (see benchmarks/README.md).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
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

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``map(fn, items)``, in order; ``fn`` must be a module-level function."""
        work = list(items)
        if self.jobs == 1 or len(work) < MIN_PARALLEL:
            return map(fn, work)
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs)
        return self._pool.map(fn, work, chunksize=max(1, len(work) // (self.jobs * 4)))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
