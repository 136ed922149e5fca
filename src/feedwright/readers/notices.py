"""Notices: what readers met and went past, told once per build instead of once per file.

Some things in an input cannot be published as written but need not stop the
build either (a Hugo shortcode feedwright cannot render is removed, the rest
of the post is fine).  A reader that meets one adds it to the build's
``Notices``; ``lines`` then gives one line per kind, with a count, what was
met and the first few files, so a site of hundreds of posts gets a line, not
hundreds.  The CLI prints them on stderr; the library hands them back on
``BuildResult.notices``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from dataclasses import field

#: How many files a notice names before it says "and N more".
FIRST_FILES = 3


@dataclass
class _Tally:
    met: Counter[str] = field(default_factory=Counter)
    files: dict[str, None] = field(default_factory=dict)


class Notices:
    """A collector the readers fill while the inputs are read."""

    def __init__(self) -> None:
        self._kinds: dict[str, _Tally] = {}

    def add(self, kind: str, what: str, file: str) -> None:
        """Count one ``what`` (e.g. ``{{< figure >}}``) of ``kind`` met in ``file``.

        Args:
            kind: The notice's opening words, the same for every case of it
                (e.g. "removed Hugo shortcodes, which feedwright cannot render").
            what: This case, as the author wrote it, shortened to its name.
            file: Where it was met.
        """
        tally = self._kinds.setdefault(kind, _Tally())
        tally.met[what] += 1
        tally.files[file] = None

    def __bool__(self) -> bool:
        return bool(self._kinds)

    def lines(self) -> tuple[str, ...]:
        """One line per kind, in the order the kinds were first met."""
        out = []
        for kind, tally in self._kinds.items():
            met = ", ".join(f"{what} ×{n}" if n > 1 else what
                            for what, n in tally.met.most_common())
            files = list(tally.files)
            named = ", ".join(files[:FIRST_FILES])
            if len(files) > FIRST_FILES:
                named += f" and {len(files) - FIRST_FILES} more"
            total = sum(tally.met.values())
            out.append(f"{kind}: {total} ({met}) in {len(files)} "
                       f"file{'s' if len(files) != 1 else ''}: {named}")
        return tuple(out)
