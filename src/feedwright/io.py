"""Writing files without ever leaving a half-written one behind.

Each file is written to a temporary file in its own directory and renamed
over the target (atomic on POSIX); files whose bytes did not change are not
touched at all, so their mtime stays and CDNs and rsync see no change.
"""

from __future__ import annotations

import fcntl
import os
import sys
import tempfile
from collections import deque
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from feedwright.errors import FeedwrightError
from feedwright.errors import WriteError

#: A file's bytes, whole or as chunks that follow each other: a large feed is
#: compared and written chunk by chunk, never joined into one more copy of it.
Content = bytes | Sequence[bytes]


def _chunks(content: Content) -> Sequence[bytes]:
    return (content,) if isinstance(content, bytes) else content


#: What tells a file from another at its path: (size, mtime in ns, inode).
Identity = tuple[int, int, int]


def holds(path: Path, content: Content) -> bool:
    """Whether the file at ``path`` holds exactly ``content`` (False when it does
    not exist); read chunk by chunk, and not at all when the sizes differ."""
    return _held(path, content) is not None


def _held(path: Path, content: Content) -> Identity | None:
    """The identity of the file at ``path`` when it holds exactly ``content``,
    taken from the descriptor it was read through (``holds``)."""
    chunks = _chunks(content)
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            if st.st_size != sum(map(len, chunks)):
                return None
            if not all(handle.read(len(chunk)) == chunk for chunk in chunks):
                return None
            return (st.st_size, st.st_mtime_ns, st.st_ino)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteError(f"cannot read: {exc.strerror}", str(path)) from None


#: Chunks per writev call: well below IOV_MAX (1,024 on Linux and macOS).
_IOV = 512

#: Staged files kept open until they are synced: their writeback was started
#: when they were written, so syncing the oldest rarely waits; bounded, so a
#: site with thousands of feeds does not run out of file descriptors.
_OPEN = 64


def _write_chunks(fd: int, chunks: Sequence[bytes]) -> None:
    """Write ``chunks`` one after another, hundreds per system call (a feed is
    thousands of fragments), not one call each."""
    for start in range(0, len(chunks), _IOV):
        group = chunks[start : start + _IOV]
        done = os.writev(fd, group)
        if done < sum(map(len, group)):  # a short write (rare on files)
            _write_fully(fd, memoryview(b"".join(group))[done:])


