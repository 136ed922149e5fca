"""Judge feed bytes, ours or anyone's: safe parse → format → schema → rules → Report.

RSS and Atom are parsed to an lxml tree (``Document``); a JSON Feed to plain
values with positions found on demand (``JsonDocument``).

This package knows nothing of feedwright's model; ``build`` uses it as the
gate in front of every write, at the strictest level.
"""

from __future__ import annotations

import codecs
import re
from datetime import UTC
from datetime import datetime

from feedwright.validator.discover import html_page_issue
from feedwright.validator.discover import looks_like_html
from feedwright.validator.document import Document
from feedwright.validator.document import JsonDocument
from feedwright.validator.parse import DEFAULT_MAX_BYTES
from feedwright.validator.parse import Parsed
from feedwright.validator.parse import detect_format
from feedwright.validator.parse import parse
from feedwright.validator.report import Issue
from feedwright.validator.report import Report
from feedwright.validator.report import promote_warnings
from feedwright.validator.rules import RULES
from feedwright.validator.rules import Scope
from feedwright.validator.rules import layer_rule
from feedwright.validator.rules import run_rules
from feedwright.validator.schema import check_schema

__all__ = ["DEFAULT_MAX_BYTES", "Issue", "Report", "RULES", "detect_format", "validate"]


UNEXPECTED_CONTENT_TYPE = layer_rule(
    "http-unexpected-content-type",
    "warning",
    "the server sends the feed with an unexpected media type",
    """
    ## Why it matters
    Browsers and some readers decide what a response is from its Content-Type:
    a feed served as `text/html` or `text/plain` is shown as text, not offered
    for subscription, and some readers refuse it.

    ## How to fix
    Serve RSS as `application/rss+xml`, Atom as `application/atom+xml` and JSON
    Feed as `application/feed+json` (`application/xml` also works for XML feeds).
    """,
    w3c=("UnexpectedContentType",),
)
HTTP_ENCODING_MISMATCH = layer_rule(
    "http-encoding-mismatch",
    "warning",
    "the HTTP charset disagrees with the document's encoding",
    """
    ## Why it matters
    The `charset` of the Content-Type header overrides the XML declaration for
    readers that follow RFC 7303, and is ignored by others; when the two
    disagree, some readers show mojibake or refuse the feed.

    ## How to fix
    Make the server's `charset=` name the encoding the file is saved in (best:
    UTF-8 everywhere), or drop the charset parameter for XML feeds.
    """,
    w3c=("EncodingMismatch",),
)

_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)
_XML_TYPES = {"application/xml", "text/xml"}
_EXPECTED = {
    "rss2": {"application/rss+xml", "application/rdf+xml"} | _XML_TYPES,
    "rss09x": {"application/rss+xml", "application/rdf+xml"} | _XML_TYPES,
    "rss1": {"application/rdf+xml", "application/rss+xml"} | _XML_TYPES,
    "atom1": {"application/atom+xml"} | _XML_TYPES,
    "atom03": {"application/atom+xml"} | _XML_TYPES,
    "jsonfeed1": {"application/feed+json", "application/json"},
}
_BEST = {"rss2": "application/rss+xml", "rss09x": "application/rss+xml",
         "rss1": "application/rdf+xml", "atom1": "application/atom+xml",
         "atom03": "application/atom+xml", "jsonfeed1": "application/feed+json"}


def _transport(content_type: str, parsed: Parsed) -> list[Issue]:
    """W3C's UnexpectedContentType and EncodingMismatch, from the response header."""
    media = content_type.split(";", 1)[0].strip().lower()
    found = _CHARSET.search(content_type)
    charset = found.group(1) if found else None
    out: list[Issue] = []
    expected = _EXPECTED.get(parsed.format)
    if expected is not None and media not in expected:
        r = UNEXPECTED_CONTENT_TYPE
        out.append(Issue(r.severity, r.code,
                         f"{r.message}: {media[:80]!r}; use {_BEST[parsed.format]}"))
    if charset:
        said, doc = _codec(charset), parsed.encoding or "utf-8"
        if not _compatible(said, _codec(doc)):
            r = HTTP_ENCODING_MISMATCH
            out.append(Issue(r.severity, r.code,
                             f"{r.message}: the header says {charset[:40]!r}, "
                             f"the document {doc!r}"))
    return out


