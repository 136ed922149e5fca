"""The error tree: one root, an exit code per outcome (click's pattern)."""

from __future__ import annotations

import reprlib
from typing import Any
from typing import ClassVar

_repr = reprlib.Repr()
_repr.maxlevel = 3
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 6


def quoted(value: Any, limit: int = 80) -> str:
    """value as an error message quotes it: ``repr``, cut to about limit characters.

    A config or entry may hold a value megabytes long (or an int of
    thousands of digits); quoting it whole would bury the one line a user
    needs.  Longer text is cut and its length said, e.g.
    ``'aaaa…' (4,000,000 characters)``; lists and mappings are cut by reprlib.
    """
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return f"{value[:limit]!r}… ({len(value):,} characters)".replace("'…", "…'", 1)
    if isinstance(value, int) and not isinstance(value, bool):
        digits = len(str(abs(value))) if abs(value).bit_length() < 10_000 else None
        if digits is not None and digits <= limit:
            return repr(value)
        if digits is None:
            return "a number of more than 3,000 digits"
        return f"a number of {digits:,} digits"
    _repr.maxstring = _repr.maxother = _repr.maxlong = limit
    text = _repr.repr(value)
    return text if len(text) <= 4 * limit else text[: 4 * limit] + "…"


class FeedwrightError(Exception):
    """Base of every error a user can cause; ``str()`` is ``"source: message"``.

    Errors carry where they happened (``source``, usually ``file:line``) so the
    CLI can print one line a user can act on, never a traceback.
    """

    #: Process exit code the CLI uses for this outcome: 2 means "could not run".
    exit_code: ClassVar[int] = 2

    def __init__(self, message: str, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class ConfigError(FeedwrightError):
    """The configuration is wrong: unknown key, bad value, missing input."""


class InputError(FeedwrightError):
    """An input (file, URL, entry block) cannot be read or understood."""


class WriteError(FeedwrightError):
    """An output file could not be written (permissions, disk full, …).

    Exit code 2, "could not run": the work was sound, the disk refused it.
    Writes are staged, so when this is raised no target was changed and no
    temp file is left (``io``).
    """


class UsageError(FeedwrightError):
    """The command was called in a way that cannot work."""


class RefusedError(FeedwrightError):
    """The work ran but was refused on its merits; nothing was written."""

    exit_code: ClassVar[int] = 1


class InvalidFeedError(RefusedError):
    """A feed we were about to write failed validation."""


class StaleFeedsError(RefusedError):
    """``build --check`` found files on disk that differ from a fresh build."""