def _write_fully(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _stage(path: Path, content: Content) -> tuple[str, int, Identity]:
    """Write ``content`` to a temp file beside ``path`` (its folder exists) and
    start its writeback; return the temp file's name, its open descriptor, to
    be synced (``_sync``) before it is put in place, and its identity.

    The identity is taken from the descriptor, the file this process wrote,
    not from the path later: a rename keeps inode, size and mtime, and a
    file another process puts at the path after ours must not be taken for
    ours (``pipeline._records``).
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        _write_chunks(fd, _chunks(content))
        os.fchmod(fd, 0o644)
        if hasattr(os, "posix_fadvise"):  # the disk starts on it now, not at fsync
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        st = os.fstat(fd)  # after the last write: fsync and rename keep the mtime
    except BaseException:
        os.close(fd)
        _discard([tmp])
        raise
    return tmp, fd, (st.st_size, st.st_mtime_ns, st.st_ino)


def _sync(fd: int) -> None:
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _rename(tmp: str, path: Path) -> None:
    """Put a staged file in place (a seam for tests: what if another process
    writes the path right after?)."""
    os.replace(tmp, path)


def _discard(temps: list[str]) -> None:
    for tmp in temps:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file and rename.

    Raises:
        WriteError: The file cannot be written; the old file is kept.
    """
    write_all({path: data})


class Staged:
    """Files written in full beside their targets, to be put in place together
    (``commit``) or thrown away (``discard``) without a trace, folders made for
    them included.  Every file is on disk (synced) before any is put in place."""

    def __init__(self) -> None:
        self._temps: list[str] = []
        self._targets: list[Path] = []
        self._identities: list[Identity] = []
        #: Files left in place because they already hold their bytes, and
        #: their identity as read (``stage_changed``); reported by ``commit``.
        self.kept: dict[Path, Identity] = {}
        self._folders: list[Path] = []  # made by this staging, outermost first
        self._unsynced: deque[tuple[int, Path]] = deque()

    def add(self, path: Path, content: Content) -> None:
        """Write ``content`` to a temp file beside ``path``.

        Raises:
            WriteError: It could not be written; everything staged so far is discarded.
        """
        try:
            new, folder = [], path.parent
            while not folder.exists():
                new.append(folder)
                folder = folder.parent
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.extend(reversed(new))
            tmp, fd, identity = _stage(path, content)
            self._temps.append(tmp)
            self._targets.append(path)
            self._identities.append(identity)
            self._unsynced.append((fd, path))
        except OSError as exc:
            self._fail(path, exc)
        while len(self._unsynced) > _OPEN:
            self._sync_oldest()

    def _sync_oldest(self) -> None:
        fd, path = self._unsynced.popleft()
        try:
            _sync(fd)
        except OSError as exc:
            self._fail(path, exc)

    def _fail(self, path: Path, exc: OSError) -> NoReturn:
        self.discard()
        raise WriteError(f"cannot write: {exc.strerror or exc}", str(path)) from None

    def sync(self) -> None:
        """Wait until every staged file is on disk.

        Raises:
            WriteError: One could not be written; everything staged is discarded.
        """
        while self._unsynced:
            self._sync_oldest()

    def commit(self) -> dict[Path, Identity]:
        """Rename every staged file over its target (synced first).

        Returns:
            Each target's identity as this staging wrote it (from the temp
            file's own descriptor), and each ``kept`` file's as it was read:
            what the file at the path is only as long as no one else
            replaced or touched it since.
        """
        self.sync()
        for tmp, path in zip(self._temps, self._targets, strict=True):
            _rename(tmp, path)
        written = {**self.kept, **dict(zip(self._targets, self._identities, strict=True))}
        self.kept = {}
        self._temps, self._targets, self._identities, self._folders = [], [], [], []
        return written

    def discard(self) -> None:
        """Remove the temp files, and the folders made for them if now empty."""
        while self._unsynced:
            try:
                os.close(self._unsynced.popleft()[0])
            except OSError:
                pass
        _discard(self._temps)
        for folder in reversed(self._folders):
            try:
                folder.rmdir()
            except OSError:
                pass
        self._temps, self._targets, self._identities, self._folders = [], [], [], []


def write_all(files: Mapping[Path, bytes] | Iterable[tuple[Path, bytes]]) -> None:
    """Write several files all-or-nothing, as far as the file system allows.

    Every file is first written in full to a temp file beside its target;
    only when all of them are staged are they renamed into place, so a full
    disk or a permission error half-way changes none of the targets.

    Raises:
        WriteError: Staging failed; no target was changed and no temp file is left.
    """
    staged = Staged()
    for path, data in files.items() if isinstance(files, Mapping) else files:
        staged.add(path, data)
    staged.commit()


def changed_files(root: Path, documents: Mapping[str, Content]) -> list[str]:
    """Relative paths under ``root`` whose bytes on disk differ from ``documents``."""
    return compare(root, documents)[0]


def compare(root: Path, documents: Mapping[str, Content]) -> tuple[list[str], dict[Path, Identity]]:
    """The relative paths under ``root`` whose bytes on disk differ from
    ``documents``, and the identity of each file that holds its document's
    bytes, as it was read (not looked up again later: it may be replaced since)."""
    changed, same = [], {}
    for rel, content in documents.items():
        identity = _held(root / rel, content)
        if identity is None:
            changed.append(rel)
        else:
            same[root / rel] = identity
    return changed, same


def stage_changed(root: Path, documents: Mapping[str, Content]) -> tuple[list[str], Staged]:
    """Stage every document whose bytes differ from what is on disk.

    Returns:
        The relative paths staged, in the given order, and the staging to
        commit or discard.

    Raises:
        WriteError: A file could not be staged; nothing is left behind.
    """
    changed, same = compare(root, documents)
    staged = Staged()
    staged.kept = same
    for rel in changed:
        staged.add(root / rel, documents[rel])
    staged.sync()  # the wait for the disk is the stager's, not the committer's
    return changed, staged


def write_changed(root: Path, documents: Mapping[str, Content]) -> list[str]:
    """Write every document whose bytes differ from what is on disk, all-or-nothing.

    Args:
        root: The output directory.
        documents: Relative POSIX path → bytes (or chunks of them).

    Returns:
        The relative paths that were (re)written, in the given order.
    """
    changed, staged = stage_changed(root, documents)
    staged.commit()
    return changed


class BusyError(FeedwrightError):
    """Another build holds the output folder's lock and the caller would not
    wait (``build --no-wait``): could not run, exit 2."""


def lock_path(output: Path) -> Path:
    """The lock file of the output folder ``output``: ``.<name>.feedwright.lock``
    beside it, in its parent folder.

    Beside the folder, not in it: the output folder is what gets published
    (rsync, a CDN's upload), so a file in it would be deployed with the
    feeds, and a folder that does not exist yet (a first build) could not
    hold it without being made before the build knows it will write
    anything.  Not in the cache folder: the cache belongs to a config (and
    can be turned off), the lock to the folder written, whoever writes it.
    The path is resolved, so ``out/`` and ``./x/../out`` share one lock.
    """
    output = output.resolve()
    return output.parent / f".{output.name or 'root'}.feedwright.lock"


def _say_wait(line: str) -> None:
    print(f"feedwright: {line}", file=sys.stderr, flush=True)


@contextmanager
def output_lock(
    output: Path, *, shared: bool = False, wait: bool = True,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[Path]:
    """Hold the lock of the output folder ``output`` for the ``with`` block.

    A build takes it exclusively, a check (``shared``) shared: checks do not
    block each other, only a build does, and a build waits for checks.
    Waiting, ``on_wait`` (default: a line on stderr) is told once, with the
    holder's pid when a build holds it (the exclusive holder writes it in
    the file).  ``fcntl.flock`` is let
    go by the kernel when its holder dies, so a crashed build never leaves
    the folder locked, and the file is never removed (removing it while
    another process waits on it would let a third lock a new file).

    Raises:
        BusyError: ``wait`` is False and another build holds the lock.
        WriteError: The lock file cannot be made (its folder is not writable);
            named after ``output``.
    """
    path = lock_path(output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise WriteError(
            f"cannot make its lock file {path}: {exc.strerror or exc}; the folder that "
            "holds the output folder must be a writable folder", str(output)) from None
    try:
        kind = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        try:
            fcntl.flock(fd, kind | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise BusyError(
                    f"another feedwright build or check{holder} is using {output}; run again "
                    "when it is done, or without --no-wait to queue behind it",
                    str(path)) from None
            (on_wait or _say_wait)(f"waiting for another feedwright build or check{holder} "
                    f"of {output} to finish")
            fcntl.flock(fd, kind)
        if not shared:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield path
        finally:
            if not shared:  # no stale pid for the next waiter to name
                os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # lets the lock go


def _holder(fd: int) -> str:
    """`` (pid N)`` when the lock file names its holder, else nothing."""
    try:
        pid = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""
