"""What a build remembers between runs: fragments, what passed the gate, what was written.

A deploy rebuilds the same archive again and again with one entry more, so
each entry's fragment, the fact that some bytes passed the gate, and what
each written file was made of are kept in a cache folder (by default
``.feedwright-cache/`` beside the config), under a fingerprint of
feedwright's own code: a new version of the renderer or of a rule starts
from an empty cache.  Only facts that cannot go stale are kept: bytes that
passed stay passing (a date in the future only stops being one), a fragment
depends on nothing but its entry, and a file whose size, mtime and inode are
what the build that wrote it recorded still holds those bytes.

Fragments are most of the cache (benchmarks/README.md has its size), and
a build adds few: they are appended to a log, and the whole store is
rewritten only when the log outgrows it or the unused fragments in it are
more than half as many as the used ones.
The small rest (what passed, what was written) is rewritten every time.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import pickle
import re
import secrets
import signal
import sys
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from importlib import metadata
from pathlib import Path
from typing import IO

_FORMAT = 2

#: What a file on disk was made of, and how to tell it is still that file:
#: (recipe digest, size, mtime in ns, inode).
FileRecord = tuple[bytes, int, int, int]


def digest(data: bytes) -> bytes:
    """A short, collision-safe key for some bytes.

    SHA-256 cut to 16 bytes: most CPUs hash it in hardware (SHA-NI, ARMv8),
    twice as fast as BLAKE2b here, and the cache digests every fragment.
    """
    return hashlib.sha256(data).digest()[:16]


@functools.cache
def code_fingerprint(package: Path = Path(__file__).parent) -> str:
    """A hash of every file of the installed package, of Python's version and
    of the version of every library feedwright depends on (feedgen and lxml
    shape the bytes, fastjsonschema the verdicts on JSON Feed; the others
    cost a cache miss when they move, never a wrong hit).

    The whole package, not a list of the modules thought to matter: a list
    kept by hand drifts (a change to ``model.py`` once left verdicts cached
    that a fresh build would refuse), and hashing the package is cheap next
    to a build.
    """
    h = hashlib.blake2b(digest_size=8)
    h.update(str(_FORMAT).encode())
    h.update(sys.version.encode())
    for name in _dependencies():
        h.update(f"{name}={_version(name)}".encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(package).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
    return h.hexdigest()


def _dependencies() -> list[str]:
    """The runtime dependencies feedwright's metadata declares (pyproject.toml),
    so the list cannot drift from what is installed with it."""
    try:
        declared = metadata.requires("feedwright") or []
    except metadata.PackageNotFoundError:
        return []
    names = [re.match(r"[A-Za-z0-9._-]+", r) for r in declared if "extra ==" not in r]
    return sorted(m.group(0).lower() for m in names if m)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def file_record(recipe: bytes, path: Path) -> FileRecord | None:
    """``recipe`` with what identifies the file at ``path`` now (None: no such file)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (recipe, st.st_size, st.st_mtime_ns, st.st_ino)


#: The cache's temp files: ``.build-fw<12 hex digits>.tmp``, a name no one
#: else's file has by chance; what a killed save left is removed by the next
#: (``_sweep``), and nothing else.
_TEMP = re.compile(r"\.build-fw[0-9a-f]{12}\.tmp")


