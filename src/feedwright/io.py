"""Writing files without ever leaving a half-written one behind.

Each file is written to a temporary file in its own directory and renamed
over the target (atomic on POSIX); files whose bytes did not change are not
touched at all, so their mtime stays and CDNs and rsync see no change.

A build publishes its files as a set (``Staged(root=output)``): a journal
beside the output folder (``journal_path``) names the build's temp files
before the first is made, and lists the renames, synced, before the first
rename.  A build killed at any moment leaves either no journal (nothing was
staged, or the publish is complete), a journal without its list (only temp
files were made: roll back, remove them) or one with it (every temp file is
complete: roll forward, do the renames left).  The next build or check
does that first (``recover``, under the lock), so it sees the whole old set
or the whole new one.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import signal
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


def crash_point(point: str) -> None:
    """A test seam: SIGKILL this process when ``FEEDWRIGHT_CRASH_AT`` names
    ``point`` (``stage:3``, ``rename:0``…), as an OOM kill or ``kill -9``
    would, at a moment chosen exactly rather than raced for
    (tests/test_kill.py).  Unset, as always outside tests, it is one
    dictionary lookup."""
    if os.environ.get("FEEDWRIGHT_CRASH_AT") == point:
        os.kill(os.getpid(), signal.SIGKILL)


def _stage(path: Path, content: Content, name: Path | None = None,
           made: bool = False) -> tuple[str, int, Identity]:
    """Write ``content`` to a temp file beside ``path`` (its folder exists) and
    start its writeback; return the temp file's name, its open descriptor, to
    be synced (``_sync``) before it is put in place, and its identity.
    ``made``: the temp file ``name`` exists already, empty (``Staged.reserve``).

    The identity is taken from the descriptor, the file this process wrote,
    not from the path later: a rename keeps inode, size and mtime, and a
    file another process puts at the path after ours must not be taken for
    ours (``pipeline._records``).
    """
    if name is None:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    else:  # a name the journal knows (``_Journal.temp``)
        tmp = str(name)
        flags = os.O_WRONLY | os.O_CLOEXEC | (0 if made else os.O_CREAT | os.O_EXCL)
        fd = os.open(tmp, flags, 0o600)
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
    them included.  Every file is on disk (synced) before any is put in place.

    With ``root`` (the output folder, whose lock the caller holds), the files
    are published as a set: a journal beside ``root`` lets the next build
    finish or undo a publish this process was killed in (``recover``); every
    target must then be under ``root``.
    """

    def __init__(self, root: Path | None = None) -> None:
        self._root = root
        self._journal: _Journal | None = None
        self._temps: list[str] = []
        self._targets: list[Path] = []
        self._identities: list[Identity] = []
        #: Files left in place because they already hold their bytes, and
        #: their identity as read (``stage_changed``); reported by ``commit``.
        self.kept: dict[Path, Identity] = {}
        self._folders: list[Path] = []  # made by this staging, outermost first
        self._unsynced: deque[tuple[int, Path]] = deque()
        #: Target → its empty temp file, made ahead by ``reserve``, not yet filled.
        self._reserved: dict[Path, Path] = {}

    def _make_folders(self, path: Path) -> _Journal | None:
        """Make the folders ``path`` lacks, each named in the journal first."""
        new, folder = [], path.parent
        while not folder.exists():
            new.append(folder)
            folder = folder.parent
        journal = self._journal_for()
        if journal is None:
            path.parent.mkdir(parents=True, exist_ok=True)
        else:
            for folder in reversed(new):  # named before it is made
                journal.note("made", folder)
                folder.mkdir(exist_ok=True)
        self._folders.extend(reversed(new))
        return journal

    def reserve(self, paths: Iterable[Path]) -> None:
        """Make, ahead of their bytes, the folders and empty temp files of the
        ``paths`` that have no file yet (``add`` fills them; ``commit`` and
        ``discard`` remove those never filled).

        Making a file and its folder costs about as much as writing it on a
        disk with a journal (0.2 s for the 402 new files of a first build of
        10k entries, benchmarks/README.md): the build does it while its
        workers render, not after.  A path with a file is left alone: its
        bytes may turn out unchanged, and then nothing is written for it.
        Only with a root (a publish with a journal), whose temp files the
        journal names before they are made.  It only saves work: at the first
        failure it stops, and ``add`` makes the rest, reporting what fails.
        """
        assert self._root is not None, "reserve needs Staged(root)"
        for path in paths:
            if path in self._reserved or path.exists():
                continue
            try:
                journal = self._make_folders(path)
                assert journal is not None
                tmp = journal.temp(path)
                os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600))
            except OSError:
                return
            self._reserved[path] = tmp
        crash_point("reserved")

    def _drop_reserved(self) -> None:
        _discard([str(tmp) for tmp in self._reserved.values()])
        self._reserved = {}

    def add(self, path: Path, content: Content) -> None:
        """Write ``content`` to a temp file beside ``path``.

        Raises:
            WriteError: It could not be written; everything staged so far is discarded.
        """
        try:
            reserved = self._reserved.pop(path, None)
            if reserved is None:
                journal = self._make_folders(path)
                name = None if journal is None else journal.temp(path)
            else:
                name = reserved
            try:
                tmp, fd, identity = _stage(path, content, name, reserved is not None)
            except OSError:
                if reserved is not None:  # not opened: _stage did not remove it
                    _discard([str(reserved)])
                raise
            self._temps.append(tmp)
            self._targets.append(path)
            self._identities.append(identity)
            self._unsynced.append((fd, path))
        except OSError as exc:
            self._fail(path, exc)
        crash_point(f"stage:{len(self._temps)}")
        while len(self._unsynced) > _OPEN:
            self._sync_oldest()

    def _journal_for(self) -> _Journal | None:
        """The publish's journal, begun before its first temp file is made."""
        if self._root is not None and self._journal is None:
            self._journal = _Journal.begin(self._root)
        return self._journal

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
        self._drop_reserved()  # never filled: the bytes at their paths were kept
        self.sync()
        if self._journal is not None:
            try:
                self._journal.seal(self._targets)
            except OSError as exc:
                self._fail(self._journal.path, exc)
        crash_point("rename:0")
        for done, (tmp, path) in enumerate(zip(self._temps, self._targets, strict=True), 1):
            try:
                _rename(tmp, path)
            except OSError as exc:  # the journal stays: the next build finishes the publish
                raise WriteError(f"cannot put in place: {exc.strerror or exc}; the next "
                                 "build finishes the publish", str(path)) from None
            crash_point(f"rename:{done}")
        if self._journal is not None:
            self._journal.end()
            self._journal = None
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
        self._drop_reserved()
        for folder in reversed(self._folders):
            try:
                folder.rmdir()
            except OSError:
                pass
        if self._journal is not None:  # last: until it is gone, recover() can undo the rest
            self._journal.end()
            self._journal = None
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