def _compatible(said: str | None, doc: str | None) -> bool:
    # "utf-16" in the header and a UTF-16-LE byte order mark agree.
    if said is None or doc is None:
        return said == doc
    return said == doc or said.startswith(doc) or doc.startswith(said)


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        return None


_STR_DECL = re.compile(
    r"""(\ufeff?<\?xml\s+version\s*=\s*["'][^"']*["']\s*encoding\s*=\s*)(["'])([^"']*)\2"""
)


def _utf8(text: str) -> bytes:
    """A document given as text, as the UTF-8 bytes the parser reads.

    A ``str`` is text already: whatever bytes it was decoded from are gone, so
    an XML declaration naming another encoding (``encoding="ISO-8859-1"``)
    describes bytes that no longer exist.  The text is encoded as UTF-8 and
    such a declaration is made to say UTF-8, padded with blanks inside the
    declaration so every line and column stays where it is in the text (an
    encoding name shorter than ``utf8``, such as ``l1``, moves the rest of
    line 1 by a column or two).  A declaration naming UTF-8, or none, is kept
    as it is; lone surrogates are kept as the invalid bytes they are, and
    reported as such.
    """
    data = text.encode("utf-8", "surrogatepass")
    m = _STR_DECL.match(text)
    if m is None or _codec(m.group(3)) == "utf-8":
        return data
    name = "utf-8" if len(m.group(3)) >= 5 else "utf8"
    quote = m.group(2)
    fixed = f"{m.group(1)}{quote}{name}{quote}{' ' * max(0, len(m.group(3)) - len(name))}"
    return fixed.encode("utf-8") + text[m.end():].encode("utf-8", "surrogatepass")


def validate(
    data: bytes | str,
    *,
    name: str,
    strict: bool = False,
    now: datetime | None = None,
    location: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    content_type: str | None = None,
    relations_only: bool = False,
    reader_caps: bool = True,
) -> Report:
    """Validate one feed document.

    Args:
        data: The document's bytes, exactly as read or fetched; or its text,
            which is checked as UTF-8 (an XML declaration naming another
            encoding is taken to describe the bytes the text was decoded
            from, and is read as saying UTF-8).
        name: How the report names the input (path, URL or ``-``).
        strict: Count warnings as errors (``--strict``; the build gate).
        now: Reference time for "in the future" rules; defaults to the clock.
        location: The URL the bytes came from, to check ``rel="self"`` against.
        max_bytes: Refuse larger documents with an error issue.
        content_type: The HTTP ``Content-Type`` the bytes were served with, for
            the transport checks; None for files and stdin.
        relations_only: Run only the rules of scope "relation" (how entries
            relate: order, shared ids and dates), not the schema: for the
            build's feeds with their entries cut down to ids, links and dates
            (each entry and each head was checked in full on its own).
        reader_caps: Warn when the document is larger than readers accept
            (``feed-too-large-for-readers``); False for documents no reader
            downloads as they are (the build gate's batches of entries).

    Returns:
        A Report; never raises for anything wrong with ``data``.
    """
    now = now or datetime.now(UTC)
    if isinstance(data, str):
        data = _utf8(data)
    if looks_like_html(data):
        return Report.build(name, "unknown", [html_page_issue(data, location)])
    parsed = parse(data, name=name, max_bytes=max_bytes, reader_caps=reader_caps)
    issues = list(parsed.issues)
    if content_type is not None:
        issues.extend(_transport(content_type, parsed))
    scope: Scope | None = "relation" if relations_only else None
    if parsed.root is not None:
        doc = Document(name, data, parsed.root, parsed.format, now, location, strict=strict)
        issues.extend(run_rules(doc, scope=scope))
        if not relations_only:
            issues.extend(check_schema(doc, already=issues))
    elif parsed.json is not None:
        # JSON Feed's schema (and its compiler) only for JSON Feeds: not
        # imported by every start of ``feedwright validate feed.xml``.
        from feedwright.validator.json_schema import check_json_schema

        jdoc = JsonDocument(name, data, parsed.json.text, parsed.json.value, parsed.format, now,
                            location, strict=strict)
        issues.extend(run_rules(jdoc, scope=scope))
        if not relations_only:
            issues.extend(check_json_schema(jdoc, already=issues))
    report = Report.build(name, parsed.format, issues)
    return promote_warnings(report) if strict else report
