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
from pathlib import Path

from feedwright.errors import FeedwrightError


class WriteError(FeedwrightError):
    """A file could not be written (permissions, disk full, …)."""


def read_bytes_or_none(path: Path) -> bytes | None:
    """The file's bytes, or None when it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteError(f"cannot read: {exc.strerror}", str(path)) from None


def _stage(path: Path, data: bytes) -> str:
    """Write ``data`` to a temp file beside ``path``; return the temp file's name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
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


def write_all(files: Mapping[Path, bytes] | Iterable[tuple[Path, bytes]]) -> None:
    """Write several files all-or-nothing, as far as the file system allows.

    Every file is first written in full to a temp file beside its target;
    only when all of them are staged are they renamed into place, so a full
    disk or a permission error half-way changes none of the targets.

    Raises:
        WriteError: Staging failed; no target was changed and no temp file is left.
    """
    temps: list[str] = []
    targets: list[Path] = []
    pairs = files.items() if isinstance(files, Mapping) else files
    try:
        for path, data in pairs:
            targets.append(path)
            temps.append(_stage(path, data))
    except OSError as exc:
        _discard(temps)
        raise WriteError(f"cannot write: {exc.strerror or exc}", str(targets[-1])) from None
    for tmp, path in zip(temps, targets, strict=False):
        os.replace(tmp, path)


def changed_files(root: Path, documents: Mapping[str, bytes]) -> list[str]:
    """Relative paths under ``root`` whose bytes on disk differ from ``documents``."""
    return [rel for rel, data in documents.items() if read_bytes_or_none(root / rel) != data]


def write_changed(root: Path, documents: Mapping[str, bytes]) -> list[str]:
    """Write every document whose bytes differ from what is on disk, all-or-nothing.

    Args:
        root: The output directory.
        documents: Relative POSIX path → bytes.

    Returns:
        The relative paths that were (re)written, in the given order.
    """
    changed = changed_files(root, documents)
    # A generator: each document is joined, staged and let go in turn.
    write_all((root / rel, documents[rel]) for rel in changed)
    return changed