def stage_changed(root: Path, documents: Mapping[str, Content],
                  staged: Staged | None = None) -> tuple[list[str], Staged]:
    """Stage every document whose bytes differ from what is on disk, to be
    published as a set (``Staged(root)``, or ``staged``, made with that root
    and maybe holding reserved files: the caller holds ``root``'s lock).

    Returns:
        The relative paths staged, in the given order, and the staging to
        commit or discard.

    Raises:
        WriteError: A file could not be staged; nothing is left behind.
    """
    changed, same = compare(root, documents)
    staged = Staged(root) if staged is None else staged
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


def journal_path(output: Path) -> Path:
    """The publish journal of the output folder ``output``:
    ``.<name>.feedwright-publish`` beside it, next to its lock (``lock_path``)
    and for the same reasons: never deployed with the feeds, there before the
    folder is.  It exists only while a publish is under way or was cut short."""
    output = output.resolve()
    return output.parent / f".{output.name or 'root'}.feedwright-publish"


#: A publish's token, in its journal and in the name of each of its temp files
#: (``.<name>.<token>.tmp``): what tells them from anyone else's files.
_TOKEN = re.compile(r"fw[0-9a-f]{12}")


class _Journal:
    """The journal of one publish into ``root``: JSON lines, appended.

    The first line names the publish's token; ``{"made": folder}`` comes before
    a folder is made, ``{"in": folder}`` before the first temp file is made in
    it; ``{"publish": [paths]}`` once every temp file is complete and synced,
    synced itself before the first rename.  Folders are under ``root``, as
    POSIX paths (``.`` for ``root`` itself).  A line cut short by a kill does
    not parse, so it counts as not written.
    """

    def __init__(self, root: Path, fd: int, token: str) -> None:
        self.root, self.path, self._fd, self.token = root, journal_path(root), fd, token
        self._noted: set[Path] = set()

    @classmethod
    def begin(cls, root: Path) -> _Journal:
        """Start the journal (finishing a cut-short publish first, should the
        caller not have: ``recover``)."""
        root = root.absolute()
        path = journal_path(root)
        token = f"fw{secrets.token_hex(6)}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_CLOEXEC
        try:
            fd = os.open(path, flags, 0o644)
        except FileExistsError:
            recover(root)
            fd = os.open(path, flags, 0o644)
        journal = cls(root, fd, token)
        journal._line({"feedwright": "publish", "token": token})
        return journal

    def _line(self, record: dict[str, object]) -> None:
        _write_fully(self._fd, json.dumps(record).encode() + b"\n")

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def note(self, kind: str, folder: Path) -> None:
        """Record a folder about to be made (``made``) or to get a temp file (``in``)."""
        self._line({kind: self._rel(folder)})
        self._noted.add(folder)

    def temp(self, path: Path) -> Path:
        """The name of ``path``'s temp file, noting its folder first."""
        if path.parent not in self._noted:
            self.note("in", path.parent)
        return path.parent / f".{path.name}.{self.token}.tmp"

    def seal(self, targets: Sequence[Path]) -> None:
        """List the renames and wait until the list is on disk: from now on the
        publish is finished, by this process or by the next ``recover``."""
        self._line({"publish": [self._rel(t) for t in targets]})
        os.fsync(self._fd)

    def end(self) -> None:
        """Remove the journal: the publish is complete, or undone."""
        os.close(self._fd)
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


