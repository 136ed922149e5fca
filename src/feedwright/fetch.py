"""Read one input named on the command line: a file, ``-`` for stdin, or an http(s) URL.

The spec decides the kind by its shape and never guesses (feedparser guesses
whether a string is a URL, a path or a document, and a guess can be wrong):
``-`` is stdin, ``scheme://…`` is a URL, anything else is a path.  Every
read is bounded: at most ``max_bytes + 1`` bytes are ever taken from a file,
a pipe, a socket or a decompressor, so a huge or hostile input costs a
bounded amount of memory and time.
"""

from __future__ import annotations

import re
import sys
import time
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from typing import BinaryIO

from feedwright.errors import InputError

if TYPE_CHECKING:
    import urllib.error
    import urllib.request
    from http.client import HTTPResponse

# The HTTP client (urllib.request, http.client, ssl: a fifth of a small
# file's whole validation) is imported only when a URL is read, and the
# installed version (importlib.metadata) only for the User-Agent it sends:
# ``feedwright validate FILE`` needs neither (tests/test_startup.py).

#: Seconds a URL may take, connecting and downloading (``--timeout``'s default).
DEFAULT_TIMEOUT = 15.0
#: Default size cap of an input: far above any real feed (readers stop at
#: 5–15 MB), far below what would hurt the machine.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: Redirects followed before giving up (browsers allow ~20; feeds need few).
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


@dataclass(frozen=True)
class Source:
    """An input's bytes plus what the transport said about them."""

    #: The input as the user named it (path, URL or ``-``); reports use it.
    name: str
    #: The bytes exactly as read (after HTTP content decoding).
    data: bytes
    #: The final URL after redirects, for self-link checks; None for files and stdin.
    location: str | None = None
    #: The HTTP Content-Type header, for transport checks; None for files and stdin.
    content_type: str | None = None


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("feedwright")
    except metadata.PackageNotFoundError:  # running from a bare checkout
        return "0"


def user_agent() -> str:
    """The User-Agent sent with every request, so server logs can name us."""
    return f"feedwright/{_version()} (+https://pypi.org/project/feedwright/)"


def read_source(
    spec: str,
    *,
    max_bytes: int,
    timeout: float = DEFAULT_TIMEOUT,
    stdin: BinaryIO | None = None,
) -> Source:
    """Read the input ``spec`` names, refusing anything over ``max_bytes``.

    Args:
        spec: ``-`` (stdin), an ``http://``/``https://``/``file://`` URL, or a path.
        max_bytes: Most bytes accepted (after decompression).
        timeout: Seconds allowed for connecting and for the whole download.
        stdin: Stream to read for ``-``; defaults to ``sys.stdin.buffer``.

    Returns:
        The Source: name, bytes, final URL and Content-Type where known.

    Raises:
        InputError: The input cannot be read, is too large, or uses an
            unsupported URL scheme; the message says which and why.
    """
    if spec == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return Source(spec, _read_capped(stream, max_bytes, spec))
    m = _SCHEME.match(spec)
    if m is None:
        return Source(spec, _read_file(Path(spec), max_bytes, spec))
    scheme = m.group(1).lower()
    if scheme == "file":
        import urllib.parse
        import urllib.request

        path = urllib.request.url2pathname(urllib.parse.urlsplit(spec).path)
        return Source(spec, _read_file(Path(path), max_bytes, spec))
    if scheme not in ("http", "https"):
        raise InputError(f"unsupported URL scheme {scheme!r}; use http, https or a file path",
                         source=spec)
    return _fetch(spec, max_bytes=max_bytes, timeout=timeout)


class TooLargeError(InputError):
    """The input is larger than the size cap (after decompression): it was read
    as far as the cap allows, and is judged too large rather than unreadable."""


def _too_large(max_bytes: int, spec: str) -> InputError:
    return TooLargeError(f"input is larger than the {max_bytes:,}-byte limit", source=spec)


def _read_capped(stream: BinaryIO, max_bytes: int, spec: str) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes, spec)
    return data


def _read_file(path: Path, max_bytes: int, spec: str) -> bytes:
    try:
        with path.open("rb") as fh:
            return _read_capped(fh, max_bytes, spec)
    except FileNotFoundError:
        raise InputError("no such file", source=spec) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a feed file", source=spec) from None
    except PermissionError:
        raise InputError("permission denied", source=spec) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=spec) from None


class _RedirectError(Exception):
    """A redirect we refuse to follow; the message says why."""


