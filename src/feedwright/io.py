"""Writing files without ever leaving a half-written one behind.

Each file is written to a temporary file in its own directory and renamed
over the target (atomic on POSIX); files whose bytes did not change are not
touched at all, so their mtime stays and CDNs and rsync see no change.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from pathlib import Path

from feedwright.errors import FeedwrightError


class WriteError(FeedwrightError):
    """A file could not be written (permissions, disk full, …)."""


#: A file's bytes, whole or as chunks that follow each other: a large feed is
#: compared and written chunk by chunk, never joined into one more copy of it.
Content = bytes | Sequence[bytes]


def _chunks(content: Content) -> Sequence[bytes]:
    return (content,) if isinstance(content, bytes) else content


def holds(path: Path, content: Content) -> bool:
    """Whether the file at ``path`` holds exactly ``content`` (False when it does
    not exist); read chunk by chunk, and not at all when the sizes differ."""
    chunks = _chunks(content)
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size != sum(map(len, chunks)):
                return False
            return all(handle.read(len(chunk)) == chunk for chunk in chunks)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise WriteError(f"cannot read: {exc.strerror}", str(path)) from None


def _stage(path: Path, content: Content) -> str:
    """Write ``content`` to a temp file beside ``path`` (its folder exists); return the
    temp file's name."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.writelines(_chunks(content))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        _discard([tmp])
        raise
    return tmp


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
    them included."""

    def __init__(self) -> None:
        self._temps: list[str] = []
        self._targets: list[Path] = []
        self._folders: list[Path] = []  # made by this staging, outermost first

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
            self._temps.append(_stage(path, content))
            self._targets.append(path)
        except OSError as exc:
            self.discard()
            raise WriteError(f"cannot write: {exc.strerror or exc}", str(path)) from None

    def commit(self) -> None:
        """Rename every staged file over its target."""
        for tmp, path in zip(self._temps, self._targets, strict=True):
            os.replace(tmp, path)
        self._temps, self._targets, self._folders = [], [], []

    def discard(self) -> None:
        """Remove the temp files, and the folders made for them if now empty."""
        _discard(self._temps)
        for folder in reversed(self._folders):
            try:
                folder.rmdir()
            except OSError:
                pass
        self._temps, self._targets, self._folders = [], [], []


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
    return [rel for rel, content in documents.items() if not holds(root / rel, content)]


def stage_changed(root: Path, documents: Mapping[str, Content]) -> tuple[list[str], Staged]:
    """Stage every document whose bytes differ from what is on disk.

    Returns:
        The relative paths staged, in the given order, and the staging to
        commit or discard.

    Raises:
        WriteError: A file could not be staged; nothing is left behind.
    """
    changed = changed_files(root, documents)
    staged = Staged()
    for rel in changed:
        staged.add(root / rel, documents[rel])
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