def _inside(root: Path, rel: object) -> Path | None:
    """``root / rel`` when ``rel`` is a relative POSIX path that stays in ``root``."""
    if not isinstance(rel, str) or "\0" in rel or rel.startswith("/"):
        return None
    parts = rel.split("/")
    if ".." in parts:
        return None
    return root.joinpath(*[p for p in parts if p not in ("", ".")])


def _read_journal(data: bytes, root: Path) -> tuple[str | None, list[Path], list[Path],
                                                     list[Path] | None]:
    """A journal's token, folders with temp files, folders made, and renames
    (None: the list was not written in full)."""
    token: str | None = None
    within: list[Path] = []
    made: list[Path] = []
    renames: list[Path] | None = None
    for number, raw in enumerate(data.split(b"\n")):
        try:
            record = json.loads(raw)
        except ValueError:
            break  # cut short by the kill: neither it nor anything after counts
        if not isinstance(record, dict):
            break
        if number == 0:
            found = record.get("token")
            if not (isinstance(found, str) and _TOKEN.fullmatch(found)):
                break
            token = found
        elif "in" in record or "made" in record:
            folder = _inside(root, record.get("in", record.get("made")))
            if folder is not None:
                (within if "in" in record else made).append(folder)
        elif isinstance(record.get("publish"), list):
            renames = [p for p in map(lambda r: _inside(root, r), record["publish"]) if p]
    return token, within, made, renames


def recover(output: Path) -> str | None:
    """Finish or undo a publish into ``output`` that a killed build left
    (the caller holds the folder's lock, exclusively).

    With the list of renames in the journal, every temp file was complete:
    the renames not done yet are done (roll forward).  Without it, no rename
    was done: the publish's temp files and the folders it made are removed
    (roll back).  Only files and folders the journal names are touched: temp
    files by their token, folders only if empty.

    Returns:
        None when there was nothing to do, else a line saying what was done.

    Raises:
        WriteError: The journal or a file it names cannot be handled.
    """
    output = output.absolute()
    path = journal_path(output)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteError(f"cannot read the journal of a publish cut short: {exc.strerror}",
                         str(path)) from None
    token, within, made, renames = _read_journal(data, output)
    try:
        for target in renames or ():
            try:
                os.replace(target.parent / f".{target.name}.{token}.tmp", target)
            except FileNotFoundError:
                pass  # renamed before the kill
        suffix = f".{token}.tmp"
        for folder in dict.fromkeys([*within, *made]):
            try:
                names = os.listdir(folder)
            except (FileNotFoundError, NotADirectoryError):
                continue
            for name in names:
                if token and name.startswith(".") and name.endswith(suffix):
                    (folder / name).unlink(missing_ok=True)
        if renames is None:
            for folder in reversed(made):
                try:
                    folder.rmdir()
                except OSError:  # not empty (not only ours), or gone
                    pass
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise WriteError(f"cannot finish a publish cut short: {exc.strerror or exc}",
                         str(output)) from None
    if renames is None:
        return f"undid a build of {output} cut short before it renamed anything"
    files = f"{len(renames)} file{'' if len(renames) == 1 else 's'}"
    return f"finished publishing the {files} of a build of {output} cut short while renaming"


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
