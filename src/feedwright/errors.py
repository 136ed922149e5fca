"""The error tree: one root, an exit code per outcome (click's pattern)."""

from __future__ import annotations

from typing import ClassVar


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