@cache
def _redirects() -> type[urllib.request.HTTPRedirectHandler]:
    """Our redirect handler's class, made on first use (see the imports)."""
    import urllib.parse
    import urllib.request

    class _Redirects(urllib.request.HTTPRedirectHandler):
        # urllib raises one "infinite loop" message for loops and long chains
        # alike; checking first lets the user know which it was.
        max_redirections = MAX_REDIRECTS + 1

        def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
            visited = getattr(req, "redirect_dict", {})
            why = None
            if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
                why = f"refusing a redirect to a non-HTTP URL ({newurl[:100]})"
            elif newurl in visited or newurl == getattr(req, "_feedwright_origin", None):
                why = f"redirect loop: {newurl[:100]} redirects back to itself"
            elif len(visited) >= MAX_REDIRECTS:
                why = f"too many redirects (more than {MAX_REDIRECTS})"
            if why is not None:
                fp.close()
                raise _RedirectError(why)
            new = super().redirect_request(req, fp, code, msg, headers, newurl)
            if new is not None:
                origin = getattr(req, "_feedwright_origin", req.full_url)
                new._feedwright_origin = origin  # type: ignore[attr-defined]
            return new

    return _Redirects


def http_opener(*, redirects: bool = True) -> urllib.request.OpenerDirector:
    """An HTTP(S)-only opener: the default proxy, HTTP(S) and error handlers
    (as ``build_opener`` would add), our redirect limits or, with
    ``redirects=False``, none (a redirected POST would arrive as a bodiless
    GET), and no file:, ftp: or data: handlers."""
    import urllib.request

    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    if redirects:
        opener.add_handler(_redirects()())
    return opener


def _fetch(url: str, *, max_bytes: int, timeout: float) -> Source:
    import urllib.error
    import urllib.request
    from http.client import HTTPException

    request = urllib.request.Request(url, headers={
        "User-Agent": user_agent(),
        "Accept-Encoding": "gzip, deflate",
        "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
                  "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
    })
    deadline = time.monotonic() + timeout
    try:
        with http_opener().open(request, timeout=timeout) as response:
            data = _read_response(response, max_bytes, url, deadline)
            return Source(url, data, response.geturl(), response.headers.get("Content-Type"))
    except _RedirectError as exc:
        raise InputError(str(exc), source=url) from None
    except urllib.error.HTTPError as exc:
        exc.close()
        raise InputError(_http_error(exc), source=url) from None
    except urllib.error.URLError as exc:
        raise InputError(_url_error(exc.reason), source=url) from None
    except TimeoutError:
        raise InputError(f"timed out after {timeout:g} s", source=url) from None
    except (HTTPException, OSError) as exc:
        raise InputError(f"connection failed: {exc}", source=url) from None


def _http_error(exc: urllib.error.HTTPError) -> str:
    if exc.code in (301, 302, 303, 307, 308):
        if "not allowed" in str(exc.reason):  # urllib refuses e.g. file: targets itself
            return "refusing a redirect to a non-HTTP URL"
        return f"too many redirects (more than {MAX_REDIRECTS})"  # urllib's own backstop
    return f"HTTP {exc.code} {exc.reason}"


def connection_problem(reason: object) -> str | None:
    """A host that cannot be found or refuses, in words (fetching a feed and
    pinging a WebSub hub say it alike); None for any other reason."""
    import socket

    if isinstance(reason, socket.gaierror):
        return "cannot resolve the host name (DNS lookup failed)"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    return None


def _url_error(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        return "timed out connecting"
    return connection_problem(reason) or f"cannot fetch: {reason}"


def _read_response(response: HTTPResponse, max_bytes: int, url: str, deadline: float) -> bytes:
    encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise InputError(f"unsupported Content-Encoding {encoding!r}", source=url)
    length = response.headers.get("Content-Length")
    if encoding == "identity" and length and length.isdigit() and int(length) > max_bytes:
        raise _too_large(max_bytes, url)
    # gzip: wbits 16+15; deflate: zlib-wrapped (RFC 9110) or raw, auto-detected below.
    inflate = None if encoding == "identity" else zlib.decompressobj(47)
    out = bytearray()
    raw_total = 0
    first = True
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError
        chunk = response.read1(_CHUNK)  # what has arrived, so the deadline is checked
        if not chunk:
            break
        raw_total += len(chunk)
        if raw_total > max_bytes + 1 and inflate is None:
            raise _too_large(max_bytes, url)
        if inflate is not None:
            try:
                if first and encoding == "deflate" and chunk[:1] not in (b"\x78", b"\x1f"):
                    inflate = zlib.decompressobj(-15)  # raw deflate, as some servers send
                chunk = _inflate(inflate, chunk, max_bytes - len(out), url, max_bytes)
            except zlib.error:
                raise InputError(f"corrupt {encoding} content", source=url) from None
        first = False
        out += chunk
        if len(out) > max_bytes:
            raise _too_large(max_bytes, url)
    return bytes(out)


def _inflate(inflate: zlib._Decompress, chunk: bytes, room: int, url: str, max_bytes: int) -> bytes:
    # max_length bounds every call, so a gzip bomb never expands past the cap.
    out = inflate.decompress(chunk, room + 1)
    if len(out) > room or inflate.unconsumed_tail:
        raise TooLargeError(f"decompressed content is larger than the {max_bytes:,}-byte limit "
                         "(a compression bomb?)", source=url)
    return out
