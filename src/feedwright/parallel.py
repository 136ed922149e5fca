"""Running the build's independent pieces of work on several cores.

Rendering entries and validating chunks of them are independent, CPU-bound
and pure, so a process pool (threads would share one interpreter lock) runs
them side by side.  Small builds stay in one process: starting workers and
shipping bytes to them costs more than it saves (see benchmarks/README.md).
"""

from __future__ import annotations

import fcntl
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from typing import TYPE_CHECKING
from typing import TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future
    from concurrent.futures import ProcessPoolExecutor
    from types import FrameType

# multiprocessing, concurrent.futures, ctypes (and what only a pool's
# housekeeping uses) are imported when a pool is made: validating a few
# files never makes one, and importing them cost a small file's validation
# a tenth of its time (tests/test_startup.py).

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


#: The file that marks multiprocessing's temp folder (``pymp-*``) as a
#: feedwright process's, locked by it while it lives (``_mark_pool_folder``).
_MARK = "feedwright.lock"
_mark: int | None = None


def _mark_pool_folder() -> None:
    """Mark the temp folder multiprocessing makes for this process (``pymp-*``
    in the system temp folder, holding the forkserver's socket) as ours, and
    remove the marked folders of feedwright processes that are gone.

    multiprocessing removes its folder when the process exits, but a process
    killed (``kill -9``, out of memory) leaves it behind, one per build.  The
    mark is a file its process keeps locked (``flock``: let go by the kernel
    when the process dies, however it dies), so a later pool tells a live
    process's folder from a dead one's, and a folder without the mark (another
    program's) is never touched.  The folder keeps multiprocessing's own
    short path: a socket's path is limited to about a hundred bytes.
    """
    global _mark
    if _mark is not None:
        return
    from multiprocessing import util

    _sweep_pool_folders()
    folder = util.get_temp_dir()
    # Locked before it has its name: another process's sweep never sees it free.
    new = os.path.join(folder, f"{_MARK}.new")
    fd = os.open(new, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.rename(new, os.path.join(folder, _MARK))
    _mark = fd


def _sweep_pool_folders() -> None:
    """Remove the marked ``pymp-*`` folders (``_mark_pool_folder``) whose
    process is gone."""
    import shutil
    import tempfile

    try:
        entries = list(os.scandir(tempfile.gettempdir()))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith("pymp-") or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            fd = os.open(os.path.join(entry.path, _MARK), os.O_RDWR | os.O_CLOEXEC)
        except OSError:  # not a feedwright process's, or another user's
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # its process is alive
            continue
        finally:
            os.close(fd)
        shutil.rmtree(entry.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's: not ours to judge
        return True
    return True


def _watch_parent(parent: int) -> None:
    """In each worker: exit as soon as the process that made the pool is gone.

    A build killed outright (``kill -9``, out of memory) cannot shut its pool
    down: its workers would wait forever on a queue that every one of them
    holds open, and the forkserver for its workers; all of them would hold
    the terminal's or the CI job's output open.  A thread waits on the
    parent's pidfd (Linux), else looks every half second.
    """
    def wait() -> None:
        try:
            fd = os.pidfd_open(parent)
        except (AttributeError, OSError):  # not Linux 5.3+: look now and then
            fd = -1
        if fd >= 0:
            import select

            select.select([fd], [], [])
        else:
            while _alive(parent):
                time.sleep(0.5)
        os._exit(1)

    if not _alive(parent):
        os._exit(1)
    threading.Thread(target=wait, daemon=True, name="feedwright-parent-watch").start()


def _die_with_the_forkserver() -> None:
    """In a child of the forkserver: be killed when the forkserver dies.

    The forkserver outlives the build only while a worker does
    (``_watch_parent`` ends those); but a worker being forked when the build
    was killed waits forever for the build to send it its work, before any
    code of ours runs in it.  The kernel ends it when its parent, the
    forkserver, goes (``PR_SET_PDEATHSIG``; the forkserver forks from its one
    thread, so the signal cannot come early).
    """
    import ctypes

    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != parent:  # the forkserver died before the line above
        os._exit(1)


_PR_SET_PDEATHSIG = 1
def _callers() -> Iterator[tuple[str, str]]:
    """(function name, file name) of each frame calling this one, innermost first
    (what ``traceback.extract_stack`` says, without reading each file's lines)."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        yield frame.f_code.co_name, frame.f_code.co_filename
        frame = frame.f_back


if sys.platform == "linux" and any(
    name == "main" and filename.endswith(os.path.join("multiprocessing", "forkserver.py"))
    for name, filename in _callers()
):  # imported by the forkserver, preloading (Runner._new_pool)
    import ctypes  # noqa: F401  (here once, not in each worker forked from here)

    os.register_at_fork(after_in_child=_die_with_the_forkserver)


class Runner:
    """Maps a function over work, in a process pool when it pays off."""

    def __init__(self, jobs: int, preload: Sequence[str] = ()) -> None:
        """``preload``: the modules the workers need (those whose functions
        they run), imported once by the server process that forks them, not by each."""
        self.jobs = max(1, jobs)
        self._preload = list(preload)
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
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Workers come from a fresh server process, not forked from this one:
        # a fork would share (and on touch, copy) the whole archive in memory.
        _mark_pool_folder()
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(self._preload)
        return ProcessPoolExecutor(max_workers=self.jobs, mp_context=context,
                                   initializer=_watch_parent, initargs=(os.getpid(),))

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
