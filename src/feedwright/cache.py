"""What a build remembers between runs: rendered fragments and what passed the gate.

A deploy rebuilds the same archive again and again with one entry more, so
each entry's fragment and the fact that some bytes passed the gate are kept
in a cache folder (by default ``.feedwright-cache/`` beside the config),
under a fingerprint of feedwright's own code: a new version of the renderer
or of a rule starts from an empty cache.  Only facts that cannot go stale
are kept: bytes that passed stay passing (a date in the future only stops
being one), and a fragment depends on nothing but its entry.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

_FORMAT = 1


def digest(data: bytes) -> bytes:
    """A short, collision-safe key for some bytes."""
    return hashlib.blake2b(data, digest_size=16).digest()


def code_fingerprint(*places: Path) -> str:
    """A hash of the code that makes and judges fragments (``*.py``, ``*.rng``),
    given as files or folders."""
    h = hashlib.blake2b(digest_size=8)
    h.update(str(_FORMAT).encode())
    for place in places:
        for path in sorted(place.rglob("*")) if place.is_dir() else [place]:
            if path.suffix in (".py", ".rng") and path.is_file():
                h.update(path.name.encode())
                h.update(path.read_bytes())
    return h.hexdigest()


@dataclass
class BuildCache:
    """Fragments by entry key, and the digests of bytes that passed the gate."""

    #: The folder, or None when caching is off.
    folder: Path | None
    fingerprint: str
    fragments: dict[bytes, bytes] = field(default_factory=dict)
    passed: set[bytes] = field(default_factory=set)
    _dirty: bool = False

    @property
    def _file(self) -> Path | None:
        return self.folder / f"build-{self.fingerprint}.pickle" if self.folder else None

    @classmethod
    def load(cls, folder: Path | None, fingerprint: str) -> BuildCache:
        """The cache in ``folder``; an unreadable or foreign file is an empty cache."""
        cache = cls(folder, fingerprint)
        path = cache._file
        if path is not None and path.is_file():
            try:
                # Our own file, in our own folder; it holds only bytes and sets.
                with path.open("rb") as handle:
                    fragments, passed = pickle.load(handle)  # noqa: S301
                if isinstance(fragments, dict) and isinstance(passed, set):
                    cache.fragments, cache.passed = fragments, passed
            except Exception:  # a damaged cache is an empty cache
                pass
        return cache

    def remember_fragment(self, key: bytes, fragment: bytes) -> None:
        if self.fragments.get(key) != fragment:
            self.fragments[key] = fragment
            self._dirty = True

    def save(self, fragments: set[bytes], passed: set[bytes]) -> None:
        """Write the cache when it changed, keeping only the keys this build used.

        Older fingerprints' files are removed: they can never be used again.
        """
        path = self._file
        if path is None or self.folder is None:
            return
        if set(self.fragments) - fragments:
            self.fragments = {k: v for k, v in self.fragments.items() if k in fragments}
            self._dirty = True
        if self.passed != passed:
            self.passed = set(passed)
            self._dirty = True
        if not self._dirty and path.exists():
            return
        # Streamed to a temp file and renamed: no second copy of every fragment
        # in memory, and a crash mid-write leaves the old cache (or none).
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".build-", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((self.fragments, self.passed), handle, protocol=5)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in self.folder.glob("build-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
        self._dirty = False
