"""Validate many inputs named as on the command line: files, http(s) URLs, ``-``.

``feedwright validate`` is this function and a printer.  Each input is read
here, in the calling process and one at a time (a URL is fetched once, and
only as many documents as the workers have in hand are in memory at once);
the checking is spread over a process pool when there is enough of it.  An
input that cannot be read is a Report too, with one ``input-unreadable``
error, so a batch always gets one report per input, in input order, and a
bad input never stops the others.

What was read is made ready here too: a gzip-compressed input (a
``feed.xml.gz``, or a ``.gz`` served without ``Content-Encoding``) is
decompressed under the same size cap, and with ``discover`` an HTML page
is replaced by the feeds its autodiscovery links name.
"""

from __future__ import annotations

import urllib.parse
import zlib
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from feedwright.errors import InputError
from feedwright.fetch import DEFAULT_TIMEOUT
from feedwright.fetch import Source
from feedwright.fetch import TooLargeError
from feedwright.fetch import read_source
from feedwright.parallel import Runner
from feedwright.parallel import default_jobs
from feedwright.validator import validate
from feedwright.validator.discover import feed_links
from feedwright.validator.discover import html_page_issue
from feedwright.validator.discover import looks_like_html
from feedwright.validator.parse import DEFAULT_MAX_BYTES
from feedwright.validator.parse_rules import unreadable
from feedwright.validator.report import Report

#: One piece of work for a worker: the input's name, what was read (or why
#: nothing could be, and whether it was read at all), and the options; a
#: plain tuple, cheap to send.
_Work = tuple[str, "Source | None", "str | None", bool, bool, int]


def _validate_one(work: _Work) -> Report:
    """Validate one input that was read, or report why it could not be; runs in a worker."""
    spec, source, why, read_at_all, strict, max_bytes = work
    if source is None:
        return Report(spec, "unknown", (unreadable(why or ""),), readable=read_at_all)
    if looks_like_html(source.data):  # its links resolved against the file's own URL
        page = html_page_issue(source.data, _page_url(spec, source))
        return Report.build(spec, "unknown", [page])
    return validate(source.data, name=spec, strict=strict, location=source.location,
                    max_bytes=max_bytes, content_type=source.content_type)


_GZIP = b"\x1f\x8b"


def gunzip(data: bytes, max_bytes: int, spec: str) -> bytes:
    """``data`` decompressed if it is gzip (its magic bytes), at most ``max_bytes`` of it.

    Every member of a multi-member file is read; each call to the
    decompressor is bounded, so a compression bomb stops at the cap, costing
    no more memory than a plain input of that size.

    Raises:
        InputError: Corrupt or cut-off gzip data.
        TooLargeError: More than ``max_bytes`` once decompressed (a
            compression bomb): judged too large, like any input over the cap.
    """
    if not data.startswith(_GZIP):
        return data
    out = bytearray()
    rest = data
    while rest:
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += inflate.decompress(rest, max_bytes - len(out) + 1)
            while inflate.unconsumed_tail and len(out) <= max_bytes:
                out += inflate.decompress(inflate.unconsumed_tail, max_bytes - len(out) + 1)
        except zlib.error:
            raise InputError("corrupt gzip data (the file starts as gzip but does not "
                             "decompress)", source=spec) from None
        if len(out) > max_bytes:
            raise TooLargeError(f"decompressed content is larger than the {max_bytes:,}-byte "
                             "limit (a compression bomb?); raise --max-bytes if it is "
                             "really a feed that large", source=spec)
        if not inflate.eof:
            raise InputError("the gzip data is cut off before its end", source=spec)
        rest = inflate.unused_data
        if rest and not rest.startswith(_GZIP):
            break  # trailing bytes after the last member: ignored, as gzip(1) does
    return bytes(out)


def _page_url(spec: str, source: Source) -> str | None:
    """The URL an HTML page's relative links are resolved against."""
    if source.location is not None:
        return source.location
    if spec == "-":
        return None
    if "://" in spec:
        return spec
    return Path(spec).resolve().as_uri()


def _may_follow(page_url: str | None, url: str) -> bool:
    """Whether ``--discover`` reads the feed ``url`` a page names.

    Only absolute URLs (a relative one from stdin would be read as a path in
    the current folder), and from a page that came over the web only web
    URLs: a page must never make us read a local file (``file:///etc/…``).
    """
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme in ("http", "https"):
        return True
    page_scheme = urllib.parse.urlsplit(page_url or "").scheme.lower()
    return scheme == "file" and page_scheme == "file"


def validate_sources(
    specs: Sequence[str],
    *,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    jobs: int | None = None,
    stdin: BinaryIO | None = None,
    on_report: Callable[[Report], None] | None = None,
    discover: bool = False,
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
        discover: An input that is an HTML page is replaced by the feeds its
            ``<link rel="alternate">`` tags name (each reported under its
            absolute URL, in page order); a page that names none keeps its
            ``unknown-format`` report.  A page read from the web leads only
            to http(s) URLs, a local page also to ``file:`` ones.  Only one
            level: a named "feed" that is a page again is reported as such.

    Returns:
        The reports; an input that cannot be read has one ``input-unreadable``
        error saying why.  Never raises for anything wrong with an input.
    """

    def read(spec: str) -> _Work:
        try:
            source = read_source(spec, max_bytes=max_bytes, timeout=timeout, stdin=stdin)
            data = gunzip(source.data, max_bytes, spec)
        except InputError as exc:
            return spec, None, exc.message, isinstance(exc, TooLargeError), strict, max_bytes
        if data is not source.data:
            source = Source(source.name, data, source.location, source.content_type)
        return spec, source, None, True, strict, max_bytes

    def work() -> Iterator[_Work]:
        for spec in specs:  # read lazily: the pool takes a few at a time
            item = read(spec)
            source = item[1]
            if discover and source is not None and looks_like_html(source.data):
                page_url = _page_url(spec, source)
                links = [link for link in feed_links(source.data, page_url)
                         if _may_follow(page_url, link.url)]
                if links:
                    for link in links:
                        yield read(link.url)
                    continue
            yield item

    reports: list[Report] = []
    with Runner(default_jobs() if jobs is None else jobs) as runner:
        for report in runner.map(_validate_one, work(), size=len(specs)):
            reports.append(report)
            if on_report is not None:
                on_report(report)
    return reports