def _write_atomic(path: Path, dump: Callable[[IO[bytes]], None]) -> None:
    # Streamed to a temp file and renamed: no second copy in memory, and a
    # crash mid-write leaves the old file (or none), and a temp file the
    # next save removes.
    tmp = path.parent / f".build-fw{secrets.token_hex(6)}.tmp"
    try:
        with tmp.open("xb") as handle:
            dump(handle)
            if os.environ.get("FEEDWRIGHT_CRASH_AT") == "cache":  # io.crash_point
                os.kill(os.getpid(), signal.SIGKILL)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the cache folder's own lock (``lock`` in it): builds of two configs
    beside each other share the folder though not an output folder's lock,
    and must not remove each other's temp files or interleave their writes."""
    fd = os.open(folder / "lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _sweep(folder: Path) -> None:
    """Remove the temp files of saves that were killed (under ``_locked``: no
    save is under way, so every such file is left over)."""
    for entry in os.scandir(folder):
        if _TEMP.fullmatch(entry.name):
            Path(entry.path).unlink(missing_ok=True)


def _load_frames(path: Path) -> tuple[dict[bytes, bytes], bool]:
    """Every fragment in the store or log at ``path``, and whether all of it was readable.

    A crash while appending leaves a cut-off last frame: the frames before
    it are whole and kept, and the caller rewrites the store.
    """
    fragments: dict[bytes, bytes] = {}
    try:
        with path.open("rb") as handle:
            while True:
                try:
                    # Our own file, in our own folder; frames hold only bytes.
                    frame = pickle.load(handle)  # noqa: S301
                except EOFError:
                    return fragments, True
                if not isinstance(frame, dict):
                    return fragments, False
                fragments.update(frame)
    except FileNotFoundError:
        return fragments, True
    except Exception:  # a damaged frame ends what can be read
        return fragments, False


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@dataclass
class BuildCache:
    """Fragments by key, digests of bytes that passed the gate, and file records."""

    #: The folder, or None when caching is off.
    folder: Path | None
    fingerprint: str
    fragments: dict[bytes, bytes] = field(default_factory=dict)
    passed: set[bytes] = field(default_factory=set)
    #: Output file (absolute path) → what the last build wrote there.
    files: dict[str, FileRecord] = field(default_factory=dict)
    #: Fragments not yet in the store or the log.
    _new: dict[bytes, bytes] = field(default_factory=dict)
    #: Whether the store and the log were read whole (else: rewrite them).
    _whole: bool = False

    def _path(self, kind: str) -> Path:
        assert self.folder is not None
        return self.folder / f"build-{self.fingerprint}.{kind}"

    @classmethod
    def load(cls, folder: Path | None, fingerprint: str) -> BuildCache:
        """The cache in ``folder``; an unreadable or foreign file is an empty cache."""
        cache = cls(folder, fingerprint)
        if folder is None:
            return cache
        try:
            with cache._path("state").open("rb") as handle:
                passed, files = pickle.load(handle)  # noqa: S301 - as in _load_frames
        except Exception:  # missing or damaged: start from nothing
            return cache
        if not (isinstance(passed, set) and isinstance(files, dict)):
            return cache
        stored, whole = _load_frames(cache._path("store"))
        logged, whole_log = _load_frames(cache._path("log"))
        stored.update(logged)
        cache.fragments, cache.passed, cache.files = stored, passed, files
        cache._whole = whole and whole_log
        return cache

    def remember_fragment(self, key: bytes, fragment: bytes) -> None:
        if self.fragments.get(key) != fragment:
            self.fragments[key] = self._new[key] = fragment

    def save(self, fragments: set[bytes], passed: set[bytes],
             files: dict[str, FileRecord]) -> None:
        """Write what this build used: the fragments of ``fragments``, ``passed``
        and ``files``.

        New fragments are appended to the log; the store is rewritten with
        only the used ones (and the log removed) when it was not read whole,
        when the log has grown larger than the store, or when the unused
        fragments are more than half as many as the used ones.  Older
        fingerprints' files are removed: they can never be used again.
        """
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        with _locked(self.folder):
            _sweep(self.folder)
            self._save(fragments, passed, files)

    def _save(self, fragments: set[bytes], passed: set[bytes],
              files: dict[str, FileRecord]) -> None:
        assert self.folder is not None
        store, log = self._path("store"), self._path("log")
        unused = len(self.fragments.keys() - self._new.keys() - fragments)
        if not self._whole or 2 * unused > len(fragments) or _size(log) > _size(store):
            kept = {k: v for k, v in self.fragments.items() if k in fragments}
            _write_atomic(store, lambda h: pickle.dump(kept, h, protocol=5))
            log.unlink(missing_ok=True)
            self.fragments, self._whole = kept, True
        elif self._new:
            with log.open("ab") as handle:
                pickle.dump(self._new, handle, protocol=5)
        self._new = {}
        self.passed, self.files = set(passed), dict(files)
        _write_atomic(self._path("state"),
                      lambda h: pickle.dump((self.passed, self.files), h, protocol=5))
        for old in self.folder.glob("build-*"):
            if not old.name.startswith(f"build-{self.fingerprint}.") and old.is_file():
                old.unlink(missing_ok=True)
