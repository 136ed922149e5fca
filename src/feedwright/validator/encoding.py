"""Byte-level encoding checks: BOM, XML declaration, UTF-16 sniffing, decoding, NUL.

The document is decoded the way a reader would; anything wrong on the way is
an Issue with a stable code, never an exception.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import NamedTuple

from feedwright.validator.parse_rules import BOM_MISMATCH
from feedwright.validator.parse_rules import ENCODING_MISMATCH
from feedwright.validator.parse_rules import INVALID_ENCODING
from feedwright.validator.parse_rules import NUL_BYTE
from feedwright.validator.parse_rules import UTF8_DECLARED_SINGLE_BYTE
from feedwright.validator.parse_rules import _issue
from feedwright.validator.parse_rules import _line_col
from feedwright.validator.report import Issue


def _norm(name: str) -> str | None:
    """The codec's own name for a text encoding; None for anything else.

    Python's codec registry also holds bytes-to-bytes and str-to-str
    transforms (``hex``, ``base64``, ``rot13``, ``zlib``): an XML document
    naming one of those names no encoding at all.
    """
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


# --- encodings ----------------------------------------------------------------

#: Byte order marks and the encoding each names, for XML and JSON alike.
BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECL = re.compile(
    r"""<\?xml\s+version\s*=\s*["'][^"']*["']\s*(?:encoding\s*=\s*["']([^"']*)["'])?"""
)


@dataclass(frozen=True)
class _Sniffed:
    bom: str | None  # encoding named by the BOM
    bom_len: int
    declared: str | None  # raw encoding name in the XML declaration
    declared_at: int  # character index of the name, for line/column
    wide: str | None = None  # BOM-less UTF-16 guessed from "<" next to a zero byte


#: The bytes a byte order mark can start with: most documents start with none
#: of them (``<`` or ``{``), and are told so by one look-up.
_BOM_STARTS = frozenset(mark[0] for mark, _ in BOMS)


def byte_order_mark(data: bytes) -> tuple[bytes, str] | None:
    """The byte order mark ``data`` starts with and the encoding it names, if any."""
    if not data or data[0] not in _BOM_STARTS:
        return None
    for mark, encoding in BOMS:
        if data.startswith(mark):
            return mark, encoding
    return None


class BadBytes(NamedTuple):
    """Where a text stops being valid in its encoding, and the bytes there."""

    line: int
    column: int
    #: The first bad bytes, in hex ("e9 20 6c").
    bytes: str


def decoded(body: bytes, encoding: str) -> str | BadBytes:
    """``body`` as text, or where and how it is not valid ``encoding``."""
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as exc:
        before = body[: exc.start].decode(encoding, "replace")
        line, col = _line_col(before, len(before))
        return BadBytes(line, col, body[exc.start : exc.start + 4].hex(" "))


def _sniff(data: bytes) -> _Sniffed:
    found = byte_order_mark(data)
    bom, bom_len = (found[1], len(found[0])) if found else (None, 0)
    head_enc = bom or "latin-1"
    if bom is None and data[:2] in (b"<\x00", b"\x00<"):  # BOM-less UTF-16 (XML App. F)
        head_enc = "utf-16-le" if data[:1] == b"<" else "utf-16-be"
    wide = head_enc if bom is None and head_enc != "latin-1" else None
    head = data[bom_len : bom_len + 400].decode(head_enc, "ignore")
    m = _DECL.match(head)
    if m is None or m.group(1) is None:
        return _Sniffed(bom, bom_len, None, 0, wide)
    return _Sniffed(bom, bom_len, m.group(1), m.start(1), wide)


def _same_family(bom: str, declared: str) -> bool:
    # A UTF-16 BOM with encoding="utf-16" (no endianness) is the normal case.
    return declared == bom or (bom.startswith(declared) and declared in ("utf-16", "utf-32"))


def _decode(data: bytes, sniff: _Sniffed | None = None) -> tuple[str | None, list[Issue]]:
    """Decode ``data`` the way a reader would; issues for anything wrong on the way.

    ``sniff``: what ``_sniff(data)`` says, when the caller has it already.
    """
    if sniff is None:
        sniff = _sniff(data)
    declared = _norm(sniff.declared) if sniff.declared else None
    if sniff.declared and declared is None:
        line, col = _line_col(data[: sniff.bom_len + 400].decode("latin-1"), sniff.declared_at)
        return None, [_issue(INVALID_ENCODING, f"unknown encoding {sniff.declared!r}", line, col)]
    if sniff.bom and declared and not _same_family(sniff.bom, declared):
        return None, [_issue(
            BOM_MISMATCH,
            f"the byte order mark says {sniff.bom} but the declaration says {sniff.declared!r}",
            1, 1,
        )]
    if sniff.wide and not declared:
        return None, [_issue(INVALID_ENCODING, "UTF-16 without a byte order mark or an "
                             "encoding declaration (XML 1.0, 4.3.3)", 1, 1)]
    encoding = sniff.bom or sniff.wide or declared or "utf-8"
    if encoding in ("utf-16", "utf-32"):
        encoding = "utf-16-le" if data[:1] == b"<" else "utf-16-be"
        if "32" in (declared or ""):
            encoding = "utf-32-le" if data[:1] == b"<" else "utf-32-be"
    body = data[sniff.bom_len :]
    try:
        text = decoded(body, encoding)
    except (UnicodeError, LookupError):  # codecs that fail as a whole (punycode, undefined)
        line, col = _line_col(data[: sniff.bom_len + 400].decode("latin-1"), sniff.declared_at)
        return None, [_issue(INVALID_ENCODING, f"no reader can decode the document as "
                             f"{sniff.declared!r}", line, col)]
    if isinstance(text, BadBytes):
        line, col, bad = text
        if declared is None:
            return None, [_issue(INVALID_ENCODING, f"bytes {bad} are not valid UTF-8", line, col)]
        guess = _guess(body)
        detail = f"declared {sniff.declared!r} but bytes {bad} are not valid in it"
        if guess:
            detail += f"; they look like {guess}"
        return None, [_issue(ENCODING_MISMATCH, detail, line, col)]
    issues: list[Issue] = []
    if declared in ("latin-1", "iso8859-1", "cp1252", "iso8859-15") and _looks_utf8(body):
        at = next(i for i, b in enumerate(body) if b >= 0x80)
        at = len(body[:at].decode(encoding))
        line, col = _line_col(text, at)
        issues.append(_issue(
            UTF8_DECLARED_SINGLE_BYTE,
            f"declared {sniff.declared!r}; readers will show mojibake such as "
            f"{text[at : at + 2]!r}",
            line, col,
        ))
    nul = text.find("\x00")
    if nul >= 0:
        line, col = _line_col(text, nul)
        return None, [*issues, _issue(NUL_BYTE, None, line, col)]
    return text, issues


def _looks_utf8(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _guess(body: bytes) -> str | None:
    if _looks_utf8(body):
        return "UTF-8"
    try:
        body.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return "windows-1252 (or ISO-8859-1)"
