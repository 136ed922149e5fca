"""The ``build`` pipeline: config → read → feedset → render → validate(strict) → write.

All-or-nothing: every document is rendered and validated before anything is
written, so a bad entry leaves the published feeds exactly as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from pathlib import Path

from feedwright.config import Config
from feedwright.config import load_config
from feedwright.errors import InputError
from feedwright.errors import InvalidFeedError
from feedwright.errors import StaleFeedsError
from feedwright.feedset import FILE_NAMES
from feedwright.feedset import build_feedset
from feedwright.io import changed_files
from feedwright.io import write_changed
from feedwright.readers import read_entries
from feedwright.render import Rendered
from feedwright.render import render
from feedwright.validate import validate


@dataclass(frozen=True)
class BuildResult:
    """What a build did (or, with ``check``, would do)."""

    #: The output directory.
    output: Path
    #: Every document's path relative to ``output``, in build order.
    documents: tuple[str, ...]
    #: Paths rewritten because their bytes changed (with ``check``: that differ).
    changed: tuple[str, ...]
    #: Feed files under ``output`` that this build no longer makes (tags that
    #: are gone); reported, never deleted.
    orphans: tuple[str, ...]


def _gate(docs: list[Rendered], now: datetime) -> None:
    """Validate every document at the strictest level; refuse on any issue."""
    problems: list[str] = []
    for doc in docs:
        report = validate(doc.data, name=doc.output.path, strict=True, now=now,
                          location=doc.output.url)
        for issue in report.issues:
            entry = doc.entry_at(issue.line)
            where = f" (entry at {entry.source})" if entry else ""
            pos = f":{issue.line}" if issue.line else ""
            problems.append(f"{doc.output.path}{pos}: {issue.code}: {issue.message}{where}")
    if problems:
        shown = problems[:20]
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise InvalidFeedError(
            "refusing to write invalid feeds; nothing was written:\n  "
            + "\n  ".join(shown) + more
        )


def _orphans(output: Path, documents: set[str]) -> tuple[str, ...]:
    if not output.is_dir():
        return ()
    names = set(FILE_NAMES.values())
    found = sorted(
        p.relative_to(output).as_posix()
        for p in output.rglob("*.xml")
        if p.name in names
    )
    return tuple(p for p in found if p not in documents)


def build(
    config: Config | str | Path,
    *,
    out: Path | None = None,
    check: bool = False,
    now: datetime | None = None,
) -> BuildResult:
    """Build every feed the config describes.

    Args:
        config: A loaded Config or the path of a config file.
        out: Write here instead of the config's output directory.
        check: Write nothing; raise StaleFeedsError when files on disk differ.
        now: The build time ("no entry in the future"); defaults to the clock.

    Returns:
        What was written (or would be).

    Raises:
        ConfigError, InputError: Could not run (exit 2).
        InvalidFeedError: A document failed validation; nothing written (exit 1).
        StaleFeedsError: With ``check``, files differ (exit 1).
    """
    if not isinstance(config, Config):
        config = load_config(config)
    output = (out or config.output).absolute()
    now = now or datetime.now(UTC)
    entries = read_entries(config)
    if not entries:
        raise InputError("no entries to publish: the inputs hold no entry (or only drafts)",
                         str(config.path))
    docs = render(build_feedset(entries, config))
    _gate(docs, now)
    documents = {d.output.path: d.data for d in docs}
    orphans = _orphans(output, set(documents))
    if check:
        stale = changed_files(output, documents)
        if stale:
            raise StaleFeedsError(
                f"{len(stale)} of {len(documents)} feed files in {output} are not what the "
                "config builds; run `feedwright build` and commit the result:\n  "
                + "\n  ".join(stale)
            )
        return BuildResult(output, tuple(documents), (), orphans)
    changed = write_changed(output, documents)
    return BuildResult(output, tuple(documents), tuple(changed), orphans)
