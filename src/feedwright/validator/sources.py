"""Validate many inputs named as on the command line: files, http(s) URLs, ``-``.

``feedwright validate`` is this function and a printer.  Each input is read
here, in the calling process and one at a time (a URL is fetched once, and
only as many documents as the workers have in hand are in memory at once);
the checking is spread over a process pool when there is enough of it.  An
input that cannot be read is a Report too, with one ``input-unreadable``
error, so a batch always gets one report per input, in input order, and a
bad input never stops the others.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from typing import BinaryIO

from feedwright.errors import InputError
from feedwright.fetch import DEFAULT_TIMEOUT
from feedwright.fetch import Source
from feedwright.fetch import read_source
from feedwright.parallel import Runner
from feedwright.parallel import default_jobs
from feedwright.validator import validate
from feedwright.validator.parse import DEFAULT_MAX_BYTES
from feedwright.validator.parse_rules import unreadable
from feedwright.validator.report import Report

#: One piece of work for a worker: the input's name, what was read (or why
#: nothing could be), and the options; a plain tuple, cheap to send.
_Work = tuple[str, "Source | None", "str | None", bool, int]


def _validate_one(work: _Work) -> Report:
    """Validate one input that was read, or report why it could not be; runs in a worker."""
    spec, source, why, strict, max_bytes = work
    if source is None:
        return Report(spec, "unknown", (unreadable(why or ""),))
    return validate(source.data, name=spec, strict=strict, location=source.location,
                    max_bytes=max_bytes, content_type=source.content_type)


def validate_sources(
    specs: Sequence[str],
    *,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    jobs: int | None = None,
    stdin: BinaryIO | None = None,
    on_report: Callable[[Report], None] | None = None,
) -> list[Report]:
    """Read and validate each input; one Report per input, in input order.

    Args:
        specs: What to read: paths, ``http://`` / ``https://`` / ``file://``
            URLs, or ``-`` for ``stdin`` (the spec's shape decides; nothing is
            guessed).
        strict: Count warnings as errors (``--strict``).
        max_bytes: Refuse inputs larger than this (an ``input-unreadable`` error).
        timeout: Seconds a URL may take.
        jobs: Processes to check with; None: every core.  Few inputs are
            checked in this process whatever it says (see ``parallel``).
        stdin: The stream ``-`` reads; None: ``sys.stdin.buffer``.
        on_report: Called with each report as it is ready, in input order
            (e.g. to advance a progress bar).

    Returns:
        The reports; an input that cannot be read has one ``input-unreadable``
        error saying why.  Never raises for anything wrong with an input.
    """

    def work() -> Iterator[_Work]:
        for spec in specs:  # read lazily: the pool takes a few at a time
            try:
                source = read_source(spec, max_bytes=max_bytes, timeout=timeout, stdin=stdin)
            except InputError as exc:
                yield spec, None, exc.message, strict, max_bytes
                continue
            yield spec, source, None, strict, max_bytes

    reports: list[Report] = []
    with Runner(default_jobs() if jobs is None else jobs) as runner:
        for report in runner.map(_validate_one, work(), size=len(specs)):
            reports.append(report)
            if on_report is not None:
                on_report(report)
    return reports
